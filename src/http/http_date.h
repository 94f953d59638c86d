// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") for Last-Modified and If-Modified-Since.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace registry {

std::string FormatHttpDate(int64_t unix_seconds);
std::optional<int64_t> ParseHttpDate(std::string_view text);

}  // namespace registry
