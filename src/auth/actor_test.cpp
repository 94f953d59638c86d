// Tests for an actor's scope and crate-pattern checks.
#include "auth/actor.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {
namespace {

// An actor authenticated by token 7 with `scopes` limited to `patterns`.
Actor TokenActor(ScopeSet scopes, std::vector<std::string> patterns = {}) {
  Actor a;
  a.user = User{1, "alice", "", false, false};
  a.token_id = 7;
  a.token_name = "ci";
  a.scopes = scopes;
  a.crate_patterns = std::move(patterns);
  a.address = "127.0.0.1";
  return a;
}

TEST_CASE("Require with a missing scope is Forbidden naming the scope") {
  Actor a = TokenActor(kScopeRead | kScopeYank);
  Status st = a.Require(kScopePublishNew, "serde");
  CHECK(st.code() == Code::kForbidden);
  CHECK(st.message() ==
        "this token lacks the `publish-new` scope (it has: read yank); create a token with "
        "`publish-new`");
}

TEST_CASE("Require with a granted scope and matching pattern is Ok") {
  Actor a = TokenActor(kScopeRead | kScopeYank, {"my-corp-*"});
  CHECK(a.Require(kScopeYank, "my_corp_tool").ok());
}

TEST_CASE("Require outside the crate patterns is Forbidden naming the patterns and crate") {
  Actor a = TokenActor(kAllScopes, {"my-corp-*", "serde"});
  Status st = a.Require(kScopePublishUpdate, "tokio");
  CHECK(st.code() == Code::kForbidden);
  CHECK(st.message() ==
        "this token is limited to crates matching `my-corp-*`, `serde`, which `tokio` does not "
        "match");
}

TEST_CASE("RequireRead with an empty crate name skips the patterns") {
  Actor a = TokenActor(kScopeRead, {"my-corp-*"});
  CHECK(a.RequireRead("").ok());
  CHECK(a.RequireRead("tokio").code() == Code::kForbidden);
}

TEST_CASE("ForSession has every scope and no crate limit") {
  Actor a = Actor::ForSession(User{3, "carol", "", false, false}, 42, "10.0.0.1");
  CHECK(a.scopes == kAllScopes);
  CHECK(a.crate_patterns.empty());
  CHECK(a.session_id == 42);
  CHECK(a.token_id == 0);
  CHECK(a.address == "10.0.0.1");
  for (Scope s :
       {kScopeRead, kScopePublishNew, kScopePublishUpdate, kScopeYank, kScopeChangeOwners}) {
    CAPTURE(ScopeName(s));
    CHECK(a.Require(s, "any-crate").ok());
  }
}

TEST_CASE("a session actor's refusal says this session") {
  Actor a = Actor::ForSession(User{3, "carol", "", false, false}, 42, "10.0.0.1");
  a.scopes = kScopeRead;
  CHECK(a.Require(kScopeYank, "serde").message() ==
        "this session lacks the `yank` scope (it has: read); create a token with `yank`");
}

TEST_CASE("ForCli marks the address as the command line") {
  Actor a = Actor::ForCli();
  CHECK(a.address.rfind("cli:", 0) == 0);
  CHECK(a.user.id == 0);
  CHECK(a.scopes == kAllScopes);
}

}  // namespace
}  // namespace registry
