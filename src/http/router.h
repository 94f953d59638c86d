// A small method + path-pattern router: "/api/v1/crates/{name}/owners", "/index/{*path}".
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"

namespace registry {

using Params = std::map<std::string, std::string>;
using Handler = std::function<void(const HttpRequest&, const Params&, HttpResponse*)>;

class Router {
 public:
  // `pattern` segments are literals, "{name}" (one non-empty segment) or, last, "{*name}"
  // (the non-empty rest of the path).
  Router& Add(std::string method, std::string pattern, Handler handler);

  // Calls the first matching route's handler, with res->route set to its pattern, and
  // returns true; false when no route matched, with `*allowed` listing the methods the path
  // has under other routes ("PUT, DELETE"), or empty when the path is unknown. A catch-all
  // "/{*path}" does not count.
  bool Dispatch(const HttpRequest& req, HttpResponse* res, std::string* allowed) const;

  // Every route's method and pattern, in registration order.
  std::vector<std::pair<std::string, std::string>> Routes() const;

  // Exposed for tests: the captures when `path` matches `pattern`.
  static bool Match(std::string_view pattern, std::string_view path, Params* params);

 private:
  struct Route {
    std::string method;
    std::string pattern;
    Handler handler;
    std::string prefix;  // the pattern up to its first '{': a path not starting so cannot match
  };
  std::vector<Route> routes_;
};

}  // namespace registry
