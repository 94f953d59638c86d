// Formatting access-log lines.
#include "http/access_log.h"

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
static std::string PlainField(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
  return out.empty() ? "-" : out;
}

static std::string JsonString(std::string_view s) {
  return nlohmann::json(std::string(s))
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

static std::string FormatMs(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", ms < 0 ? 0.0 : ms);
  return buf;
}

// 2026-11-20T10:00:00.123Z
static std::string FormatTimeMs(int64_t time_ms) {
  time_t seconds = static_cast<time_t>(time_ms / 1000);
  tm utc{};
  gmtime_r(&seconds, &utc);
  char buf[80];  // ample for any int fields, which keeps -Wformat-truncation quiet
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(time_ms % 1000));
  return buf;
}

std::string FormatAccessLine(const AccessRecord& r, AccessLogFormat format) {
  switch (format) {
    case AccessLogFormat::kOff:
      return "";
    case AccessLogFormat::kPlain:
      return FormatTimeMs(r.time_ms) + " " + PlainField(r.addr) + " " + PlainField(r.user) + " " +
             PlainField(r.method) + " " + PlainField(r.path) + " " + PlainField(r.protocol) + " " +
             std::to_string(r.status) + " " + std::to_string(r.bytes) + " " + FormatMs(r.ms) +
             "ms\n";
    case AccessLogFormat::kJson: {
      std::string line = "{\"time\":\"" + FormatTimeMs(r.time_ms) +
                         "\",\"addr\":" + JsonString(r.addr) +
                         ",\"method\":" + JsonString(r.method) +
                         ",\"path\":" + JsonString(r.path) +
                         ",\"protocol\":" + JsonString(r.protocol) +
                         ",\"status\":" + std::to_string(r.status) +
                         ",\"bytes\":" + std::to_string(r.bytes) + ",\"ms\":" + FormatMs(r.ms);
      if (!r.user.empty()) line += ",\"user\":" + JsonString(r.user);
      return line + "}\n";
    }
  }
  return "";
}

}  // namespace registry
