// Transport-neutral HTTP request and response, so handlers do not depend on one server
// library and a second front end (e.g. HTTP/2) can call them too.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace registry {

// Query parameters and request headers; looked up by string_view without a copy.
using FieldMap = std::map<std::string, std::string, std::less<>>;

struct HttpRequest {
  std::string method;  // "GET", "PUT", ...
  std::string path;    // decoded path, without the query string
  FieldMap query;
  FieldMap headers;  // names lower-cased
  std::string body;
  std::string remote_addr;

  // The header's value, or "" when absent. `name` must be lower-case.
  std::string_view Header(std::string_view name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string_view() : std::string_view(it->second);
  }
  // The value of cookie `name` from the Cookie header, or "" when absent.
  std::string_view Cookie(std::string_view name) const {
    std::string_view cookies = Header("cookie");
    while (!cookies.empty()) {
      size_t end = cookies.find(';');
      std::string_view pair = cookies.substr(0, end);
      cookies = end == std::string_view::npos ? std::string_view() : cookies.substr(end + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    }
    return {};
  }
  std::string_view Query(std::string_view name) const {
    auto it = query.find(name);
    return it == query.end() ? std::string_view() : std::string_view(it->second);
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // When set, the body is this file's first file_size bytes, streamed by the transport
  // instead of `body`.
  std::string file_path;
  uint64_t file_size = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  // For the access log and metrics, never sent: the route pattern that answered ("" when no
  // route matched) and the login of the authenticated caller ("" when none).
  std::string route;
  std::string user;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace registry
