// Parsing "bytes=FIRST-LAST", "bytes=FIRST-" and "bytes=-SUFFIX".
#include "server/range.h"

#include <charconv>

namespace registry {

static std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A decimal number with nothing around it, at most 19 digits.
static std::optional<uint64_t> Number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

RangeKind ParseRange(std::string_view value, uint64_t size, ByteRange* range) {
  value = Trim(value);
  if (value.size() > 64 || value.substr(0, 6) != "bytes=") return RangeKind::kNone;
  std::string_view spec = Trim(value.substr(6));
  if (spec.find(',') != std::string_view::npos) return RangeKind::kNone;
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeKind::kNone;
  std::string_view first_text = Trim(spec.substr(0, dash)), last_text = Trim(spec.substr(dash + 1));
  if (first_text.empty()) {
    std::optional<uint64_t> suffix = Number(last_text);
    if (!suffix) return RangeKind::kNone;
    if (*suffix == 0 || size == 0) return RangeKind::kUnsatisfiable;
    uint64_t n = *suffix < size ? *suffix : size;
    *range = ByteRange{size - n, n};
    return RangeKind::kSatisfiable;
  }
  std::optional<uint64_t> first = Number(first_text);
  if (!first) return RangeKind::kNone;
  uint64_t last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    std::optional<uint64_t> given = Number(last_text);
    if (!given || *given < *first) return RangeKind::kNone;
    if (*given < last) last = *given;
  }
  if (*first >= size) return RangeKind::kUnsatisfiable;
  *range = ByteRange{*first, last - *first + 1};
  return RangeKind::kSatisfiable;
}

}  // namespace registry
