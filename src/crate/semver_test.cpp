// Tests for semver parsing, precedence and Cargo version-requirement validation.
#include "crate/semver.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace registry {
namespace {

TEST_CASE("ParseVersion reads major, minor, patch, pre-release and build metadata") {
  struct Case {
    std::string text;
    uint64_t major, minor, patch;
    std::vector<std::string> pre;
    std::string build;
  };
  const Case kCases[] = {
      {"0.0.0", 0, 0, 0, {}, ""},
      {"1.2.3", 1, 2, 3, {}, ""},
      {"10.20.30", 10, 20, 30, {}, ""},
      {"1.0.0-alpha", 1, 0, 0, {"alpha"}, ""},
      {"1.0.0-alpha.1", 1, 0, 0, {"alpha", "1"}, ""},
      {"1.0.0-0.3.7", 1, 0, 0, {"0", "3", "7"}, ""},
      {"1.0.0-x.7.z.92", 1, 0, 0, {"x", "7", "z", "92"}, ""},
      {"1.0.0-x-y-z.--", 1, 0, 0, {"x-y-z", "--"}, ""},
      {"1.0.0-0a", 1, 0, 0, {"0a"}, ""},  // alphanumeric: a leading zero is fine
      {"1.0.0+20130313144700", 1, 0, 0, {}, "20130313144700"},
      {"1.0.0-beta+exp.sha.5114f85", 1, 0, 0, {"beta"}, "exp.sha.5114f85"},
      {"1.0.0+001", 1, 0, 0, {}, "001"},  // build metadata may have leading zeros
      {"0.12.20+1.1.0", 0, 12, 20, {}, "1.1.0"},
      {"1.0.0-rc-1+build-2", 1, 0, 0, {"rc-1"}, "build-2"},
      {"18446744073709551615.0.0", 18446744073709551615ull, 0, 0, {}, ""},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.text);
    Result<Version> version = ParseVersion(c.text);
    REQUIRE(version.ok());
    CHECK(version->major == c.major);
    CHECK(version->minor == c.minor);
    CHECK(version->patch == c.patch);
    CHECK(version->pre == c.pre);
    CHECK(version->build == c.build);
    CHECK(version->ToString() == c.text);
  }
}

TEST_CASE("ParseVersion rejects what strict semver 2.0.0 rejects, saying why") {
  struct Case {
    std::string text;
    std::string message;
  };
  const std::string long_version = "1.0.0-" + std::string(145, 'a');  // 151 characters
  const Case kCases[] = {
      {"", "invalid version ``: the version is empty"},
      {long_version,
       "invalid version `" + long_version + "`: the version is longer than 150 characters"},
      {"1", "invalid version `1`: expected major.minor.patch"},
      {"1.2", "invalid version `1.2`: expected major.minor.patch"},
      {"1.2.", "invalid version `1.2.`: the patch version number is missing"},
      {"1..3", "invalid version `1..3`: unexpected character `.` in the minor version number"},
      {"v1.2.3", "invalid version `v1.2.3`: unexpected character `v` in the major version number"},
      {" 1.2.3", "invalid version ` 1.2.3`: unexpected character ` ` in the major version number"},
      {"1.2.3 ",
       "invalid version `1.2.3 `: unexpected character ` ` after the patch version number"},
      {"1.2.3.4",
       "invalid version `1.2.3.4`: unexpected character `.` after the patch version number"},
      {"1.2a.3",
       "invalid version `1.2a.3`: unexpected character `a` after the minor version number"},
      {"1,2,3", "invalid version `1,2,3`: unexpected character `,` after the major version number"},
      {"01.2.3", "invalid version `01.2.3`: the major version number has a leading zero"},
      {"1.02.3", "invalid version `1.02.3`: the minor version number has a leading zero"},
      {"1.2.00", "invalid version `1.2.00`: the patch version number has a leading zero"},
      {"18446744073709551616.0.0",
       "invalid version `18446744073709551616.0.0`: the major version number is too large"},
      {"1.99999999999999999999.0",
       "invalid version `1.99999999999999999999.0`: the minor version number is too large"},
      {"1.2.3-", "invalid version `1.2.3-`: the pre-release has an empty identifier"},
      {"1.2.3-a..b", "invalid version `1.2.3-a..b`: the pre-release has an empty identifier"},
      {"1.2.3-a.", "invalid version `1.2.3-a.`: the pre-release has an empty identifier"},
      {"1.2.3-01",
       "invalid version `1.2.3-01`: the pre-release identifier `01` has a leading zero"},
      {"1.2.3-a.00",
       "invalid version `1.2.3-a.00`: the pre-release identifier `00` has a leading zero"},
      {"1.2.3-a_b", "invalid version `1.2.3-a_b`: unexpected character `_` in the pre-release"},
      {"1.2.3-\xC3\xA9",
       "invalid version `1.2.3-\xC3\xA9`: unexpected character `\xC3\xA9` in the pre-release"},
      {"1.2.3+", "invalid version `1.2.3+`: the build metadata has an empty identifier"},
      {"1.2.3+a..b", "invalid version `1.2.3+a..b`: the build metadata has an empty identifier"},
      {"1.2.3+a+b", "invalid version `1.2.3+a+b`: unexpected character `+` in the build metadata"},
      {"1.2.3+a_b", "invalid version `1.2.3+a_b`: unexpected character `_` in the build metadata"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.text);
    Result<Version> version = ParseVersion(c.text);
    REQUIRE_FALSE(version.ok());
    CHECK(version.status().code() == Code::kInvalid);
    CHECK(version.status().message() == c.message);
  }
}

