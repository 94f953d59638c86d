// Tests for the Status -> HTTP error mapping.
#include "http/error_reply.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("every error code maps to an honest HTTP status") {
  struct Case {
    Status status;
    RouteKind kind;
    int http;
  } cases[] = {
      {Status::Invalid("x"), RouteKind::kApi, 400},
      {Status::NotFound("x"), RouteKind::kIndex, 404},
      {Status::Unauthorized("x"), RouteKind::kIndex, 401},
      {Status::Unauthorized("x"), RouteKind::kApi, 403},
      {Status::Forbidden("x"), RouteKind::kApi, 403},
      {Status::Conflict("x"), RouteKind::kApi, 409},
      {Status::TooLarge("x"), RouteKind::kApi, 413},
      {Status::NoSpace("x"), RouteKind::kApi, 507},
      {Status::Io("x"), RouteKind::kApi, 500},
      {Status::Corrupt("x"), RouteKind::kIndex, 500},
      {Status::BadGateway("x"), RouteKind::kIndex, 502},
      {Status::Unavailable("x"), RouteKind::kIndex, 503},
      {Status::Timeout("x"), RouteKind::kIndex, 504},
  };
  for (const Case& c : cases) {
    CAPTURE(c.status.message());
    HttpResponse res;
    ReplyError(c.status, c.kind, "http://h/me", &res);
    CHECK(res.status == c.http);
  }
}

TEST_CASE("errors use cargo's JSON shape and escape the detail") {
  HttpResponse res;
  ReplyError(Status::Invalid("bad \"name\"\n"), RouteKind::kApi, "", &res);
  CHECK(res.body == R"({"errors":[{"detail":"bad \"name\"\n"}]})");
  CHECK(res.content_type == "application/json");
}

TEST_CASE("401 on index routes carries cargo's login_url challenge") {
  HttpResponse res;
  ReplyError(Status::Unauthorized("no token"), RouteKind::kIndex, "http://h:1/me", &res);
  REQUIRE(res.headers.size() == 1);
  CHECK(res.headers[0].first == "WWW-Authenticate");
  CHECK(res.headers[0].second == "Cargo login_url=\"http://h:1/me\"");
}

TEST_CASE("login_url is a quoted-string: quotes and backslashes escaped, controls dropped") {
  HttpResponse res;
  ReplyError(Status::Unauthorized("no token"), RouteKind::kIndex, "http://a\"b\\c\r\nX: y/me",
             &res);
  REQUIRE(res.headers.size() == 1);
  CHECK(res.headers[0].second == "Cargo login_url=\"http://a\\\"b\\\\cX: y/me\"");
}

}  // namespace registry
