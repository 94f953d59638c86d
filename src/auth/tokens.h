// API tokens: creation with scopes, crate patterns and expiry; listing; revocation; and
// authentication of a secret, with last-used times batched instead of written per request.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "db/pending_times.h"
#include "db/sqlite.h"
#include "db/stamped_cache.h"

namespace registry {

struct TokenSpec {
  std::string name;
  ScopeSet scopes = kAllScopes;
  std::vector<std::string> crate_patterns;  // empty: any crate
  int64_t expires_at = 0;                   // Unix seconds; 0: never
};

struct TokenInfo {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string user_login;
  std::string name;
  ScopeSet scopes = 0;
  std::vector<std::string> crate_patterns;
  int64_t created_at = 0;
  int64_t last_used_at = 0;  // 0: never
  int64_t expires_at = 0;    // 0: never
  int64_t revoked_at = 0;    // 0: not revoked
};

struct NewToken {
  TokenInfo info;
  std::string secret;  // shown once; only its hash is stored
};

// Thread-safe. `pool` and `clock` must outlive it.
class Tokens {
 public:
  Tokens(DatabasePool* pool, const Clock* clock) : pool_(pool), clock_(clock) {}

  // A token for `login`, created by `by` (the user themselves, an administrator or the
  // command line; audited). Invalid for a bad name, pattern or an expiry in the past.
  Result<NewToken> Create(const Actor& by, std::string_view login, const TokenSpec& spec);

  // Tokens of `user_id` (0: everyone's), newest first, with pending last-used times merged.
  Result<std::vector<TokenInfo>> List(int64_t user_id, bool include_revoked);

  // Revokes token `id`. `by` must own it, be an administrator or the command line; to anyone
  // else another user's token is NotFound. Revoking a revoked token is Ok.
  Status Revoke(const Actor& by, int64_t id);

  // The actor a secret stands for. Unauthorized, with a message for the client, when the
  // secret is missing, malformed, unknown, revoked, expired or its user is disabled. Known
  // tokens are kept in memory until the next database write, so the hot path reads nothing.
  Result<Actor> Authenticate(std::string_view secret, const std::string& address);

  // Writes the last-used times gathered since the previous flush, in one transaction.
  Status FlushLastUsed();

 private:
  // A known token as stored: the actor it stands for (without address) and its dates.
  struct StoredToken {
    Actor actor;
    int64_t expires_at = 0;
    int64_t revoked_at = 0;
  };
  Result<std::shared_ptr<const StoredToken>> Find(const std::string& hash);

  DatabasePool* pool_;
  const Clock* clock_;
  StampedCache<StoredToken> cache_{1u << 20};  // by secret hash
  PendingTimes<int64_t> last_used_;  // token id -> time
};

}  // namespace registry
