// Path-pattern matching and dispatch.
#include "http/router.h"

namespace registry {

static std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '/') {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

bool Router::Match(std::string_view pattern, std::string_view path, Params* params) {
  std::vector<std::string_view> pat = Split(pattern), got = Split(path);
  Params captured;
  for (size_t i = 0; i < pat.size(); ++i) {
    std::string_view p = pat[i];
    if (p.size() > 3 && p.substr(0, 2) == "{*" && p.back() == '}') {
      if (i >= got.size()) return false;
      // The rest of the path from this segment on.
      size_t offset = 0;
      for (size_t k = 0; k < i; ++k) offset += got[k].size() + 1;
      std::string_view rest = path.substr(offset);
      if (rest.empty()) return false;
      captured[std::string(p.substr(2, p.size() - 3))] = std::string(rest);
      *params = std::move(captured);
      return true;
    }
    if (i >= got.size()) return false;
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (got[i].empty()) return false;
      captured[std::string(p.substr(1, p.size() - 2))] = std::string(got[i]);
    } else if (p != got[i]) {
      return false;
    }
  }
  if (pat.size() != got.size()) return false;
  *params = std::move(captured);
  return true;
}

Router& Router::Add(std::string method, std::string pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), std::move(pattern), std::move(handler)});
  return *this;
}

bool Router::Dispatch(const HttpRequest& req, HttpResponse* res, std::string* allowed) const {
  allowed->clear();
  for (const Route& r : routes_) {
    Params params;
    if (!Match(r.pattern, req.path, &params)) continue;
    bool same_method = r.method == req.method || (r.method == "GET" && req.method == "HEAD");
    if (!same_method) {
      // A catch-all such as "/{*path}" says nothing about which methods a path supports.
      if (r.pattern.rfind("/{*", 0) != 0) {
        if (!allowed->empty()) *allowed += ", ";
        *allowed += r.method;
      }
      continue;
    }
    res->route = r.pattern;
    r.handler(req, params, res);
    return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> Router::Routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Route& r : routes_) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace registry
