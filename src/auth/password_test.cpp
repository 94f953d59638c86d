// Tests for scrypt password hashing and the new-password rule.
#include "auth/password.h"

#include <doctest/doctest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "base/crypto.h"

namespace registry {
namespace {

// Cheap params so the tests stay fast; the default-params case below covers the real cost.
constexpr ScryptParams kFast{10, 8, 1};
constexpr std::string_view kPassword = "correct horse battery staple";

std::string FastHash(std::string_view password) {
  Result<std::string> encoded = HashPassword(password, kFast);
  REQUIRE(encoded.ok());
  return *encoded;
}

// `encoded` with the character at `pos` replaced by a different lower-case hex digit.
std::string FlipHexDigit(std::string encoded, size_t pos) {
  encoded[pos] = encoded[pos] == '0' ? '1' : '0';
  return encoded;
}

TEST_CASE("a hashed password verifies") {
  std::string encoded = FastHash(kPassword);
  CHECK(VerifyPassword(kPassword, encoded).ok());
}

TEST_CASE("a wrong password is Unauthorized") {
  std::string encoded = FastHash(kPassword);
  for (std::string_view wrong : {"correct horse battery stapl", "Correct horse battery staple", "",
                                 "correct horse battery staple "}) {
    CAPTURE(wrong);
    Status s = VerifyPassword(wrong, encoded);
    CHECK(s.code() == Code::kUnauthorized);
    CHECK(s.message() == "wrong password");
  }
}

TEST_CASE("two hashes of the same password differ by salt") {
  std::string a = FastHash(kPassword), b = FastHash(kPassword);
  CHECK(a != b);
  CHECK(VerifyPassword(kPassword, a).ok());
  CHECK(VerifyPassword(kPassword, b).ok());
}

TEST_CASE("the encoded hash has the documented shape and hides the password") {
  std::string encoded = FastHash(kPassword);
  const std::string prefix = "scrypt$10$8$1$";
  REQUIRE(encoded.rfind(prefix, 0) == 0);
  std::string rest = encoded.substr(prefix.size());
  REQUIRE(rest.size() == 32 + 1 + 64);
  CHECK(rest[32] == '$');
  for (size_t i = 0; i < rest.size(); ++i) {
    if (i == 32) continue;
    CAPTURE(i);
    CHECK(std::string_view("0123456789abcdef").find(rest[i]) != std::string_view::npos);
  }
  CHECK(encoded.find(kPassword) == std::string::npos);
  CHECK(encoded.find(HexEncode(kPassword)) == std::string::npos);
}

TEST_CASE("the default params are N=2^15, r=8, p=1 and verify") {
  Result<std::string> encoded = HashPassword(kPassword);
  REQUIRE(encoded.ok());
  CHECK(encoded->rfind("scrypt$15$8$1$", 0) == 0);
  CHECK(VerifyPassword(kPassword, *encoded).ok());
  CHECK(VerifyPassword("not the password", *encoded).code() == Code::kUnauthorized);
}

TEST_CASE("a tampered hash, salt or cost parameter is Unauthorized") {
  std::string encoded = FastHash(kPassword);
  const size_t salt_start = std::string("scrypt$10$8$1$").size();
  struct Case {
    const char* what;
    std::string encoded;
  } cases[] = {
      {"last hash digit", FlipHexDigit(encoded, encoded.size() - 1)},
      {"first hash digit", FlipHexDigit(encoded, encoded.size() - 64)},
      {"first salt digit", FlipHexDigit(encoded, salt_start)},
      {"last salt digit", FlipHexDigit(encoded, salt_start + 31)},
      {"log2_n", "scrypt$11" + encoded.substr(std::string("scrypt$10").size())},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    REQUIRE(c.encoded != encoded);
    CHECK(VerifyPassword(kPassword, c.encoded).code() == Code::kUnauthorized);
  }
}

TEST_CASE("malformed encoded hashes are Corrupt") {
  const std::string salt(32, 'a'), hash(64, 'b');
  const std::string tail = "$" + salt + "$" + hash;
  const std::string cases[] = {
      "",
      "scrypt",
      "bcrypt$10$8$1" + tail,
      "Scrypt$10$8$1" + tail,
      "$10$8$1" + tail,
      "scrypt$10$8" + tail,                                        // a field missing
      "scrypt$10$8$1$1" + tail,                                    // a field too many
      "scrypt$10$8$1" + tail + "$",                                // trailing separator
      "scrypt$9$8$1" + tail,                                       // log2_n below 10
      "scrypt$21$8$1" + tail,                                      // log2_n above 20
      "scrypt$10$0$1" + tail,                                      // r below 1
      "scrypt$10$33$1" + tail,                                     // r above 32
      "scrypt$10$8$0" + tail,                                      // p below 1
      "scrypt$10$8$17" + tail,                                     // p above 16
      "scrypt$$8$1" + tail,                                        // empty number
      "scrypt$-10$8$1" + tail,                                     // sign
      "scrypt$+10$8$1" + tail,                                     // sign
      "scrypt$ 10$8$1" + tail,                                     // space
      "scrypt$10x$8$1" + tail,                                     // trailing garbage
      "scrypt$99999999999$8$1" + tail,                             // would overflow
      "scrypt$10$8$1$" + salt.substr(2) + "$" + hash,              // salt 15 bytes
      "scrypt$10$8$1$" + salt + "aa$" + hash,                      // salt 17 bytes
      "scrypt$10$8$1$" + salt + "a$" + hash,                       // salt odd length
      "scrypt$10$8$1$$" + hash,                                    // salt empty
      "scrypt$10$8$1$" + salt + "$" + hash.substr(2),              // hash 31 bytes
      "scrypt$10$8$1$" + salt + "$" + hash + "bb",                 // hash 33 bytes
      "scrypt$10$8$1$" + salt + "$",                               // hash empty
      "scrypt$10$8$1$" + std::string(31, 'a') + "g$" + hash,       // non-hex salt
      "scrypt$10$8$1$" + salt + "$" + std::string(63, 'b') + "B",  // upper-case hex
  };
  for (const std::string& encoded : cases) {
    CAPTURE(encoded);
    CHECK(VerifyPassword(kPassword, encoded).code() == Code::kCorrupt);
  }
}

TEST_CASE("HashPassword refuses params out of range") {
  const ScryptParams cases[] = {{9, 8, 1},   {21, 8, 1}, {10, 0, 1},
                                {10, 33, 1}, {10, 8, 0}, {10, 8, 17}};
  for (const ScryptParams& params : cases) {
    CAPTURE(params.log2_n);
    CAPTURE(params.r);
    CAPTURE(params.p);
    CHECK(HashPassword(kPassword, params).status().code() == Code::kInvalid);
  }
}

TEST_CASE("ValidateNewPassword accepts 10..1024 bytes") {
  struct Case {
    std::string password;
    const char* error;  // nullptr: accepted
  } cases[] = {
      {"", "passwords must be at least 10 characters long"},
      {"123456789", "passwords must be at least 10 characters long"},
      {"1234567890", nullptr},
      {std::string(1024, 'x'), nullptr},
      {std::string(1025, 'x'), "passwords must be at most 1024 bytes long"},
      {std::string(100000, 'x'), "passwords must be at most 1024 bytes long"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.password.size());
    Status s = ValidateNewPassword(c.password);
    if (c.error == nullptr) {
      CHECK(s.ok());
    } else {
      CHECK(s.code() == Code::kInvalid);
      CHECK(s.message() == c.error);
    }
  }
}

TEST_CASE("ScryptRaw matches the RFC 7914 test vector") {
  // RFC 7914 section 12: P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64.
  Result<std::string> out = ScryptRaw("password", "NaCl", ScryptParams{10, 8, 16}, 64);
  REQUIRE(out.ok());
  CHECK(HexEncode(*out) ==
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST_CASE("ScryptRaw refuses an output length outside 1..1024") {
  CHECK(ScryptRaw("password", "NaCl", kFast, 0).status().code() == Code::kInvalid);
  CHECK(ScryptRaw("password", "NaCl", kFast, 1025).status().code() == Code::kInvalid);
  CHECK(ScryptRaw("password", "NaCl", kFast, 1024).ok());
}

TEST_CASE("concurrent verifications all succeed") {
  std::string encoded = FastHash(kPassword);
  std::atomic<int> ok_count{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (VerifyPassword(kPassword, encoded).ok()) ++ok_count;
    });
  }
  for (std::thread& t : threads) t.join();
  CHECK(ok_count == 8);
}

}  // namespace
}  // namespace registry
