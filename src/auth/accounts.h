// Users and API tokens: creation, lookup and authentication against the database.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

struct User {
  int64_t id = 0;
  std::string login;
  std::string name;
  bool is_admin = false;
};

struct TokenInfo {
  int64_t id = 0;
  std::string name;
  int64_t created_at = 0;
  int64_t last_used_at = 0;  // 0: never
};

// Thread-safe: every call borrows its own connection from the pool. `pool` and `clock`
// must outlive this object.
class Accounts {
 public:
  Accounts(DatabasePool* pool, const Clock* clock) : pool_(pool), clock_(clock) {}

  // Invalid for a bad login (1-64 chars of ASCII letters, digits, '-', '_', '.'); Conflict if
  // taken (logins are case-insensitive).
  Result<User> AddUser(std::string_view login, bool is_admin);
  Result<User> FindUser(std::string_view login);
  Result<int64_t> CountUsers();

  // Creates a token for `login` and returns its secret, which is not stored anywhere.
  Result<std::string> CreateToken(std::string_view login, std::string_view name);

  // The user a secret belongs to. Unauthorized (with a message fit for the client) if the
  // secret is empty, unknown or revoked.
  Result<User> Authenticate(std::string_view secret);

 private:
  DatabasePool* pool_;
  const Clock* clock_;
};

}  // namespace registry
