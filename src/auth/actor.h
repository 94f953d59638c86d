// Who is making a request and what they may do: the result of authentication, checked by
// the registry operations before they act and recorded in the audit log.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/scope.h"
#include "base/status.h"

namespace registry {

struct User {
  int64_t id = 0;
  std::string login;
  std::string name;
  bool is_admin = false;
  bool disabled = false;
};

// Logins compare without regard to ASCII case, as the database does.
bool SameLogin(std::string_view a, std::string_view b);

struct Actor {
  User user;
  int64_t token_id = 0;    // the token used, or 0 (web session, command line)
  int64_t session_id = 0;  // the web session used, or 0
  std::string token_name;
  ScopeSet scopes = kAllScopes;
  std::vector<std::string> crate_patterns;  // empty: any crate
  std::string address;                      // client address; "cli:$USER" for the command line

  // A web session: the user's full rights.
  static Actor ForSession(User user, int64_t session_id, std::string address);
  // The operator at the command line, acting as `user` (or as nobody, for admin commands).
  static Actor ForCli(User user = {});
  // True for an actor made by ForCli: the operator, who may do what administrators may.
  bool FromCli() const { return address.rfind("cli:", 0) == 0; }

  // Ok when the credential carries `scope` and may touch crate `name`; Forbidden with a
  // message naming the missing scope or the patterns otherwise. `name` empty: skip patterns.
  Status Require(Scope scope, std::string_view name) const;
  // Shorthand for Require(kScopeRead, name).
  Status RequireRead(std::string_view name) const { return Require(kScopeRead, name); }
};

}  // namespace registry