TEST_CASE("ParseVersion accepts exactly 150 characters") {
  std::string text = "1.0.0-" + std::string(144, 'a');
  REQUIRE(text.size() == 150);
  CHECK(ParseVersion(text).ok());
}

TEST_CASE("Version::WithoutBuild drops only the build metadata") {
  struct Case {
    const char* text;
    const char* without_build;
  };
  const Case kCases[] = {
      {"1.2.3", "1.2.3"},
      {"1.2.3+build.5", "1.2.3"},
      {"1.2.3-alpha.1+build.5", "1.2.3-alpha.1"},
      {"1.2.3-alpha.1", "1.2.3-alpha.1"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.text);
    Result<Version> version = ParseVersion(c.text);
    REQUIRE(version.ok());
    CHECK(version->WithoutBuild() == c.without_build);
  }
}

Version MustParse(const std::string& text) {
  Result<Version> version = ParseVersion(text);
  REQUIRE_MESSAGE(version.ok(), version.status().message());
  return *version;
}

TEST_CASE("CompareVersions orders by semver precedence") {
  // The ordering example from semver.org section 11, plus numeric edge cases.
  const std::vector<std::string> kAscending = {
      "0.9.99",
      "1.0.0-0",
      "1.0.0-2",
      "1.0.0-10",
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-beta.99999999999999999999999",
      "1.0.0-rc.1",
      "1.0.0",
      "1.0.1",
      "1.1.0",
      "1.10.0",
      "2.0.0",
      "18446744073709551615.0.0",
  };
  for (size_t i = 0; i < kAscending.size(); ++i) {
    for (size_t j = 0; j < kAscending.size(); ++j) {
      CAPTURE(kAscending[i]);
      CAPTURE(kAscending[j]);
      int expected = i < j ? -1 : (i > j ? 1 : 0);
      CHECK(CompareVersions(MustParse(kAscending[i]), MustParse(kAscending[j])) == expected);
    }
  }
}

TEST_CASE("CompareVersions ignores build metadata") {
  CHECK(CompareVersions(MustParse("1.0.0+a"), MustParse("1.0.0+b")) == 0);
  CHECK(CompareVersions(MustParse("1.0.0-rc.1+a"), MustParse("1.0.0-rc.1")) == 0);
}

TEST_CASE("CompareVersions compares alphanumeric identifiers in ASCII order") {
  CHECK(CompareVersions(MustParse("1.0.0-Beta"), MustParse("1.0.0-alpha")) < 0);
  CHECK(CompareVersions(MustParse("1.0.0-a-b"), MustParse("1.0.0-a")) > 0);
}

TEST_CASE("ValidateVersionReq accepts Cargo requirement syntax") {
  const char* kCases[] = {
      "1",
      "1.2",
      "1.2.3",
      "^1.2.3",
      "~1.2",
      "=1.2.3",
      ">1",
      ">=1.0",
      "<2",
      "<=2.0.0",
      ">=1.2.3, <1.8.0",
      ">= 1.2, < 2",
      "  1.2  ",
      "1.*",
      "1.x",
      "1.X",
      "1.2.*",
      "1.*.*",
      ">=1.*",
      "0.0.0",
      "1.2.3-alpha.1",
      "=1.2.3-rc.1+build.5",
      "1.2.3+build",
      "1,2,3",
      "^0.4 , >=0.4.5",
  };
  for (const char* req : kCases) {
    CAPTURE(req);
    Status status = ValidateVersionReq(req);
    CHECK_MESSAGE(status.ok(), status.message());
  }
}

