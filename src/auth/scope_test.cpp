// Tests for scope names and crate-name patterns.
#include "auth/scope.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace registry {
namespace {

TEST_CASE("ParseScope accepts each scope name and ScopeName gives it back") {
  for (Scope s :
       {kScopeRead, kScopePublishNew, kScopePublishUpdate, kScopeYank, kScopeChangeOwners}) {
    CAPTURE(ScopeName(s));
    Result<Scope> parsed = ParseScope(ScopeName(s));
    REQUIRE(parsed.ok());
    CHECK(*parsed == s);
  }
}

TEST_CASE("ParseScope names the unknown scope and lists the known ones") {
  Result<Scope> s = ParseScope("publish");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kInvalid);
  CHECK(s.status().message() ==
        "unknown scope `publish`: expected read, publish-new, publish-update, yank, "
        "change-owners or docs");
}

TEST_CASE("FormatScopes and ParseScopes round-trip every scope set") {
  for (ScopeSet set = 0; set <= kAllScopes; ++set) {
    CAPTURE(set);
    Result<ScopeSet> parsed = ParseScopes(FormatScopes(set));
    REQUIRE(parsed.ok());
    CHECK(*parsed == (set | kScopeRead));
  }
}

TEST_CASE("FormatScopes lists scopes in a fixed order, read first") {
  CHECK(FormatScopes(kAllScopes) == "read publish-new publish-update yank change-owners docs");
  CHECK(FormatScopes(kScopeYank | kScopePublishNew) == "read publish-new yank");
  CHECK(ScopeNames(kScopeChangeOwners) == std::vector<std::string>{"read", "change-owners"});
}

TEST_CASE("read is always included, even in an empty scope set") {
  CHECK(FormatScopes(0) == "read");
  Result<ScopeSet> empty = ParseScopes("");
  REQUIRE(empty.ok());
  CHECK(*empty == kScopeRead);
  Result<ScopeSet> yank = ParseScopes("yank");
  REQUIRE(yank.ok());
  CHECK(*yank == (kScopeRead | kScopeYank));
}

TEST_CASE("ParseScopes takes any order and any whitespace") {
  Result<ScopeSet> s = ParseScopes("  yank\tpublish-new\n\nread  ");
  REQUIRE(s.ok());
  CHECK(*s == (kScopeRead | kScopeYank | kScopePublishNew));
}

TEST_CASE("ParseScopes fails on the first unknown name") {
  Result<ScopeSet> s = ParseScopes("read delete yank");
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kInvalid);
  CHECK(s.status().message() ==
        "unknown scope `delete`: expected read, publish-new, publish-update, yank, "
        "change-owners or docs");
}

TEST_CASE("ValidateCratePattern accepts names and prefixes ending in *") {
  for (const char* good : {"foo", "my-corp-*", "a_b*", "Foo9", "x*"}) {
    CAPTURE(std::string(good));
    CHECK(ValidateCratePattern(good).ok());
  }
}

TEST_CASE("ValidateCratePattern rejects bad patterns with the reason") {
  const std::string empty_stem =
      "`: give a crate name or a prefix ending in `*`, such as `my-corp-*`";
  const std::string bad_char = "`: only letters, digits, `-`, `_` and a final `*` are allowed";
  struct Case {
    std::string pattern;
    std::string message;
  } cases[] = {
      {"", "invalid crate pattern `" + empty_stem},
      {"*", "invalid crate pattern `*" + empty_stem},
      {"a*b", "invalid crate pattern `a*b" + bad_char},
      {"a**", "invalid crate pattern `a**" + bad_char},
      {"foo bar", "invalid crate pattern `foo bar" + bad_char},
      {"\xc3\xa9", "invalid crate pattern `\xc3\xa9" + bad_char},  // "é"
  };
  for (const Case& c : cases) {
    CAPTURE(c.pattern);
    Status st = ValidateCratePattern(c.pattern);
    CHECK(st.code() == Code::kInvalid);
    CHECK(st.message() == c.message);
  }
}

TEST_CASE("CratePatternMatches compares canonical names, exactly or by prefix") {
  struct Case {
    const char* pattern;
    const char* name;
    bool matches;
  } cases[] = {
      {"foo", "foo", true},
      {"foo", "FOO", true},
      {"foo_bar", "foo-bar", true},
      {"foo", "foo-bar", false},  // no `*`: exact only
      {"foo", "fo", false},
      {"foo*", "foo", true},  // a prefix matches itself
      {"foo*", "foobar", true},
      {"foo*", "fo", false},
      {"my-corp-*", "my-corp-x", true},
      {"my-corp-*", "my_corp_x", true},
      {"My_Corp-*", "my-corp-x", true},
      {"my-corp-*", "MY-CORP-X", true},
      {"my-corp-*", "my-corpx", false},
      {"my-corp-*", "other-my-corp-x", false},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.pattern));
    CAPTURE(std::string(c.name));
    CHECK(CratePatternMatches(c.pattern, c.name) == c.matches);
  }
}

TEST_CASE("AnyCratePatternMatches allows any crate for an empty list") {
  CHECK(AnyCratePatternMatches({}, "anything"));
}

TEST_CASE("AnyCratePatternMatches needs one matching pattern") {
  std::vector<std::string> patterns = {"serde", "my-corp-*"};
  CHECK(AnyCratePatternMatches(patterns, "serde"));
  CHECK(AnyCratePatternMatches(patterns, "my_corp_tool"));
  CHECK_FALSE(AnyCratePatternMatches(patterns, "serde_json"));
  CHECK_FALSE(AnyCratePatternMatches(patterns, "tokio"));
}

}  // namespace
}  // namespace registry
