// Tests for upstream fetches: proxy selection, and real GETs against a loopback server.
#include "mirror/fetcher.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <map>
#include <thread>

namespace registry {

TEST_CASE("proxies come from the environment, NO_PROXY wins") {
  std::map<std::string, std::string> vars;
  auto env = [&](const char* name) {
    auto it = vars.find(name);
    return it == vars.end() ? std::string() : it->second;
  };
  CHECK(ProxyFor("https://index.crates.io/1/a", env) == "");
  vars["HTTPS_PROXY"] = "http://user:pw@proxy.corp:3128/";
  vars["http_proxy"] = "plain:8080";
  CHECK(ProxyFor("https://index.crates.io/1/a", env) == "proxy.corp:3128");
  CHECK(ProxyFor("http://mirror.local/x", env) == "plain:8080");
  vars["NO_PROXY"] = "localhost, .crates.io";
  CHECK(ProxyFor("https://index.crates.io/1/a", env) == "");
  CHECK(ProxyFor("https://crates.io/", env) == "");
  CHECK(ProxyFor("https://notcrates.io/", env) == "proxy.corp:3128");
  vars["NO_PROXY"] = "*";
  CHECK(ProxyFor("http://mirror.local/x", env) == "");
}

TEST_CASE("a GET returns status, body and validators; If-None-Match is sent") {
  httplib::Server server;
  server.Get("/1/a", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"") {
      res.status = 304;
      return;
    }
    res.set_header("ETag", "\"v1\"");
    res.set_content("{\"name\":\"a\"}\n", "text/plain");
  });
  int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  HttpFetcher fetcher({});
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  Result<FetchResponse> r = fetcher.Get({base + "/1/a", ""});
  REQUIRE(r.ok());
  CHECK(r->status == 200);
  CHECK(r->body == "{\"name\":\"a\"}\n");
  CHECK(r->etag == "\"v1\"");
  Result<FetchResponse> again = fetcher.Get({base + "/1/a", "\"v1\""});
  REQUIRE(again.ok());
  CHECK(again->status == 304);
  // A host name is resolved (c-ares) to the loopback address the server listens on.
  Result<FetchResponse> by_name = fetcher.Get({"http://localhost:" + std::to_string(port) + "/1/a", ""});
  REQUIRE(by_name.ok());
  CHECK(by_name->status == 200);
  Result<FetchResponse> unknown = fetcher.Get({"http://no-such-host.invalid/1/a", ""});
  CHECK((unknown.status().code() == Code::kUnavailable || unknown.status().code() == Code::kTimeout));
  CHECK(unknown.status().message().rfind(
            "http://no-such-host.invalid/1/a: cannot resolve no-such-host.invalid: ", 0) == 0);
  Result<FetchResponse> missing = fetcher.Get({base + "/1/b", ""});
  REQUIRE(missing.ok());
  CHECK(missing->status == 404);
  server.stop();
  t.join();
  Result<FetchResponse> down = fetcher.Get({base + "/1/a", ""});
  CHECK(down.status().code() == Code::kUnavailable);
  CHECK(down.status().message() == base + "/1/a: cannot connect");
}

}  // namespace registry
