// Tests for expanding config.json's `dl`.
#include "mirror/dl_template.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("dl templates expand like cargo's") {
  struct Case {
    const char* dl;
    const char* name;
    const char* want;
  } cases[] = {
      {"https://static.crates.io/crates", "serde",
       "https://static.crates.io/crates/serde/1.0.0/download"},
      {"https://static.crates.io/crates/", "serde",
       "https://static.crates.io/crates/serde/1.0.0/download"},
      {"http://h/{crate}/{crate}-{version}.crate", "itoa", "http://h/itoa/itoa-1.0.0.crate"},
      {"http://h/{prefix}/{crate}", "a", "http://h/1/a"},
      {"http://h/{prefix}/{crate}", "ab", "http://h/2/ab"},
      {"http://h/{prefix}/{crate}", "Abc", "http://h/3/A/Abc"},
      {"http://h/{lowerprefix}/{crate}", "Serde", "http://h/se/rd/Serde"},
      {"http://h/{prefix}/{crate}", "Serde", "http://h/Se/rd/Serde"},
      {"http://h/{sha256-checksum}", "x", "http://h/abc123"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.dl);
    CHECK(ExpandDlTemplate(c.dl, c.name, "1.0.0", "abc123") == c.want);
  }
}

}  // namespace registry
