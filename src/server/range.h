// The one form of Range the front end serves: a single byte range of a file (RFC 9110
// section 14). Anything else (several ranges, other units, bad syntax) is ignored, and the
// whole file is sent with 200, as the RFC allows.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace registry {

struct ByteRange {
  uint64_t first = 0;
  uint64_t length = 0;
};

enum class RangeKind { kNone, kSatisfiable, kUnsatisfiable };

// Classifies the Range header `value` against a file of `size` bytes; on kSatisfiable,
// *range is the part to send (its end clipped to the file).
RangeKind ParseRange(std::string_view value, uint64_t size, ByteRange* range);

}  // namespace registry
