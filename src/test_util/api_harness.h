// An App and its Api in a temp directory, driven in-process: requests go straight to
// Api::Handle, signed in with real web sessions. For tests of handlers' answers and effects.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>

#include "app/app.h"
#include "base/clock.h"
#include "http/api.h"
#include "test_util/temp_dir.h"

namespace registry {

class ApiHarness {
 public:
  struct Session {
    std::string cookie;  // "registry_session=..."
    std::string csrf;
  };

  // `clock` is the Api's (back-off, cookie lifetimes); the app's services keep the system's.
  explicit ApiHarness(ApiOptions options = {}, const Clock* clock = &SystemClock()) {
    auto opened = App::Open(dir.path(), RegistryOptions{});
    REQUIRE_MESSAGE(opened.ok(), opened.status().message());
    app = std::move(*opened);
    Result<User> a = app->users().Add(Actor::ForCli(), "admin", true);
    Result<User> m = app->users().Add(Actor::ForCli(), "alice", false);
    REQUIRE(a.ok());
    REQUIRE(m.ok());
    admin = *a;
    alice = *m;
    AuthServices auth{&app->users(), &app->tokens(), &app->sessions(), &app->audit()};
    api = std::make_unique<Api>(&app->registry(), auth, clock, std::move(options));
  }

  Session SignIn(const User& user) {
    Result<NewSession> s = app->sessions().Create(user, "10.0.0.1");
    REQUIRE(s.ok());
    return Session{std::string(kSessionCookie) + "=" + s->secret, s->csrf_token};
  }

  // `session` null: no cookie.
  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body,
                    const Session* session, const std::string& address = "10.0.0.1") {
    HttpRequest req;
    req.method = method;
    req.path = path;
    req.body = body;
    req.remote_addr = address;
    req.headers["host"] = "registry.test";
    req.headers["content-type"] = "application/json";
    if (session) {
      req.headers["cookie"] = session->cookie;
      req.headers["x-csrf-token"] = session->csrf;
    }
    HttpResponse res;
    api->Handle(req, &res);
    return res;
  }

  // The user as stored now; REQUIREs that it exists.
  User Stored(const std::string& login) {
    Result<User> u = app->users().Find(login);
    REQUIRE(u.ok());
    return *u;
  }

  TempDir dir;  // first: the app's files live in it
  std::unique_ptr<App> app;
  std::unique_ptr<Api> api;
  User admin;
  User alice;
};

}  // namespace registry
