// Tests for who may read GET /metrics under each --metrics mode, through Api::Handle.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "app/app.h"
#include "base/clock.h"
#include "http/api.h"
#include "http/metrics.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

class MetricsRoute {
 public:
  explicit MetricsRoute(MetricsAccess access, bool with_metrics = true) {
    auto app = App::Open(dir_.path() + "/data", RegistryOptions{});
    REQUIRE_MESSAGE(app.ok(), app.status().message());
    app_ = std::move(*app);
    REQUIRE(app_->users().Add(Actor::ForCli(), "alice", false).ok());
    TokenSpec spec;
    spec.name = "metrics reader";
    spec.scopes = kScopeRead;
    Result<NewToken> token = app_->tokens().Create(Actor::ForCli(), "alice", spec);
    REQUIRE(token.ok());
    token_ = token->secret;
    ApiOptions options;
    options.metrics = with_metrics ? &metrics_ : nullptr;
    options.metrics_access = access;
    AuthServices auth{&app_->users(), &app_->tokens(), &app_->sessions(), &app_->audit()};
    api_ = std::make_unique<Api>(&app_->registry(), auth, &SystemClock(), options);
  }

  // GET /metrics from `addr`, with alice's read-only token when `with_token`.
  HttpResponse Get(const std::string& addr, bool with_token = false) {
    HttpRequest req;
    req.method = "GET";
    req.path = "/metrics";
    req.remote_addr = addr;
    req.headers["host"] = "registry.test";
    if (with_token) req.headers["authorization"] = token_;
    HttpResponse res;
    api_->Handle(req, &res);
    return res;
  }

 private:
  TempDir dir_;
  std::unique_ptr<App> app_;
  Metrics metrics_{1700000000};
  std::unique_ptr<Api> api_;
  std::string token_;
};

}  // namespace

TEST_CASE("metrics route: loopback mode serves this machine and refuses other addresses") {
  MetricsRoute route(MetricsAccess::kLoopback);
  for (const char* addr : {"127.0.0.1", "::1", "::ffff:127.0.0.1"}) {
    CAPTURE(addr);
    HttpResponse res = route.Get(addr);
    CHECK(res.status == 200);
    CHECK(res.content_type == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(res.body.find("process_start_time_seconds 1700000000\n") != std::string::npos);
    CHECK(res.route == "/metrics");
  }
  HttpResponse remote = route.Get("10.1.2.3", true);  // a token does not help
  CHECK(remote.status == 403);
  CHECK(remote.body ==
        "{\"errors\":[{\"detail\":\"metrics are served to clients on this machine only (the "
        "server runs with --metrics loopback)\"}]}");
}

TEST_CASE("metrics route: token mode needs a valid credential, from any address") {
  MetricsRoute route(MetricsAccess::kToken);
  CHECK(route.Get("127.0.0.1").status == 403);
  HttpResponse res = route.Get("10.1.2.3", true);
  CHECK(res.status == 200);
  CHECK(res.user == "alice");
}

TEST_CASE("metrics route: public mode serves anyone") {
  MetricsRoute route(MetricsAccess::kPublic);
  CHECK(route.Get("10.1.2.3").status == 200);
}

TEST_CASE("metrics route: off, or no metrics at all, is 404") {
  MetricsRoute off(MetricsAccess::kOff);
  CHECK(off.Get("127.0.0.1", true).status == 404);
  MetricsRoute none(MetricsAccess::kPublic, /*with_metrics=*/false);
  CHECK(none.Get("127.0.0.1").status == 404);
}

}  // namespace registry
