// Web sessions: a random cookie secret whose hash is stored, so any process serving the same
// data directory accepts it and logout or disabling the user ends it everywhere at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

constexpr const char* kSessionCookie = "registry_session";

struct NewSession {
  std::string secret;      // the cookie value; only its hash is stored
  std::string csrf_token;  // the value state-changing requests must echo in X-CSRF-Token
  int64_t expires_at = 0;
};

// A live web session, as its user's account page lists it.
struct LiveSession {
  int64_t id = 0;
  int64_t created_at = 0;  // when its sign-in happened
  int64_t expires_at = 0;
  std::string address;     // the client address it signed in from
};

// Thread-safe after Init(). `pool` and `clock` must outlive it.
class Sessions {
 public:
  Sessions(DatabasePool* pool, const Clock* clock, int64_t lifetime_seconds = 7 * 24 * 3600)
      : pool_(pool), clock_(clock), lifetime_(lifetime_seconds) {}

  // Loads the key CSRF tokens are derived with. It is made once and kept in the database,
  // so every process serving the data directory derives the same tokens.
  Status Init();

  // A new session for `user` (audited as "login").
  Result<NewSession> Create(const User& user, const std::string& address);

  // The actor a cookie secret stands for: the user's full rights. Unauthorized when the
  // session is unknown, ended, expired, or its user is disabled.
  Result<Actor> Authenticate(std::string_view secret, const std::string& address);

  // HMAC of the session under the shared key: unguessable without the cookie, which
  // scripts on other sites can neither read nor send (HttpOnly, SameSite=Strict).
  std::string CsrfToken(std::string_view secret) const;

  // HMAC of `text` under the same key, for another purpose than CSRF: the known-device cookie
  // a successful sign-in leaves (Api::SignIn).
  std::string DeviceTag(std::string_view text) const;

  // A docs grant: read access to the hosted docs of the crate with canonical name
  // `canonical` only, as the user of session `by`, until `expires_at` (and no longer than the
  // session). It travels in the docs' addresses (/docs/~GRANT/...), because docs are served
  // sandboxed, where no cookie of this site is sent; it is no session and no token, so the
  // API refuses it.
  std::string DocsGrant(const Actor& by, std::string_view canonical, int64_t expires_at) const;
  // The actor a docs grant stands for: its session's user, with the read scope and crate
  // `canonical` only. Unauthorized when forged, for another crate, expired, or its session
  // has ended or expired or its user is disabled.
  Result<Actor> AuthenticateDocsGrant(std::string_view grant, std::string_view canonical,
                                      const std::string& address);

  // Ends `by`'s session (logout; audited). Ok when there is none.
  Status End(const Actor& by);

  // The sessions of user `user_id` that have neither ended nor expired, newest first; at most
  // kMaxListed (older ones still count for EndAll).
  static constexpr int64_t kMaxListed = 100;
  Result<std::vector<LiveSession>> List(int64_t user_id);

  // Ends every session of `by`'s user, `by`'s own too ("sign out everywhere"; audited as
  // "logout-everywhere"). Returns how many were ended. API tokens are left alone.
  Result<int64_t> EndAll(const Actor& by);

 private:
  DatabasePool* pool_;
  const Clock* clock_;
  int64_t lifetime_;
  std::string key_;  // written once by Init()
};

}  // namespace registry
