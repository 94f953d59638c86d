// Tests for HTTP dates.
#include "http/http_date.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("HTTP dates format and parse as IMF-fixdate") {
  CHECK(FormatHttpDate(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT");
  CHECK(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT") == 784111777);
  CHECK(ParseHttpDate(FormatHttpDate(1700000000)) == 1700000000);
}

TEST_CASE("malformed HTTP dates are rejected") {
  const char* bad[] = {"", "yesterday", "Sun, 06 Nov 1994 08:49:37 GMT trailing",
                       "1994-11-06T08:49:37Z"};
  for (const char* s : bad) {
    CAPTURE(s);
    CHECK_FALSE(ParseHttpDate(s).has_value());
  }
}

}  // namespace registry