TEST_CASE("ValidateVersionReq refuses the bare wildcard") {
  const char* kCases[] = {"*", "x", "X", " * "};
  for (const char* req : kCases) {
    CAPTURE(req);
    Status status = ValidateVersionReq(req);
    CHECK(status.code() == Code::kInvalid);
    CHECK(status.message() ==
          std::string("dependency requirement `") + req +
              "` is not allowed: wildcard requirements are rejected by this registry; use a "
              "version such as `1` or `>=1.0`");
  }
}

TEST_CASE("ValidateVersionReq rejects malformed requirements, saying why") {
  struct Case {
    std::string req;
    std::string message;
  };
  std::string many = "1";
  for (int i = 0; i < 32; ++i) many += ", 1";  // 33 comparators
  std::string most = "1";
  for (int i = 0; i < 31; ++i) most += ", 1";  // 32 comparators
  REQUIRE(ValidateVersionReq(most).ok());
  const Case kCases[] = {
      {"", "invalid version requirement ``: the requirement is empty"},
      {"   ", "invalid version requirement `   `: the requirement is empty"},
      {"*, >1",
       "invalid version requirement `*, >1`: the wildcard `*` must be the only "
       "comparator"},
      {"1, *",
       "invalid version requirement `1, *`: the wildcard `*` must be the only "
       "comparator"},
      {"* 1",
       "invalid version requirement `* 1`: unexpected character `1` after the wildcard "
       "`*`"},
      {"xyz",
       "invalid version requirement `xyz`: unexpected character `y` after the wildcard "
       "`x`"},
      {">=*",
       "invalid version requirement `>=*`: unexpected character `*` in the major "
       "version number"},
      {">=", "invalid version requirement `>=`: the major version number is missing"},
      {"1.2,", "invalid version requirement `1.2,`: the major version number is missing"},
      {"1.", "invalid version requirement `1.`: the minor version number is missing"},
      {"v1",
       "invalid version requirement `v1`: unexpected character `v` in the major version "
       "number"},
      {"~>1.2",
       "invalid version requirement `~>1.2`: unexpected character `>` in the major "
       "version number"},
      {"==1",
       "invalid version requirement `==1`: unexpected character `=` in the major "
       "version number"},
      {"01", "invalid version requirement `01`: the major version number has a leading zero"},
      {"1.02",
       "invalid version requirement `1.02`: the minor version number has a leading "
       "zero"},
      {"99999999999999999999",
       "invalid version requirement `99999999999999999999`: the major version number is too "
       "large"},
      {"1.*.3",
       "invalid version requirement `1.*.3`: a wildcard can only be followed by "
       "another wildcard"},
      {"1.2.3.4",
       "invalid version requirement `1.2.3.4`: expected `,` after the patch version "
       "number, found `.`"},
      {">=1.0 <2",
       "invalid version requirement `>=1.0 <2`: expected `,` after the minor "
       "version number, found `<`"},
      {"1 2",
       "invalid version requirement `1 2`: expected `,` after the major version number, "
       "found `2`"},
      {"1.2-alpha",
       "invalid version requirement `1.2-alpha`: expected `,` after the minor "
       "version number, found `-`"},
      {"1.2.*-alpha",
       "invalid version requirement `1.2.*-alpha`: expected `,` after the patch "
       "version number, found `-`"},
      {"1.2.3-",
       "invalid version requirement `1.2.3-`: the pre-release has an empty "
       "identifier"},
      {"1.2.3-01",
       "invalid version requirement `1.2.3-01`: the pre-release identifier `01` "
       "has a leading zero"},
      {"1.2.3-a_b",
       "invalid version requirement `1.2.3-a_b`: expected `,` after the "
       "pre-release, found `_`"},
      {"1.2.3+",
       "invalid version requirement `1.2.3+`: the build metadata has an empty "
       "identifier"},
      {"\t1",
       "invalid version requirement `\t1`: unexpected character `\t` in the major "
       "version number"},
      {many, "invalid version requirement `" + many + "`: more than 32 comparators"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.req);
    Status status = ValidateVersionReq(c.req);
    CHECK(status.code() == Code::kInvalid);
    CHECK(status.message() == c.message);
  }
}

}  // namespace
}  // namespace registry
