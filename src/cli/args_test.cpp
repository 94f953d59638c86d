// Tests for command-line parsing.
#include "cli/args.h"

#include <doctest/doctest.h>

namespace registry {

static const std::vector<CommandSpec>& Specs() {
  static const std::vector<CommandSpec> specs = {
      {"serve", {"--data", "--listen"}, {}, {"--data"}, 0, 0, "", ""},
      {"user add", {"--data"}, {"--admin"}, {"--data"}, 1, 1, "", ""},
      {"user list", {"--data"}, {}, {"--data"}, 0, 0, "", ""},
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
      {{"user"}, "`registry user` needs a subcommand: add, list"},
      {{"user", "--data", "d"}, "`registry user` needs a subcommand: add, list"},
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

namespace registry {

static std::vector<std::string> HelpNames(const std::vector<std::string>& args) {
  Result<HelpRequest> help = FindHelp(args, Specs());
  REQUIRE(help.ok());
  std::vector<std::string> names;
  if (!help->asked) return {"(not asked)"};
  for (const CommandSpec* spec : help->specs) names.push_back(spec->name);
  return names;
}

TEST_CASE("FindHelp names the command, the group or everything asked about") {
  using V = std::vector<std::string>;
  CHECK(HelpNames({"user", "add", "--data", "d"}) == V{"(not asked)"});
  CHECK(HelpNames({"help"}) == V{"serve", "user add", "user list", "token create"});
  CHECK(HelpNames({"--help"}) == V{"serve", "user add", "user list", "token create"});
  CHECK(HelpNames({"user", "--help"}) == V{"user add", "user list"});
  CHECK(HelpNames({"help", "user"}) == V{"user add", "user list"});
  CHECK(HelpNames({"user", "add", "--help"}) == V{"user add"});
  CHECK(HelpNames({"user", "add", "alice", "-h"}) == V{"user add"});
  CHECK(HelpNames({"help", "token", "create"}) == V{"token create"});
  CHECK(HelpNames({"serve", "--data", "d", "--help"}) == V{"serve"});
}

TEST_CASE("FindHelp refuses words that name no command") {
  Result<HelpRequest> help = FindHelp({"help", "frobnicate"}, Specs());
  REQUIRE_FALSE(help.ok());
  CHECK(help.status().message() == "unknown command `frobnicate`");
  CHECK_FALSE(FindHelp({"frobnicate", "--help"}, Specs()).ok());
}

TEST_CASE("CommandWords names the command or group a usage error is about") {
  CHECK(CommandWords({"user", "add", "--data"}, Specs()) == "user add");
  CHECK(CommandWords({"user", "frob"}, Specs()) == "user");
  CHECK(CommandWords({"user"}, Specs()) == "user");
  CHECK(CommandWords({"--data", "d"}, Specs()) == "");
  CHECK(CommandWords({"frobnicate"}, Specs()) == "");
}

}  // namespace registry

namespace registry {

TEST_CASE("CheckRegistryName accepts what cargo accepts in [registries.NAME]") {
  for (const char* good : {"corp", "acme-corp", "acme_corp", "Corp2", "_x"}) {
    CAPTURE(good);
    CHECK(CheckRegistryName(good).ok());
  }
  for (const char* bad : {"", "ACME Corp", "2corp", "-corp", "corp.io", "a\"b", "c\xc3\xa9"}) {
    CAPTURE(bad);
    CHECK_FALSE(CheckRegistryName(bad).ok());
  }
  CHECK(CheckRegistryName("ACME Corp").message() ==
        "invalid --registry-name `ACME Corp`: cargo needs letters, digits, `-` and `_` (e.g. "
        "`acme-corp`), not starting with a digit or `-`");
  CHECK_FALSE(CheckRegistryName(std::string(65, 'a')).ok());
}

TEST_CASE("ParseCount takes whole numbers within the range only") {
  CHECK(*ParseCount("--threads", "16", 1, 1024) == 16);
  CHECK(*ParseCount("--threads", "1", 1, 1024) == 1);
  for (const char* bad : {"0", "-1", "1025", "", "x", "4x", " 4", "99999999999999999999"}) {
    CAPTURE(bad);
    CHECK_FALSE(ParseCount("--threads", bad, 1, 1024).ok());
  }
  CHECK(ParseCount("--threads", "0", 1, 1024).status().message() ==
        "invalid --threads `0`: give a whole number from 1 to 1024");
}

}  // namespace registry
