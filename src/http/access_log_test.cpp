// Tests for access-log lines: the exact plain and JSON shapes, and hostile paths.
#include "http/access_log.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace registry {

static AccessRecord Record(std::string path, std::string user = "") {
  AccessRecord r;
  r.time_ms = 1795000000123;  // 2026-11-18T11:06:40.123Z
  r.addr = "127.0.0.1";
  r.method = "GET";
  r.path = std::move(path);
  r.protocol = "HTTP/2";
  r.status = 200;
  r.bytes = 1532;
  r.ms = 0.4321;
  r.user = std::move(user);
  return r;
}

TEST_CASE("access log: plain lines are time, address, user, method, path, protocol, status, bytes "
          "and duration") {
  CHECK(FormatAccessLine(Record("/index/se/rd/serde", "alice"), AccessLogFormat::kPlain) ==
        "2026-11-18T11:06:40.123Z 127.0.0.1 alice GET /index/se/rd/serde HTTP/2 200 1532 0.4ms\n");
  CHECK(FormatAccessLine(Record("/health"), AccessLogFormat::kPlain) ==
        "2026-11-18T11:06:40.123Z 127.0.0.1 - GET /health HTTP/2 200 1532 0.4ms\n");
}

TEST_CASE("access log: times move on across seconds, durations round as %.1f does") {
  AccessRecord r = Record("/health");
  std::string first = FormatAccessLine(r, AccessLogFormat::kPlain);
  r.time_ms += 1000;  // the next second, on the same thread: not the one formatted before
  CHECK(FormatAccessLine(r, AccessLogFormat::kPlain).rfind("2026-11-18T11:06:41.123Z ", 0) == 0);
  r.time_ms = 1795000000000 + 59'999;  // the minute's last millisecond
  CHECK(FormatAccessLine(r, AccessLogFormat::kPlain).rfind("2026-11-18T11:07:39.999Z ", 0) == 0);
  r.time_ms = 1795000000007;
  CHECK(FormatAccessLine(r, AccessLogFormat::kPlain).rfind("2026-11-18T11:06:40.007Z ", 0) == 0);
  CHECK(first.rfind("2026-11-18T11:06:40.123Z ", 0) == 0);
  for (double ms : {0.0, 0.04, 0.05, 0.15, 0.25, 1.25, 9.96, 12345.678, -3.0}) {
    r.ms = ms;
    char expected[32];
    std::snprintf(expected, sizeof expected, " %.1fms\n", ms < 0 ? 0.0 : ms);
    std::string line = FormatAccessLine(r, AccessLogFormat::kPlain);
    CHECK(line.substr(line.rfind(' ')) == expected);
  }
}

TEST_CASE("access log: plain lines percent-encode spaces, control bytes and non-ASCII") {
  CHECK(FormatAccessLine(Record("/a b\nFAKE 1.2.3.4 GET / 200 0 0.0ms\r%é"),
                         AccessLogFormat::kPlain) ==
        "2026-11-18T11:06:40.123Z 127.0.0.1 - GET /a%20b%0AFAKE%201.2.3.4%20GET%20/%20200%200%200.0ms%0D%25%C3%A9 HTTP/2 200 1532 "
        "0.4ms\n");
  AccessRecord empty = Record("");
  empty.addr = "";
  empty.method = "";
  empty.protocol = "";
  CHECK(FormatAccessLine(empty, AccessLogFormat::kPlain) ==
        "2026-11-18T11:06:40.123Z - - - - - 200 1532 0.4ms\n");
  // A login is the server's own text, but it is one field all the same.
  CHECK(FormatAccessLine(Record("/", "a b"), AccessLogFormat::kPlain) ==
        "2026-11-18T11:06:40.123Z 127.0.0.1 a%20b GET / HTTP/2 200 1532 0.4ms\n");
}

TEST_CASE("access log: JSON lines have every field in order, user only when known") {
  CHECK(FormatAccessLine(Record("/index/se/rd/serde", "alice"), AccessLogFormat::kJson) ==
        "{\"time\":\"2026-11-18T11:06:40.123Z\",\"addr\":\"127.0.0.1\",\"method\":\"GET\","
        "\"path\":\"/index/se/rd/serde\",\"protocol\":\"HTTP/2\",\"status\":200,\"bytes\":1532,\"ms\":0.4,"
        "\"user\":\"alice\"}\n");
  CHECK(FormatAccessLine(Record("/health"), AccessLogFormat::kJson) ==
        "{\"time\":\"2026-11-18T11:06:40.123Z\",\"addr\":\"127.0.0.1\",\"method\":\"GET\","
        "\"path\":\"/health\",\"protocol\":\"HTTP/2\",\"status\":200,\"bytes\":1532,\"ms\":0.4}\n");
}

TEST_CASE("access log: JSON escapes quotes, backslashes, control bytes and bad UTF-8") {
  std::string odd = "/x\"y\\z\n\t\x01\xff/\xc3\xa9";
  std::string line = FormatAccessLine(Record(odd), AccessLogFormat::kJson);
  CHECK(line.find("\"path\":\"/x\\\"y\\\\z\\n\\t\\u0001\xef\xbf\xbd/\xc3\xa9\"") !=
        std::string::npos);
  REQUIRE(line.back() == '\n');
  CHECK(line.find('\n') == line.size() - 1);
  nlohmann::json parsed = nlohmann::json::parse(line, nullptr, false);
  REQUIRE(!parsed.is_discarded());
  CHECK(parsed["path"] == "/x\"y\\z\n\t\x01\xef\xbf\xbd/\xc3\xa9");
  CHECK(parsed["status"] == 200);
}

TEST_CASE("access log: off writes nothing; formats parse, others are refused") {
  CHECK(FormatAccessLine(Record("/"), AccessLogFormat::kOff) == "");
  CHECK(*ParseAccessLogFormat("plain") == AccessLogFormat::kPlain);
  CHECK(*ParseAccessLogFormat("json") == AccessLogFormat::kJson);
  CHECK(*ParseAccessLogFormat("off") == AccessLogFormat::kOff);
  CHECK(ParseAccessLogFormat("xml").status().message() ==
        "invalid --access-log `xml`: use plain, json or off");
}

}  // namespace registry
