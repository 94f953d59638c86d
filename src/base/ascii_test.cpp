// Tests for ASCII case folding.
#include "base/ascii.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("AsciiLower folds A-Z and keeps every other byte") {
  CHECK(AsciiLower("Serde_JSON-1.0") == "serde_json-1.0");
  CHECK(AsciiLower("") == "");
  CHECK(AsciiLower("\xC3\x84pfel") == "\xC3\x84pfel");  // UTF-8 is not folded
  CHECK(AsciiLower("@[`{") == "@[`{");                   // the bytes around A-Z and a-z
}

}  // namespace registry
