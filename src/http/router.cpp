// Path-pattern matching and dispatch.
#include "http/router.h"

namespace registry {

namespace {

// The `/`-separated segments of a path, one at a time, without copying: "/a/b" is "", "a",
// "b". Every request is matched against the routes in turn, so matching allocates nothing.
class Segments {
 public:
  explicit Segments(std::string_view s) : s_(s) {}

  bool done() const { return pos_ == std::string_view::npos; }
  // Where the next segment starts in the whole string.
  size_t offset() const { return pos_; }
  std::string_view Next() {
    size_t slash = s_.find('/', pos_);
    std::string_view segment =
        s_.substr(pos_, slash == std::string_view::npos ? slash : slash - pos_);
    pos_ = slash == std::string_view::npos ? slash : slash + 1;
    return segment;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

bool Router::Match(std::string_view pattern, std::string_view path, Params* params) {
  Segments pat(pattern), got(path);
  Params captured;
  while (!pat.done()) {
    std::string_view p = pat.Next();
    if (got.done()) return false;
    if (p.size() > 3 && p.substr(0, 2) == "{*" && p.back() == '}') {
      // The rest of the path from this segment on.
      std::string_view rest = path.substr(got.offset());
      if (rest.empty()) return false;
      captured[std::string(p.substr(2, p.size() - 3))] = std::string(rest);
      *params = std::move(captured);
      return true;
    }
    std::string_view segment = got.Next();
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (segment.empty()) return false;
      captured[std::string(p.substr(1, p.size() - 2))] = std::string(segment);
    } else if (p != segment) {
      return false;
    }
  }
  if (!got.done()) return false;
  *params = std::move(captured);
  return true;
}

Router& Router::Add(std::string method, std::string pattern, Handler handler) {
  std::string prefix = pattern.substr(0, pattern.find('{'));
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(handler), std::move(prefix)});
  return *this;
}

bool Router::Dispatch(const HttpRequest& req, HttpResponse* res, std::string* allowed) const {
  allowed->clear();
  for (const Route& r : routes_) {
    if (req.path.compare(0, r.prefix.size(), r.prefix) != 0) continue;
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
