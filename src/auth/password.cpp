// scrypt password hashing via OpenSSL's EVP_KDF, with a process-wide cap on concurrent hashes.
#include "auth/password.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

#include "base/crypto.h"

namespace registry {

static constexpr std::string_view kPrefix = "scrypt";
static constexpr size_t kSaltBytes = 16;
static constexpr size_t kHashBytes = 32;
static constexpr size_t kMaxOutputBytes = 1024;

// Each scrypt computation allocates its whole 128*r*N-byte table up front (32 MiB with the
// default params), and that is the point of scrypt. A burst of logins, or an attacker
// hammering the login form, would otherwise allocate that once per request thread at the same
// time. Two at a time bounds the memory at two tables; further callers wait their turn.
static constexpr int kMaxConcurrentScrypt = 2;

// A counting semaphore that serves waiters in arrival order: with a plain condition variable a
// thread could be passed over again and again while a flood of sign-ins keeps the slots busy.
// Thread-safe; mu_ guards free_, next_ and serving_.
class ScryptSlots {
 public:
  void Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    uint64_t ticket = next_++;
    cv_.wait(lock, [this, ticket] { return free_ > 0 && serving_ == ticket; });
    --free_;
    ++serving_;
    cv_.notify_all();  // the next ticket may take a second free slot
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++free_;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int free_ = kMaxConcurrentScrypt;
  uint64_t next_ = 0;     // the ticket the next caller draws
  uint64_t serving_ = 0;  // the ticket whose turn it is
};

static ScryptSlots& Slots() {
  static ScryptSlots slots;
  return slots;
}

// Holds one scrypt slot for its lifetime.
class ScryptSlotGuard {
 public:
  ScryptSlotGuard() { Slots().Acquire(); }
  ~ScryptSlotGuard() { Slots().Release(); }
  ScryptSlotGuard(const ScryptSlotGuard&) = delete;
  ScryptSlotGuard& operator=(const ScryptSlotGuard&) = delete;
};

static bool ParamsInRange(const ScryptParams& params) {
  return params.log2_n >= 10 && params.log2_n <= 20 && params.r >= 1 && params.r <= 32 &&
         params.p >= 1 && params.p <= 16;
}

// What OpenSSL's scrypt allocates: the p*128*r-byte B buffer plus the 128*r*(N+2)-byte V table.
// maxmem is set to that plus slack, so no params we accept are refused by OpenSSL's default
// limit and none can allocate more than the params imply.
static uint64_t ScryptMaxMem(const ScryptParams& params) {
  uint64_t n = uint64_t{1} << params.log2_n;
  uint64_t r = static_cast<uint64_t>(params.r), p = static_cast<uint64_t>(params.p);
  return 128 * r * p + 128 * r * (n + 2) + (uint64_t{1} << 20);
}

// OSSL_PARAM wants a non-const pointer and, for an empty string_view, may get a null one.
static void* OctetData(std::string_view bytes) {
  static char empty = 0;
  return bytes.data() ? const_cast<char*>(bytes.data()) : &empty;
}

Result<std::string> ScryptRaw(std::string_view password, std::string_view salt, ScryptParams params,
                              size_t out_len) {
  if (!ParamsInRange(params)) {
    return Status::Invalid("scrypt parameters out of range (log2_n 10..20, r 1..32, p 1..16)");
  }
  if (out_len < 1 || out_len > kMaxOutputBytes) {
    return Status::Invalid("scrypt output length must be 1..1024 bytes");
  }
  uint64_t n = uint64_t{1} << params.log2_n;
  uint32_t r = static_cast<uint32_t>(params.r), p = static_cast<uint32_t>(params.p);
  uint64_t maxmem = ScryptMaxMem(params);
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, OctetData(password),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, OctetData(salt), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };

  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  if (kdf == nullptr) return Status::Internal("OpenSSL has no SCRYPT KDF");
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return Status::Internal("cannot create an scrypt context");

  std::string out(out_len, '\0');
  int derived;
  {
    ScryptSlotGuard slot;
    derived =
        EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), ossl_params);
  }
  EVP_KDF_CTX_free(ctx);
  if (derived != 1) return Status::Internal("scrypt computation failed");
  return out;
}

// A decimal int of 1..9 digits; false for anything else (signs, spaces, empty).
static bool ParseSmallInt(std::string_view s, int* out) {
  if (s.empty() || s.size() > 9) return false;
  int value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *out = value;
  return true;
}

static int LowerHexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Decodes exactly `bytes` bytes of lower-case hex; false for any other length or digit.
static bool DecodeHex(std::string_view hex, size_t bytes, std::string* out) {
  if (hex.size() != bytes * 2) return false;
  out->assign(bytes, '\0');
  for (size_t i = 0; i < bytes; ++i) {
    int hi = LowerHexDigit(hex[2 * i]), lo = LowerHexDigit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    (*out)[i] = static_cast<char>(hi << 4 | lo);
  }
  return true;
}

static std::vector<std::string_view> SplitDollar(std::string_view s) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = s.find('$', start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

struct ParsedHash {
  ScryptParams params;
  std::string salt;
  std::string hash;
};

static Result<ParsedHash> ParseEncodedHash(std::string_view encoded) {
  std::vector<std::string_view> parts = SplitDollar(encoded);
  if (parts.size() != 6 || parts[0] != kPrefix) {
    return Status::Corrupt("malformed password hash: expected scrypt$n$r$p$salt$hash");
  }
  ParsedHash parsed;
  if (!ParseSmallInt(parts[1], &parsed.params.log2_n) ||
      !ParseSmallInt(parts[2], &parsed.params.r) || !ParseSmallInt(parts[3], &parsed.params.p) ||
      !ParamsInRange(parsed.params)) {
    return Status::Corrupt("malformed password hash: scrypt parameters out of range");
  }
  if (!DecodeHex(parts[4], kSaltBytes, &parsed.salt)) {
    return Status::Corrupt("malformed password hash: salt is not 16 bytes of hex");
  }
  if (!DecodeHex(parts[5], kHashBytes, &parsed.hash)) {
    return Status::Corrupt("malformed password hash: hash is not 32 bytes of hex");
  }
  return parsed;
}

Result<std::string> HashPassword(std::string_view password, ScryptParams params) {
  std::string salt = RandomBytes(kSaltBytes);
  Result<std::string> hash = ScryptRaw(password, salt, params, kHashBytes);
  if (!hash.ok()) return hash.status();
  return std::string(kPrefix) + "$" + std::to_string(params.log2_n) + "$" +
         std::to_string(params.r) + "$" + std::to_string(params.p) + "$" + HexEncode(salt) + "$" +
         HexEncode(*hash);
}

Status VerifyPassword(std::string_view password, std::string_view encoded) {
  Result<ParsedHash> parsed = ParseEncodedHash(encoded);
  if (!parsed.ok()) return parsed.status();
  Result<std::string> hash = ScryptRaw(password, parsed->salt, parsed->params, kHashBytes);
  if (!hash.ok()) return hash.status();
  if (!SecureEquals(*hash, parsed->hash)) return Status::Unauthorized("wrong password");
  return Status::Ok();
}

Status ValidateNewPassword(std::string_view password) {
  if (password.size() < kMinPasswordBytes) {
    return Status::Invalid("passwords must be at least " + std::to_string(kMinPasswordBytes) +
                           " characters long");
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::Invalid("passwords must be at most " + std::to_string(kMaxPasswordBytes) +
                           " bytes long");
  }
  return Status::Ok();
}

}  // namespace registry
