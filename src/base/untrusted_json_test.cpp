// Tests for ParseUntrustedJson and JsonNestingDepth.
#include "base/untrusted_json.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {
namespace {

TEST_CASE("JsonNestingDepth counts brackets outside strings only") {
  struct Case {
    const char* text;
    size_t depth;
  };
  const Case cases[] = {
      {"1", 0},        {"[]", 1},           {"[[],[[]]]", 3}, {"{\"a\":[{}]}", 3},
      {"\"[[[[\"", 0}, {"[\"\\\"[[\"]", 1}, {"]]]][", 1},     {"{\"a\\\\\":[]}", 2},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    CHECK(JsonNestingDepth(c.text, 100) == c.depth);
  }
}

TEST_CASE("ParseUntrustedJson refuses nesting over the limit before building anything") {
  std::string deep(100000, '[');
  Result<nlohmann::json> j = ParseUntrustedJson(deep, 64);
  REQUIRE_FALSE(j.ok());
  CHECK(j.status().code() == Code::kInvalid);
  CHECK(j.status().message() == "JSON nested deeper than 64 levels");
  std::string ok = std::string(64, '[') + std::string(64, ']');
  CHECK(ParseUntrustedJson(ok, 64).ok());
}

TEST_CASE("ParseUntrustedJson reports bad JSON without the library's text") {
  Result<nlohmann::json> j = ParseUntrustedJson("{\"a\":", 64);
  REQUIRE_FALSE(j.ok());
  CHECK(j.status().message() == "not valid JSON");
  Result<nlohmann::json> good = ParseUntrustedJson("{\"a\":[1,2]}", 64);
  REQUIRE(good.ok());
  CHECK((*good)["a"].size() == 2);
}

}  // namespace
}  // namespace registry
