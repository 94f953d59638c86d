// Tests for api.cpp's own behaviour through Api::Handle: security headers of the web UI's files,
// the Host header in replies, body limits before reading, and the exception guard.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "http/web_assets.h"
#include "test_util/api_harness.h"

namespace registry {
namespace {

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [n, v] : res.headers) {
    if (n == name) return v;
  }
  return "";
}

TEST_CASE("the web UI's files forbid framing in headers, where a meta tag cannot") {
  ApiHarness h;
  for (const char* path : {"/", "/me"}) {
    CAPTURE(path);
    HttpResponse res = h.Send("GET", path, "", nullptr);
    REQUIRE(res.status == 200);
    CHECK(HeaderOf(res, "Content-Security-Policy").find("frame-ancestors 'none'") !=
          std::string::npos);
    CHECK(HeaderOf(res, "X-Frame-Options") == "DENY");
    CHECK(HeaderOf(res, "X-Content-Type-Options") == "nosniff");
  }
}

TEST_CASE("a web file kept compressed only is inflated for a client that takes no gzip") {
  ApiHarness h;
  const WebAsset* big = nullptr;
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path == "/vendor/highlight.min.js") big = &asset;
  }
  REQUIRE(big != nullptr);
  CHECK(big->body.empty());  // not stored twice
  REQUIRE(big->size > (128u << 10));
  HttpRequest req;
  req.method = "GET";
  req.path = big->path;
  req.remote_addr = "127.0.0.1";
  HttpResponse plain;
  h.api->Handle(req, &plain);
  REQUIRE(plain.status == 200);
  CHECK(HeaderOf(plain, "Content-Encoding") == "");
  CHECK(plain.body.size() == big->size);
  CHECK(plain.body.rfind("var hljs=", 0) == 0);
  req.headers["accept-encoding"] = "gzip, br";
  HttpResponse gzipped;
  h.api->Handle(req, &gzipped);
  CHECK(HeaderOf(gzipped, "Content-Encoding") == "gzip");
  CHECK(gzipped.body == big->gzip);
}

TEST_CASE("a Host header with quotes or spaces never reaches WWW-Authenticate or a URL") {
  ApiHarness h;
  HttpRequest req;
  req.method = "GET";
  req.path = "/index/config.json";
  req.remote_addr = "10.0.0.1";
  for (const char* host : {"a\"b", "a b", "evil.example/x", "a\r\nSet-Cookie: x=1"}) {
    CAPTURE(host);
    req.headers["host"] = host;
    HttpResponse res;
    h.api->Handle(req, &res);
    CHECK(res.status == 401);
    std::string challenge = HeaderOf(res, "WWW-Authenticate");
    CHECK(challenge == "Cargo login_url=\"http://localhost/me\"");
  }
  req.headers["host"] = "registry.example:8443";
  HttpResponse res;
  h.api->Handle(req, &res);
  CHECK(HeaderOf(res, "WWW-Authenticate") == "Cargo login_url=\"http://registry.example:8443/me\"");
}

TEST_CASE("a large publish body is refused before it is read unless the token is valid") {
  ApiHarness h;
  TokenSpec spec;
  spec.name = "ci";
  spec.scopes = kScopePublishNew;
  Result<NewToken> token = h.app->tokens().Create(Actor::ForCli(), "alice", spec);
  REQUIRE(token.ok());
  HttpRequest head;
  head.method = "PUT";
  head.path = "/api/v1/crates/new";
  head.remote_addr = "10.0.0.1";
  std::optional<HttpResponse> early = h.api->Preflight(head, 5 << 20);
  REQUIRE(early.has_value());
  CHECK(early->status == 403);
  head.headers["authorization"] = "crg_" + std::string(64, '0');
  early = h.api->Preflight(head, 5 << 20);
  REQUIRE(early.has_value());
  CHECK(early->status == 403);
  head.headers["authorization"] = token->secret;
  CHECK_FALSE(h.api->Preflight(head, 5 << 20).has_value());
  CHECK(h.api->Preflight(head, 100ull << 20).has_value());  // over the size limit: refused
  head.headers.erase("authorization");
  CHECK_FALSE(h.api->Preflight(head, 1000).has_value());  // small: Handle refuses it
}

}  // namespace
}  // namespace registry
