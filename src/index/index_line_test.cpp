// Tests for the sparse-index JSON line and its pubtime format.
#include "index/index_line.h"

#include <doctest/doctest.h>

#include <ctime>
#include <string>

namespace registry {
namespace {

TEST_CASE("FormatPubtime writes UTC as YYYY-MM-DDTHH:MM:SSZ") {
  struct Case {
    int64_t unix_seconds;
    const char* text;
  };
  const Case kCases[] = {
      {0, "1970-01-01T00:00:00Z"},
      {1, "1970-01-01T00:00:01Z"},
      {59, "1970-01-01T00:00:59Z"},
      {86399, "1970-01-01T23:59:59Z"},
      {86400, "1970-01-02T00:00:00Z"},
      {951782400, "2000-02-29T00:00:00Z"},  // leap day in a year divisible by 400
      {951868800, "2000-03-01T00:00:00Z"},
      {1234567890, "2009-02-13T23:31:30Z"},
      {1700000000, "2023-11-14T22:13:20Z"},
      {1709164800, "2024-02-29T00:00:00Z"},
      {1735689599, "2024-12-31T23:59:59Z"},
      {1735689600, "2025-01-01T00:00:00Z"},
      {1795488960, "2026-11-24T02:56:00Z"},
      {2147483647, "2038-01-19T03:14:07Z"},
      {4107542400, "2100-03-01T00:00:00Z"},  // 2100 is not a leap year
      {253402300799, "9999-12-31T23:59:59Z"},
      {-1, "1969-12-31T23:59:59Z"},
      {-86400, "1969-12-31T00:00:00Z"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.unix_seconds);
    CHECK(FormatPubtime(c.unix_seconds) == c.text);
  }
}

TEST_CASE("FormatPubtime agrees with gmtime_r across centuries") {
  for (int64_t t = -2208988800; t < 7258118400; t += 7777777) {  // 1900 to 2200
    CAPTURE(t);
    time_t time = static_cast<time_t>(t);
    // A 32-bit time_t (armhf) holds 1901-2038 only: there gmtime_r is no reference for the rest,
    // which the table above covers.
    if (time != t) continue;
    struct tm parts {};
    REQUIRE(gmtime_r(&time, &parts) != nullptr);
    char expected[32];
    strftime(expected, sizeof(expected), "%Y-%m-%dT%H:%M:%SZ", &parts);
    CHECK(FormatPubtime(t) == expected);
  }
}

IndexEntry MinimalEntry() {
  IndexEntry entry;
  entry.name = "foo";
  entry.vers = "0.1.0";
  entry.cksum = "0000000000000000000000000000000000000000000000000000000000000000";
  entry.pubtime = 0;
  return entry;
}

TEST_CASE("IndexLineJson writes a minimal entry with every required field") {
  CHECK(
      IndexLineJson(MinimalEntry()) ==
      R"({"name":"foo","vers":"0.1.0","deps":[],"cksum":"0000000000000000000000000000000000000000000000000000000000000000","features":{},"yanked":false,"links":null,"pubtime":"1970-01-01T00:00:00Z"})");
}

TEST_CASE("IndexLineJson writes a full entry exactly as cargo reads it") {
  IndexEntry entry;
  entry.name = "My-Crate";  // the name keeps its case inside the line
  entry.vers = "1.2.3-rc.1+build.5";
  entry.cksum = "d867001db0e2b6e0496f9fac96930e2d42233ecd3ca0413e0753d4c7695d289c";
  entry.yanked = true;
  entry.links = "z";
  entry.rust_version = "1.60";
  entry.pubtime = 1700000000;

  IndexDependency normal;
  normal.name = "serde";
  normal.req = "^1.0";
  normal.features = {"derive", "rc"};
  entry.deps.push_back(normal);

  IndexDependency renamed;  // `json = { package = "serde_json", optional = true }`
  renamed.name = "json";
  renamed.req = ">=1.0.2, <2";
  renamed.optional = true;
  renamed.default_features = false;
  renamed.package = "serde_json";
  entry.deps.push_back(renamed);

  IndexDependency target_specific;
  target_specific.name = "winapi";
  target_specific.req = "^0.3";
  target_specific.target = "cfg(windows)";
  entry.deps.push_back(target_specific);

  IndexDependency build;
  build.name = "cc";
  build.req = "^1";
  build.kind = "build";
  entry.deps.push_back(build);

  IndexDependency dev;  // a dev-dependency from crates.io
  dev.name = "rand";
  dev.req = "^0.8";
  dev.kind = "dev";
  dev.registry = "https://github.com/rust-lang/crates.io-index";
  entry.deps.push_back(dev);

  entry.features = {
      {"default", {"std"}},
      {"std", {}},
      {"serde", {"dep:json", "serde/std"}},
      {"weak", {"json?/std"}},
      {"plain", {"serde/derive"}},
  };

  CHECK(
      IndexLineJson(entry) ==
      R"j({"name":"My-Crate","vers":"1.2.3-rc.1+build.5","deps":[)j"
      R"j({"name":"serde","req":"^1.0","features":["derive","rc"],"optional":false,"default_features":true,"target":null,"kind":"normal","registry":null},)j"
      R"j({"name":"json","req":">=1.0.2, <2","features":[],"optional":true,"default_features":false,"target":null,"kind":"normal","registry":null,"package":"serde_json"},)j"
      R"j({"name":"winapi","req":"^0.3","features":[],"optional":false,"default_features":true,"target":"cfg(windows)","kind":"normal","registry":null},)j"
      R"j({"name":"cc","req":"^1","features":[],"optional":false,"default_features":true,"target":null,"kind":"build","registry":null},)j"
      R"j({"name":"rand","req":"^0.8","features":[],"optional":false,"default_features":true,"target":null,"kind":"dev","registry":"https://github.com/rust-lang/crates.io-index"}],)j"
      R"j("cksum":"d867001db0e2b6e0496f9fac96930e2d42233ecd3ca0413e0753d4c7695d289c",)j"
      R"j("features":{"default":["std"],"plain":["serde/derive"],"std":[]},)j"
      R"j("features2":{"serde":["dep:json","serde/std"],"weak":["json?/std"]},)j"
      R"j("yanked":true,"links":"z","rust_version":"1.60","pubtime":"2023-11-14T22:13:20Z","v":2})j");
}

TEST_CASE("IndexLineJson splits features by the syntax their values use") {
  struct Case {
    std::vector<std::string> values;
    bool in_features2;
  };
  const Case kCases[] = {
      {{}, false},
      {{"std"}, false},
      {{"serde/std"}, false},
      {{"other-feature", "dep:serde"}, true},
      {{"serde?/std"}, true},
      {{"undep:x"}, false},  // "dep:" only counts as a prefix
      {{"a?b/c"}, false},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.values.size());
    IndexEntry entry = MinimalEntry();
    entry.features["f"] = c.values;
    std::string line = IndexLineJson(entry);
    CAPTURE(line);
    CHECK((line.find(R"("features2":{"f":)") != std::string::npos) == c.in_features2);
    CHECK((line.find(R"("features":{"f":)") != std::string::npos) == !c.in_features2);
    CHECK((line.find(R"("v":2)") != std::string::npos) == c.in_features2);
  }
}

TEST_CASE("IndexLineJson escapes strings and never throws on invalid UTF-8") {
  IndexEntry entry = MinimalEntry();
  entry.features["quote\"back\\slash"] = {"line\nbreak"};
  entry.links = "bad\xFFutf8";
  CHECK(
      IndexLineJson(entry) ==
      R"({"name":"foo","vers":"0.1.0","deps":[],"cksum":"0000000000000000000000000000000000000000000000000000000000000000",)"
      R"("features":{"quote\"back\\slash":["line\nbreak"]},"yanked":false,"links":"bad)"
      "\xEF\xBF\xBD"
      R"(utf8","pubtime":"1970-01-01T00:00:00Z"})");
}

}  // namespace
}  // namespace registry
