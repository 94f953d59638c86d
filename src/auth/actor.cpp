// Scope and crate-pattern checks for an authenticated actor.
#include "auth/actor.h"

#include <cctype>
#include <cstdlib>

namespace registry {

bool SameLogin(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Actor Actor::ForSession(User user, int64_t session_id, std::string address) {
  Actor a;
  a.user = std::move(user);
  a.session_id = session_id;
  a.address = std::move(address);
  return a;
}

Actor Actor::ForCli(User user) {
  Actor a;
  a.user = std::move(user);
  const char* who = std::getenv("USER");
  a.address = std::string("cli:") + (who && *who ? who : "operator");
  return a;
}

static std::string JoinPatterns(const std::vector<std::string>& patterns) {
  std::string out;
  for (size_t i = 0; i < patterns.size(); ++i) {
    if (i) out += ", ";
    out += "`" + patterns[i] + "`";
  }
  return out;
}

Status Actor::Require(Scope scope, std::string_view name) const {
  std::string which = token_id ? "this token" : "this session";
  if (!(scopes & scope)) {
    return Status::Forbidden(which + " lacks the `" + std::string(ScopeName(scope)) +
                             "` scope (it has: " + FormatScopes(scopes) +
                             "); create a token with `" + std::string(ScopeName(scope)) + "`");
  }
  if (!name.empty() && !AnyCratePatternMatches(crate_patterns, name)) {
    return Status::Forbidden(which + " is limited to crates matching " +
                             JoinPatterns(crate_patterns) + ", which `" + std::string(name) +
                             "` does not match");
  }
  return Status::Ok();
}

}  // namespace registry
