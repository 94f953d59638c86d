// Web-UI passwords: scrypt hashes (OpenSSL 3) in a self-describing string, and the length rule.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// scrypt cost: N = 2^log2_n, block size r, parallelism p. Memory per hash is about 128*r*N
// bytes: 32 MiB for the defaults.
struct ScryptParams {
  int log2_n = 15;
  int r = 8;
  int p = 1;
};

// The scrypt primitive (RFC 7914): `out_len` (1..1024) raw bytes derived from `password` and
// `salt`. Invalid if `params` are outside log2_n 10..20, r 1..32, p 1..16. Blocks while two other
// scrypt computations are running in this process.
Result<std::string> ScryptRaw(std::string_view password, std::string_view salt, ScryptParams params,
                              size_t out_len);

// A new hash of `password` with a fresh 16-byte random salt, encoded as
// "scrypt$<log2_n>$<r>$<p>$<salt hex>$<hash hex>" (lower-case hex, 32-byte hash). The params live
// in the string so they can be raised later and old hashes still verify. Invalid for params out
// of range (see ScryptRaw).
Result<std::string> HashPassword(std::string_view password, ScryptParams params = {});

// Ok when `password` matches `encoded` (compared in constant time); Unauthorized("wrong
// password") when not; Corrupt when `encoded` is not a well-formed hash string (bad prefix or
// field count, params out of range, wrong hex lengths or non-hex digits).
Status VerifyPassword(std::string_view password, std::string_view encoded);

// The rule for new passwords, in bytes of UTF-8; GET /api/v1/site tells the web UI, so its
// forms state and check the same rule.
constexpr size_t kMinPasswordBytes = 10;
constexpr size_t kMaxPasswordBytes = 1024;

// Ok for a password of kMinPasswordBytes..kMaxPasswordBytes bytes; Invalid with a message fit
// for the user otherwise.
Status ValidateNewPassword(std::string_view password);

}  // namespace registry
