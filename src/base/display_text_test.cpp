// Tests for EscapeForDisplay and HasUnprintable, table-driven.
#include "base/display_text.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {
namespace {

TEST_CASE("EscapeForDisplay escapes controls, reordering marks, bad UTF-8 and backslashes") {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"alice", "alice"},
      {"", ""},
      {"a\nb", "a\\x0ab"},
      {"\x1b[2J", "\\x1b[2J"},
      {"tab\there", "tab\\x09here"},
      {"del\x7f", "del\\x7f"},
      {"c1 \xc2\x9b", "c1 \\x9b"},
      {"\xe2\x80\xae!", "\\u{202e}!"},
      {"\xe2\x81\xa6x", "\\u{2066}x"},
      {"caf\xc3\xa9 \xe6\x97\xa5", "caf\xc3\xa9 \xe6\x97\xa5"},
      {"\xff\xc3", "\\xff\\xc3"},
      {"\xc0\xaf", "\\xc0\\xaf"},           // overlong '/'
      {"\xed\xa0\x80", "\\xed\\xa0\\x80"},  // a surrogate
      {"back\\x0a", "back\\\\x0a"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.in);
    CHECK(EscapeForDisplay(c.in) == c.out);
    CHECK(HasUnprintable(c.in) == (c.out != c.in && c.in.find('\\') == std::string::npos));
  }
}

}  // namespace
}  // namespace registry
