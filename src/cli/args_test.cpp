// Tests for command-line parsing.
#include "cli/args.h"

#include <doctest/doctest.h>

namespace registry {

static const std::vector<CommandSpec>& Specs() {
  static const std::vector<CommandSpec> specs = {
      {"serve", {"--data", "--listen"}, {}, {"--data"}, 0, 0, "", ""},
      {"user add", {"--data"}, {"--admin"}, {"--data"}, 1, 1, "", ""},
      {"token create", {"--data", "--user", "--name"}, {}, {"--data", "--user"}, 0, 0, "", ""},
  };
  return specs;
}

TEST_CASE("ParseArgs picks commands, options, flags and positionals") {
  auto a = ParseArgs({"user", "add", "--data", "/d", "alice", "--admin"}, Specs(), "serve");
  REQUIRE(a.ok());
  CHECK(a->spec->name == "user add");
  CHECK(a->Get("--data") == "/d");
  CHECK(a->Has("--admin"));
  CHECK(a->positional == std::vector<std::string>{"alice"});

  auto b = ParseArgs({"--data=/d", "--listen", "127.0.0.1:0"}, Specs(), "serve");
  REQUIRE(b.ok());
  CHECK(b->spec->name == "serve");
  CHECK(b->Get("--listen") == "127.0.0.1:0");
}

TEST_CASE("ParseArgs rejects bad command lines with a clear message") {
  struct Case {
    std::vector<std::string> args;
    const char* error;
  } cases[] = {
      {{"frobnicate"}, "unknown command `frobnicate`"},
      {{"serve"}, "missing required option `--data`"},
      {{"serve", "--data"}, "option `--data` needs a value"},
      {{"serve", "--data", "d", "--bogus"}, "unknown option `--bogus` for `registry serve`"},
      {{"user", "add", "--data", "d"}, "missing argument for `registry user add`"},
      {{"user", "add", "--data", "d", "a", "b"}, "unexpected argument `b`"},
      {{"user", "add", "--data", "d", "a", "--admin=yes"}, "option `--admin` takes no value"},
      {{"token", "create", "--data", "d"}, "missing required option `--user`"},
  };
  for (const Case& c : cases) {
    auto r = ParseArgs(c.args, Specs(), "serve");
    CAPTURE(c.error);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == c.error);
  }
}

TEST_CASE("ParseSize accepts bytes and binary units") {
  CHECK(*ParseSize("10485760") == 10485760);
  CHECK(*ParseSize("10M") == 10485760);
  CHECK(*ParseSize("10MiB") == 10485760);
  CHECK(*ParseSize("512K") == 524288);
  CHECK(*ParseSize("1G") == 1073741824);
  CHECK(ParseSize("ten").status().message() == "invalid size `ten`");
  CHECK(ParseSize("10X").status().message() ==
        "invalid size `10X`: use a number of bytes or K, M, G");
}

TEST_CASE("ParseDuration accepts a whole number of seconds, minutes, hours, days or weeks") {
  struct Case {
    const char* text;
    int64_t seconds;
  } good[] = {{"45s", 45},      {"0s", 0},       {"90m", 5400},      {"12h", 43200},
              {"30d", 2592000}, {"4w", 2419200}, {"999999s", 999999}};
  for (const Case& c : good) {
    CAPTURE(c.text);
    Result<int64_t> d = ParseDuration(c.text);
    REQUIRE(d.ok());
    CHECK(*d == c.seconds);
  }
}

TEST_CASE("ParseDuration rejects anything but digits and one unit") {
  for (std::string text :
       {"", "30", "d", "30x", "-1d", "1234567d", "30D", "1.5d", " 30d", "30d ", "30dd", "1d2h"}) {
    CAPTURE(text);
    Result<int64_t> d = ParseDuration(text);
    REQUIRE_FALSE(d.ok());
    CHECK(d.status().code() == Code::kInvalid);
    CHECK(d.status().message() ==
          "invalid duration `" + text + "`: use e.g. 45s, 90m, 12h, 30d or 4w");
  }
}

TEST_CASE("ParseSince takes a duration ago, a UTC date or a UTC time") {
  const int64_t now = 1795000000;
  struct Case {
    const char* text;
    int64_t at;
  } cases[] = {
      {"7d", now - 7 * 86400},    {"90m", now - 90 * 60},
      {"2026-11-01", 1793491200}, {"2026-11-01T10:00:00Z", 1793527200},
      {"2024-02-29", 1709164800}, {"1970-01-01T00:00:00Z", 0},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.text));
    Result<int64_t> t = ParseSince(c.text, now);
    REQUIRE(t.ok());
    CHECK(*t == c.at);
  }
}

TEST_CASE("ParseSince rejects other times with the accepted forms") {
  for (std::string text :
       {"", "yesterday", "2026-11", "2026/11/01", "2026-11-01T10:00:00", "2026-11-01 10:00:00Z",
        "2026-11-01T10:00Z", "2026-13-01", "2026-11-32", "2026-02-30", "2025-02-29", "2026-04-31",
        "2026-11-01T24:00:00Z", "2026-11-01T10:60:00Z", "01-11-2026"}) {
    CAPTURE(text);
    Result<int64_t> t = ParseSince(text, 1795000000);
    CHECK_FALSE(t.ok());
    CHECK(t.status().code() == Code::kInvalid);
    CHECK(t.status().message() == "invalid time `" + text +
                                      "`: use a duration ago (7d), a date (2026-11-01) or a UTC "
                                      "time (2026-11-01T10:00:00Z)");
  }
}

}  // namespace registry
