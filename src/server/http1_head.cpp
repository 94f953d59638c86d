// Beast parses the head; Boost.URL splits and decodes the target; the framing checks are ours.
#include "server/http1_head.h"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/url/parse.hpp>


#include "base/ascii.h"

namespace registry {

namespace http = boost::beast::http;

// Whether the comma-separated token list `value` holds `token` (case-insensitive).
static bool HasToken(std::string_view value, std::string_view token) {
  while (!value.empty()) {
    size_t comma = value.find(',');
    std::string_view item = value.substr(0, comma);
    value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (AsciiLower(item) == token) return true;
  }
  return false;
}

static HeadParse Refuse(int status, std::string detail, HeadError* error) {
  error->status = status;
  error->detail = std::move(detail);
  return HeadParse::kError;
}

// The end of the head (just past the blank line) in `data`, or npos.
static size_t HeadEnd(std::string_view data) {
  size_t end = data.find("\r\n\r\n");
  return end == std::string_view::npos ? end : end + 4;
}

HeadParse ParseRequestHead(std::string_view data, const HeadLimits& limits, RequestHead* head,
                           size_t* consumed, HeadError* error) {
  size_t end = HeadEnd(data.substr(0, limits.max_head + 4));
  if (end == std::string_view::npos) {
    if (data.size() < limits.max_head) return HeadParse::kNeedMore;
    // Too large: say which part, as far as the bytes show.
    size_t line_end = data.find("\r\n");
    if (line_end == std::string_view::npos || line_end > limits.max_target) {
      return Refuse(414, "the request target is longer than " +
                             std::to_string(limits.max_target) + " bytes", error);
    }
    return Refuse(431, "the request's header fields are larger than " +
                           std::to_string(limits.max_head) + " bytes", error);
  }

  http::request_parser<http::empty_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.max_head + 8));
  parser.body_limit(boost::none);  // bodies are bounded by the connection, not read here
  boost::system::error_code ec;
  size_t used = parser.put(boost::asio::buffer(data.data(), end), ec);
  if (ec || !parser.is_header_done()) {
    if (ec == http::error::multiple_content_length || ec == http::error::bad_content_length) {
      return Refuse(400, "the request has conflicting or invalid Content-Length headers", error);
    }
    if (ec == http::error::bad_transfer_encoding) {
      return Refuse(400, "the request's Transfer-Encoding conflicts with its Content-Length",
                    error);
    }
    return Refuse(400, "the request is not valid HTTP/1.1 (" + ec.message() + ")", error);
  }
  const auto& msg = parser.get();
  std::string_view target(msg.target().data(), msg.target().size());
  if (target.size() > limits.max_target) {
    return Refuse(414, "the request target is longer than " + std::to_string(limits.max_target) +
                           " bytes", error);
  }
  if (msg.version() != 11 && msg.version() != 10) {
    return Refuse(505, "only HTTP/1.0 and HTTP/1.1 are served on this connection", error);
  }

  RequestHead out;
  HttpRequest& req = out.request;
  req.method = std::string(msg.method_string());
  size_t fields = 0, content_lengths = 0, hosts = 0;
  bool transfer_encoding = false;
  // The fields the framing needs, picked out by Beast's field codes as they go by; the first
  // of a repeated one counts, as in `headers`.
  std::string_view encoding, expect, settings, upgrade, connection;
  auto first = [](std::string_view* seen, std::string_view value) {
    if (seen->data() == nullptr) *seen = value;
  };
  for (const auto& field : msg) {
    if (++fields > limits.max_fields) {
      return Refuse(431, "the request has more than " + std::to_string(limits.max_fields) +
                             " header lines", error);
    }
    std::string_view value(field.value().data(), field.value().size());
    switch (field.name()) {
      case http::field::content_length: ++content_lengths; break;
      case http::field::host: ++hosts; break;
      case http::field::transfer_encoding: transfer_encoding = true; break;
      case http::field::content_encoding: first(&encoding, value); break;
      case http::field::expect: first(&expect, value); break;
      case http::field::http2_settings: first(&settings, value); break;
      case http::field::upgrade: first(&upgrade, value); break;
      case http::field::connection: first(&connection, value); break;
      default: break;
    }
    std::string name = AsciiLower(std::string_view(field.name_string().data(), field.name_string().size()));
    auto [it, inserted] = req.headers.emplace(std::move(name), value);
    if (!inserted && it->first == "cookie") it->second += "; " + std::string(value);
  }
  if (content_lengths > 1) {
    return Refuse(400, "the request has more than one Content-Length header", error);
  }
  if (transfer_encoding && content_lengths > 0) {
    return Refuse(400, "the request has both Content-Length and Transfer-Encoding", error);
  }
  if (transfer_encoding) {
    return Refuse(411, "request bodies must be sent with a Content-Length, not with "
                       "Transfer-Encoding", error);
  }
  if (hosts > 1) return Refuse(400, "the request has more than one Host header", error);
  if (msg.version() == 11 && hosts == 0) {
    return Refuse(400, "an HTTP/1.1 request must have a Host header", error);
  }
  out.content_length = parser.content_length().value_or(0);
  if (out.content_length > 0 && !encoding.empty() && AsciiLower(encoding) != "identity") {
    return Refuse(415, "compressed request bodies (Content-Encoding: " + std::string(encoding) +
                           ") are not accepted", error);
  }

  // The target: origin form only ("/path?query"); "*" for OPTIONS.
  if (target == "*" && req.method == "OPTIONS") {
    req.path = "*";
  } else {
    auto url = boost::urls::parse_origin_form(target);
    if (!url) return Refuse(400, "the request target is not a valid path", error);
    req.path = url->path();
    if (url->has_query()) {
      for (const auto& param : url->params()) req.query.emplace(param.key, param.value);
    }
  }

  out.version = static_cast<int>(msg.version());
  out.keep_alive = msg.keep_alive();
  out.expect_continue = AsciiLower(expect) == "100-continue";
  out.h2c_upgrade = HasToken(upgrade, "h2c") && !settings.empty() &&
                    HasToken(connection, "http2-settings") && out.content_length == 0;
  if (out.h2c_upgrade) out.http2_settings = std::string(settings);
  *head = std::move(out);
  *consumed = used;
  return HeadParse::kDone;
}

}  // namespace registry
