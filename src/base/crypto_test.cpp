// Tests for SHA-256, HMAC-SHA256, hex and random bytes.
#include "base/crypto.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("Sha256Hex matches the FIPS 180-2 test vectors") {
  CHECK(Sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("incremental Sha256 equals one-shot") {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  CHECK(h.FinishHex() == Sha256Hex("abc"));
}

TEST_CASE("RandomBytes returns distinct values of the requested size") {
  std::string a = RandomBytes(32), b = RandomBytes(32);
  CHECK(a.size() == 32);
  CHECK(a != b);
}

TEST_CASE("SecureEquals compares contents and lengths") {
  CHECK(SecureEquals("abc", "abc"));
  CHECK_FALSE(SecureEquals("abc", "abd"));
  CHECK_FALSE(SecureEquals("abc", "ab"));
}

TEST_CASE("HmacSha256Hex matches RFC 4231 test case 2") {
  CHECK(HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("HmacSha256Hex depends on the key") {
  CHECK(HmacSha256Hex("key one", "data") != HmacSha256Hex("key two", "data"));
}

}  // namespace registry
