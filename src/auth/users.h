// Users: logins, roles (administrator or member), web passwords and disabling.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/failure_digest.h"
#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

struct UserInfo {
  User user;
  int64_t created_at = 0;
  int64_t disabled_at = 0;  // 0: enabled
  bool has_password = false;
  int64_t last_sign_in_at = 0;  // the newest "login" in the audit log; 0: never (or pruned)
};

// Changes to one user; an absent member is left as it is.
struct UserChanges {
  std::optional<bool> admin;
  std::optional<bool> disabled;
  std::optional<std::string> password;  // a new web password
  std::optional<std::string> name;      // the display name; "" clears it
};

// Thread-safe: every call borrows its own connection. Every change is authorized against
// `by` (an administrator or the command line; a user may change their own password) and
// recorded in the audit log in the same transaction. `pool` and `clock` must outlive this.
class Users {
 public:
  Users(DatabasePool* pool, const Clock* clock)
      : pool_(pool), clock_(clock), failure_digest_(std::make_unique<FailureDigest>()) {}

  // Invalid for a bad login (1-64 chars of ASCII letters, digits, '-', '_', '.') or password;
  // Conflict if taken (logins are case-insensitive). `password` empty: no web sign-in.
  Result<User> Add(const Actor& by, std::string_view login, bool is_admin,
                   std::string_view password = "");
  // NotFound when there is no such user; disabled users are found (with user.disabled set).
  Result<User> Find(std::string_view login);
  Result<std::vector<UserInfo>> List();
  Result<int64_t> Count();

  Status SetPassword(const Actor& by, std::string_view login, std::string_view password);
  // Disabling stops all the user's tokens and sessions at once. The last enabled
  // administrator cannot be disabled or demoted (Invalid), so the registry stays manageable.
  Status SetDisabled(const Actor& by, std::string_view login, bool disabled);
  Status SetAdmin(const Actor& by, std::string_view login, bool is_admin);
  // Every change of `changes` or none: all are authorized and validated (as the three calls
  // above do) and applied in one transaction, each audited as those calls audit it.
  Status Update(const Actor& by, std::string_view login, const UserChanges& changes);

  // The enabled user whose password this is. Unauthorized with one message for every kind of
  // failure (unknown user, no password, wrong password), so it reveals nothing; Forbidden
  // saying the account is disabled only after the right password, which already proves it;
  // failures are audited as "login-failed" with the reason, repeated ones of one address and
  // login folded into one row per 10 minutes (audit/failure_digest.h). Takes about as long for
  // unknown users as for known ones.
  Result<User> CheckPassword(std::string_view login, std::string_view password,
                             const std::string& address);

 private:
  DatabasePool* pool_;
  const Clock* clock_;
  std::unique_ptr<FailureDigest> failure_digest_;  // which failed sign-ins get an audit row
};

// Forbidden unless `by` is the command line or an enabled administrator.
Status RequireAdmin(const Actor& by, std::string_view what);

}  // namespace registry
