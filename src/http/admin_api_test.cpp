// Tests of the routes behind the web UI's search sort, dashboard, audit-log page, account
// sessions and display name, and of what sign-in tells a disabled account, through Api::Handle.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "test_util/api_harness.h"

namespace registry {
namespace {

using nlohmann::json;

// A GET with a query string, as the transport would hand it over (already split and decoded).
HttpResponse Get(ApiHarness& h, const std::string& path, FieldMap query,
                 const ApiHarness::Session* session) {
  HttpRequest req;
  req.method = "GET";
  req.path = path;
  req.query = std::move(query);
  req.remote_addr = "10.0.0.1";
  req.headers["host"] = "registry.test";
  if (session) req.headers["cookie"] = session->cookie;
  HttpResponse res;
  h.api->Handle(req, &res);
  return res;
}

std::string Detail(const HttpResponse& res) {
  json j = json::parse(res.body, nullptr, false);
  if (!j.is_object() || !j.contains("errors")) return "";
  return j["errors"][0]["detail"].get<std::string>();
}

TEST_CASE("GET /api/v1/site states the server's password rule") {
  ApiHarness h;
  HttpResponse res = Get(h, "/api/v1/site", {}, nullptr);
  REQUIRE(res.status == 200);
  json j = json::parse(res.body);
  CHECK(j["password_rule"]["min_bytes"] == 10);
  CHECK(j["password_rule"]["max_bytes"] == 1024);
}

TEST_CASE("search takes crates.io's sort values and refuses others with a 400") {
  ApiHarness h;
  ApiHarness::Session admin = h.SignIn(h.admin);
  for (const char* sort : {"relevance", "recent-updates", "downloads", "alpha"}) {
    CAPTURE(sort);
    HttpResponse res = Get(h, "/api/v1/crates", {{"q", "x"}, {"sort", sort}}, &admin);
    CHECK(res.status == 200);
    CHECK(res.body.find(R"("meta":{"total":0})") != std::string::npos);
  }
  HttpResponse bad = Get(h, "/api/v1/crates", {{"sort", "newest"}}, &admin);
  CHECK(bad.status == 400);
  CHECK(Detail(bad) ==
        "unknown sort \"newest\": use relevance, recent-updates, downloads or alpha");
}

TEST_CASE("the dashboard's figures are for administrators, over 1 to 366 days") {
  ApiHarness h;
  ApiHarness::Session admin = h.SignIn(h.admin);
  ApiHarness::Session alice = h.SignIn(h.alice);
  HttpResponse res = Get(h, "/api/v1/stats", {}, &admin);
  REQUIRE(res.status == 200);
  json j = json::parse(res.body);
  CHECK(j["users"] == 2);
  CHECK(j["crates"] == 0);
  CHECK(j["days"] == 30);
  CHECK(j["mirror"].is_null());
  CHECK(Get(h, "/api/v1/stats", {{"days", "366"}}, &admin).status == 200);
  for (const char* days : {"0", "367", "abc", "-1", "99999"}) {
    CAPTURE(days);
    HttpResponse bad = Get(h, "/api/v1/stats", {{"days", days}}, &admin);
    CHECK(bad.status == 400);
    CHECK(Detail(bad).find("days must be") == 0);
  }
  HttpResponse member = Get(h, "/api/v1/stats", {}, &alice);
  CHECK(member.status == 403);
  CHECK(member.body.find("\"users\":") == std::string::npos);
}

TEST_CASE("the audit log filters on the server, pages back and refuses bad filters") {
  ApiHarness h;
  ApiHarness::Session admin = h.SignIn(h.admin);
  ApiHarness::Session alice = h.SignIn(h.alice);  // audited: a login by alice
  // Three more events by admin.
  for (const char* name : {"one", "two", "three"}) {
    HttpResponse made =
        h.Send("POST", "/api/v1/tokens",
               std::string(R"({"name":")") + name + R"(","scopes":["read"]})", &admin);
    REQUIRE(made.status == 200);
  }
  HttpResponse by_alice = Get(h, "/api/v1/audit", {{"user", "alice"}}, &admin);
  REQUIRE(by_alice.status == 200);
  json events = json::parse(by_alice.body)["events"];
  REQUIRE(events.size() == 1);
  CHECK(events[0]["action"] == "login");

  HttpResponse page1 =
      Get(h, "/api/v1/audit", {{"action", "token-create"}, {"limit", "2"}}, &admin);
  REQUIRE(page1.status == 200);
  json p1 = json::parse(page1.body);
  REQUIRE(p1["events"].size() == 2);
  REQUIRE(p1["next_before"].is_number());
  HttpResponse page2 = Get(h, "/api/v1/audit",
                           {{"action", "token-create"},
                            {"limit", "2"},
                            {"before", std::to_string(p1["next_before"].get<int64_t>())}},
                           &admin);
  json p2 = json::parse(page2.body);
  REQUIRE(p2["events"].size() == 1);
  CHECK(p2["next_before"].is_null());
  CHECK(p2["events"][0]["detail"].get<std::string>().find("one") != std::string::npos);

  HttpResponse bad_time = Get(h, "/api/v1/audit", {{"since", "yesterday"}}, &admin);
  CHECK(bad_time.status == 400);
  CHECK(Detail(bad_time) == "since must be a whole number (Unix seconds or an id)");
  HttpResponse long_filter = Get(h, "/api/v1/audit", {{"crate", std::string(101, 'x')}}, &admin);
  CHECK(long_filter.status == 400);
  CHECK(Get(h, "/api/v1/audit", {}, &alice).status == 403);
}

TEST_CASE("the account page lists its sessions, and signing out everywhere ends them all") {
  ApiHarness h;
  ApiHarness::Session here = h.SignIn(h.alice);
  ApiHarness::Session there = h.SignIn(h.alice);
  ApiHarness::Session admin = h.SignIn(h.admin);
  HttpResponse list = Get(h, "/api/v1/sessions", {}, &here);
  REQUIRE(list.status == 200);
  json sessions = json::parse(list.body)["sessions"];
  REQUIRE(sessions.size() == 2);
  CHECK(sessions[0]["current"] != sessions[1]["current"]);
  CHECK(sessions[0]["address"] == "10.0.0.1");

  HttpResponse out = h.Send("DELETE", "/api/v1/sessions", "", &here);
  REQUIRE(out.status == 200);
  CHECK(out.body.find(R"("ended":2)") != std::string::npos);
  CHECK(Get(h, "/api/v1/sessions", {}, &here).status == 403);
  CHECK(Get(h, "/api/v1/sessions", {}, &there).status == 403);
  CHECK(Get(h, "/api/v1/sessions", {}, &admin).status == 200);  // another user's stay
}

TEST_CASE("a user sets a display name; a mistyped one is a 400") {
  ApiHarness h;
  ApiHarness::Session alice = h.SignIn(h.alice);
  HttpResponse set = h.Send("PATCH", "/api/v1/users/alice", R"({"name":"Alice L."})", &alice);
  REQUIRE(set.status == 200);
  CHECK(h.Stored("alice").name == "Alice L.");
  HttpResponse bad = h.Send("PATCH", "/api/v1/users/alice", R"({"name":7})", &alice);
  CHECK(bad.status == 400);
  CHECK(Detail(bad) == "the display name must be a string");
}

TEST_CASE("sign-in tells a disabled account so, only after its right password") {
  ApiHarness h;
  REQUIRE(h.app->users().SetPassword(Actor::ForCli(), "alice", "alice-password-1").ok());
  REQUIRE(h.app->users().SetDisabled(Actor::ForCli(), "alice", true).ok());
  HttpResponse wrong = h.Send("POST", "/api/v1/session",
                              R"({"login":"alice","password":"not-her-password"})", nullptr);
  CHECK(wrong.status == 403);
  CHECK(Detail(wrong) == "wrong login or password");
  HttpResponse right = h.Send("POST", "/api/v1/session",
                              R"({"login":"alice","password":"alice-password-1"})", nullptr);
  CHECK(right.status == 403);
  CHECK(Detail(right) == "the account alice is disabled; ask an administrator to enable it");
}

TEST_CASE("the users list tells each user's last sign-in") {
  ApiHarness h;
  ApiHarness::Session admin = h.SignIn(h.admin);
  HttpResponse res = Get(h, "/api/v1/users", {}, &admin);
  REQUIRE(res.status == 200);
  json users = json::parse(res.body)["users"];
  REQUIRE(users.size() == 2);
  CHECK(users[0]["login"] == "admin");
  CHECK(users[0]["last_sign_in_at"].is_string());
  CHECK(users[1]["last_sign_in_at"].is_null());
}

}  // namespace
}  // namespace registry
