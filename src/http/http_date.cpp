// HTTP date formatting and parsing (IMF-fixdate only, as every current client sends).
#include "http/http_date.h"

#include <ctime>

namespace registry {

static constexpr const char* kFormat = "%a, %d %b %Y %H:%M:%S GMT";

std::string FormatHttpDate(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof buf, kFormat, &tm);
  return std::string(buf, n);
}

std::optional<int64_t> ParseHttpDate(std::string_view text) {
  std::string s(text);
  struct tm tm = {};
  const char* end = strptime(s.c_str(), kFormat, &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace registry
