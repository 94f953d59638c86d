// Hashing and randomness from OpenSSL: SHA-256 and cryptographically secure random bytes.
#pragma once

#include <string>
#include <string_view>

namespace registry {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Incremental SHA-256 for streams (blob verification). Not thread-safe; one per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void Update(std::string_view data);
  std::string FinishHex();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

std::string HexEncode(std::string_view bytes);

// Lower-case hex HMAC-SHA256 of `data` under `key`.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// `n` bytes from OpenSSL's CSPRNG. Aborts if the CSPRNG fails: no weak fallback.
std::string RandomBytes(size_t n);

// Constant-time comparison for secrets.
bool SecureEquals(std::string_view a, std::string_view b);

}  // namespace registry
