// Formatting access-log lines.
#include "http/access_log.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace registry {

Result<AccessLogFormat> ParseAccessLogFormat(std::string_view text) {
  if (text == "plain") return AccessLogFormat::kPlain;
  if (text == "json") return AccessLogFormat::kJson;
  if (text == "off") return AccessLogFormat::kOff;
  return Status::Invalid("invalid --access-log `" + std::string(text) +
                         "`: use plain, json or off");
}

// Client-controlled text as one plain-log field: no spaces, control bytes or non-ASCII.
static void AppendPlainField(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  if (s.empty()) {
    *out += '-';
    return;
  }
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      *out += '%';
      *out += kHex[c >> 4];
      *out += kHex[c & 15];
    } else {
      *out += ch;
    }
  }
}

static std::string JsonString(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

template <typename T>
static void AppendNumber(std::string* out, T value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out->append(buf, ec == std::errc() ? end : buf);
}

// Milliseconds with one decimal, rounded as printf's "%.1f" would.
static void AppendMs(std::string* out, double ms) {
  char buf[64];
  auto [end, ec] =
      std::to_chars(buf, buf + sizeof buf, ms < 0 ? 0.0 : ms, std::chars_format::fixed, 1);
  out->append(buf, ec == std::errc() ? end : buf);
}

// 2026-11-20T10:00:00.123Z. The part up to the seconds is kept per thread: a busy server logs
// many lines a second.
static void AppendTimeMs(std::string* out, int64_t time_ms) {
  thread_local int64_t cached_second = INT64_MIN;
  thread_local char cached[80];  // ample for any int fields (-Wformat-truncation)
  int64_t second = time_ms / 1000;
  if (second != cached_second) {
    time_t t = static_cast<time_t>(second);
    tm utc{};
    gmtime_r(&t, &utc);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d.", utc.tm_year + 1900,
                  utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec);
    cached_second = second;
  }
  *out += cached;
  int ms = static_cast<int>(time_ms % 1000);
  *out += static_cast<char>('0' + ms / 100);
  *out += static_cast<char>('0' + ms / 10 % 10);
  *out += static_cast<char>('0' + ms % 10);
  *out += 'Z';
}

std::string FormatAccessLine(const AccessRecord& r, AccessLogFormat format) {
  std::string line;
  switch (format) {
    case AccessLogFormat::kOff:
      return line;
    case AccessLogFormat::kPlain:
      line.reserve(96 + r.path.size());
      AppendTimeMs(&line, r.time_ms);
      for (std::string_view field : {std::string_view(r.addr), std::string_view(r.user),
                                     std::string_view(r.method), std::string_view(r.path),
                                     std::string_view(r.protocol)}) {
        line += ' ';
        AppendPlainField(&line, field);
      }
      line += ' ';
      AppendNumber(&line, r.status);
      line += ' ';
      AppendNumber(&line, r.bytes);
      line += ' ';
      AppendMs(&line, r.ms);
      line += "ms\n";
      return line;
    case AccessLogFormat::kJson:
      line = "{\"time\":\"";
      AppendTimeMs(&line, r.time_ms);
      line += "\",\"addr\":" + JsonString(r.addr) + ",\"method\":" + JsonString(r.method) +
              ",\"path\":" + JsonString(r.path) + ",\"protocol\":" + JsonString(r.protocol) +
              ",\"status\":" + std::to_string(r.status) + ",\"bytes\":" + std::to_string(r.bytes) +
              ",\"ms\":";
      AppendMs(&line, r.ms);
      if (!r.user.empty()) line += ",\"user\":" + JsonString(r.user);
      line += "}\n";
      return line;
  }
  return line;
}

}  // namespace registry
