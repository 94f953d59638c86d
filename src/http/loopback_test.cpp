// Tests for recognising loopback client addresses.
#include "http/loopback.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("loopback: 127/8, ::1 and mapped 127.x are this machine; nothing else is") {
  struct Case {
    const char* addr;
    bool loopback;
  };
  const Case cases[] = {
      {"127.0.0.1", true},
      {"127.255.0.9", true},
      {"::1", true},
      {"::ffff:127.0.0.1", true},
      {"0:0:0:0:0:0:0:1", true},
      {"10.0.0.1", false},
      {"128.0.0.1", false},
      {"::ffff:10.0.0.1", false},
      {"::2", false},
      {"fe80::1", false},
      {"", false},
      {"localhost", false},
      {"127.0.0.1.evil", false},
      {"::1x", false},
      {"0.0.0.0", false},
  };
  for (const Case& c : cases) {
    CAPTURE(c.addr);
    CHECK(IsLoopbackAddress(c.addr) == c.loopback);
  }
}

}  // namespace registry
