// Tests for token secrets.
#include "auth/token.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("new token secrets carry 256 bits and differ") {
  std::string a = NewTokenSecret(), b = NewTokenSecret();
  CHECK(a.size() == 4 + 64);
  CHECK(a.rfind("crg_", 0) == 0);
  CHECK(a != b);
}

TEST_CASE("the stored hash is not the secret") {
  std::string s = NewTokenSecret();
  CHECK(HashTokenSecret(s) != s);
  CHECK(HashTokenSecret(s).find(s.substr(4)) == std::string::npos);
  CHECK(HashTokenSecret(s) == HashTokenSecret(s));
}

TEST_CASE("TokenFromAuthorizationHeader accepts raw and Bearer forms") {
  struct Case {
    const char* header;
    const char* token;
  } cases[] = {
      {"crg_abc", "crg_abc"}, {"  crg_abc ", "crg_abc"}, {"Bearer crg_abc", "crg_abc"}, {"", ""},
      {"Bearer ", "Bearer"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.header);
    CHECK(TokenFromAuthorizationHeader(c.header) == c.token);
  }
}

}  // namespace registry
