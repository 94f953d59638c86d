// Status -> HTTP status and cargo's JSON error body.
#include "http/error_reply.h"

#include <nlohmann/json.hpp>

namespace registry {

std::string ErrorBody(const std::string& detail) {
  nlohmann::json j = {{"errors", nlohmann::json::array({{{"detail", detail}}})}};
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

int HttpStatusFor(Code code, RouteKind kind) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalid:
      return 400;
    case Code::kNotFound:
      return 404;
    case Code::kUnauthorized:
      return kind == RouteKind::kIndex ? 401 : 403;
    case Code::kForbidden:
      return 403;
    case Code::kConflict:
      return 409;
    case Code::kTooLarge:
      return 413;
    case Code::kNoSpace:
      return 507;
    case Code::kRateLimited:
      return 429;
    case Code::kIo:
    case Code::kCorrupt:
    case Code::kInternal:
      return 500;
    case Code::kBadGateway:
      return 502;
    case Code::kUnavailable:
      return 503;
    case Code::kTimeout:
      return 504;
  }
  return 500;
}

void ReplyError(const Status& status, RouteKind kind, const std::string& login_url,
                HttpResponse* res) {
  res->status = HttpStatusFor(status.code(), kind);
  res->content_type = "application/json";
  res->body = ErrorBody(status.message());
  if (res->status == 401) {
    // login_url may come from the client's Host header: as an HTTP quoted-string, `"` and `\`
    // are escaped and control characters dropped, so it cannot end the parameter or the header.
    std::string quoted;
    for (char c : login_url) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7f) continue;
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    res->SetHeader("WWW-Authenticate", "Cargo login_url=\"" + quoted + "\"");
  }
}

Status RetryLater(int64_t seconds, const std::string& what, HttpResponse* res) {
  res->SetHeader("Retry-After", std::to_string(seconds));
  return Status::RateLimited("too many " + what + " from this address; try again in " +
                             std::to_string(seconds) + " second" + (seconds == 1 ? "" : "s"));
}

}  // namespace registry
