// Tests for path-pattern matching.
#include "http/router.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("Router::Match captures segments and rests") {
  struct Case {
    const char* pattern;
    const char* path;
    bool match;
    const char* key;
    const char* value;
  } cases[] = {
      {"/api/v1/crates/{name}/owners", "/api/v1/crates/foo/owners", true, "name", "foo"},
      {"/api/v1/crates/{name}/owners", "/api/v1/crates//owners", false, "", ""},
      {"/api/v1/crates/{name}/owners", "/api/v1/crates/foo/owners/x", false, "", ""},
      {"/api/v1/crates/{name}/{version}/yank", "/api/v1/crates/a/1.0.0/yank", true, "version",
       "1.0.0"},
      {"/index/{*path}", "/index/ca/rg/cargo", true, "path", "ca/rg/cargo"},
      {"/index/{*path}", "/index/", false, "", ""},
      {"/index/{*path}", "/index", false, "", ""},
      {"/health", "/health", true, "", ""},
      {"/health", "/healthz", false, "", ""},
      {"/health", "/health/", false, "", ""},
      {"/health", "/", false, "", ""},
      {"/docs/{*path}", "/docs/~g/a/1.0.0/", true, "path", "~g/a/1.0.0/"},
      {"/docs/{*path}", "/docs//a", true, "path", "/a"},
      {"/docs/{*path}", "/docs", false, "", ""},
      {"/{*path}", "/", false, "", ""},
      {"/{*path}", "/x/", true, "path", "x/"},
      {"/api/v1/crates/{name}", "/api/v1/crates/", false, "", ""},
      {"/api/v1/crates/{name}", "/api/v1/crates", false, "", ""},
      {"/api/v1/crates", "/api/v1/crates/", false, "", ""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.path);
    Params params;
    CHECK(Router::Match(c.pattern, c.path, &params) == c.match);
    if (c.match && *c.key) CHECK(params[c.key] == c.value);
  }
}

TEST_CASE("Dispatch reports a path known under another method") {
  Router router;
  int calls = 0;
  router.Add("GET", "/x", [&](const HttpRequest&, const Params&, HttpResponse*) { ++calls; });
  HttpRequest req;
  req.method = "DELETE";
  req.path = "/x";
  HttpResponse res;
  std::string allowed;
  CHECK_FALSE(router.Dispatch(req, &res, &allowed));
  CHECK(allowed == "GET");
  req.method = "HEAD";
  CHECK(router.Dispatch(req, &res, &allowed));
  CHECK(calls == 1);
}

TEST_CASE("a catch-all route does not turn unknown paths into 405") {
  Router router;
  router.Add("GET", "/{*path}", [](const HttpRequest&, const Params&, HttpResponse*) {});
  HttpRequest req;
  req.method = "PUT";
  req.path = "/api/v1/nothing";
  HttpResponse res;
  std::string allowed = "stale";
  CHECK_FALSE(router.Dispatch(req, &res, &allowed));
  CHECK(allowed.empty());
}

}  // namespace registry
