// Fuzzes the JSON request bodies of the web API through Api::Handle, signed in as a member, on
// a real data directory: no body may get a 500 or the JSON library's text in a reply.
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "app/app.h"
#include "base/clock.h"
#include "http/api.h"

namespace {

using namespace registry;

std::string* g_dir = nullptr;  // removed at exit

struct Fixture {
  std::unique_ptr<App> app;
  std::unique_ptr<Api> api;
  std::string cookie;
  std::string csrf;
};

Fixture* Setup() {
  char dir[] = "/tmp/json_body_fuzz.XXXXXX";
  if (!mkdtemp(dir)) __builtin_trap();
  auto f = new Fixture;
  Result<std::unique_ptr<App>> app = App::Open(dir, RegistryOptions{});
  if (!app.ok()) {
    std::fprintf(stderr, "json_body_fuzz: cannot open %s: %s\n", dir,
                 app.status().message().c_str());
    __builtin_trap();
  }
  f->app = std::move(*app);
  if (!f->app->users().Add(Actor::ForCli(), "admin", true).ok()) __builtin_trap();
  Result<User> alice = f->app->users().Add(Actor::ForCli(), "alice", false);
  if (!alice.ok()) __builtin_trap();
  Result<NewSession> s = f->app->sessions().Create(*alice, "10.0.0.1");
  if (!s.ok()) __builtin_trap();
  f->cookie = std::string(kSessionCookie) + "=" + s->secret;
  f->csrf = s->csrf_token;
  AuthServices auth{&f->app->users(), &f->app->tokens(), &f->app->sessions(), &f->app->audit()};
  f->api = std::make_unique<Api>(&f->app->registry(), auth, &SystemClock(), ApiOptions{});
  g_dir = new std::string(dir);
  std::atexit([] {
    std::error_code ec;
    std::filesystem::remove_all(*g_dir, ec);
  });
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture* f = Setup();
  // PATCH of oneself with a password runs scrypt and changes the password: left out so each run
  // stays fast; the same field readers serve it.
  static const char* const kRoutes[][2] = {{"POST", "/api/v1/users"},
                                           {"POST", "/api/v1/tokens"},
                                           {"PATCH", "/api/v1/users/alice"},
                                           {"PUT", "/api/v1/crates/nothing/owners"}};
  std::string body(reinterpret_cast<const char*>(data), size);
  if (body.find("password") != std::string::npos) return 0;
  for (const auto& route : kRoutes) {
    HttpRequest req;
    req.method = route[0];
    req.path = route[1];
    req.body = body;
    req.remote_addr = "10.0.0.1";
    req.headers["host"] = "registry.test";
    req.headers["content-type"] = "application/json";
    req.headers["cookie"] = f->cookie;
    req.headers["x-csrf-token"] = f->csrf;
    HttpResponse res;
    f->api->Handle(req, &res);
    if (res.status >= 500 || res.body.find("json.exception") != std::string::npos) {
      std::fprintf(stderr, "%s %s -> %d %s\n", route[0], route[1], res.status, res.body.c_str());
      __builtin_trap();
    }
  }
  return 0;
}
