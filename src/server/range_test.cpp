// Tests for the single-range parser: a table of headers against a 1,000-byte file.
#include "server/range.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {

TEST_CASE("ParseRange: the forms served, clipped to the file") {
  struct Case {
    const char* header;
    RangeKind kind;
    uint64_t first, length;
  } cases[] = {
      {"bytes=0-99", RangeKind::kSatisfiable, 0, 100},
      {"bytes=900-", RangeKind::kSatisfiable, 900, 100},
      {"bytes=-10", RangeKind::kSatisfiable, 990, 10},
      {"bytes=-5000", RangeKind::kSatisfiable, 0, 1000},
      {"bytes=500-99999", RangeKind::kSatisfiable, 500, 500},
      {" bytes=1-1 ", RangeKind::kSatisfiable, 1, 1},
      {"bytes=1000-", RangeKind::kUnsatisfiable, 0, 0},
      {"bytes=-0", RangeKind::kUnsatisfiable, 0, 0},
      {"bytes=0-1,5-6", RangeKind::kNone, 0, 0},  // several ranges: the whole file
      {"bytes=5-1", RangeKind::kNone, 0, 0},
      {"items=0-1", RangeKind::kNone, 0, 0},
      {"bytes=a-b", RangeKind::kNone, 0, 0},
      {"bytes=99999999999999999999-", RangeKind::kNone, 0, 0},
      {"bytes=", RangeKind::kNone, 0, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    ByteRange r;
    CHECK(ParseRange(c.header, 1000, &r) == c.kind);
    if (c.kind == RangeKind::kSatisfiable) {
      CHECK(r.first == c.first);
      CHECK(r.length == c.length);
    }
  }
}

TEST_CASE("ParseRange: a long header of many ranges is ignored without work") {
  std::string many = "bytes=";
  for (int i = 0; i < 2000; ++i) many += std::to_string(i) + "-" + std::to_string(i) + ",";
  ByteRange r;
  CHECK(ParseRange(many, 1000, &r) == RangeKind::kNone);
}

}  // namespace registry
