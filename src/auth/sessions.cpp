// Sessions in SQLite, keyed by the SHA-256 of the cookie secret.
#include "auth/sessions.h"

#include "audit/audit_log.h"
#include "base/crypto.h"

namespace registry {

Status Sessions::Init() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  // INSERT OR IGNORE: when two processes start at once, the first key wins for both.
  Statement put =
      (*db)->Prepare("INSERT OR IGNORE INTO settings(key, value) VALUES('csrf_key', ?1)");
  put.Bind(1, HexEncode(RandomBytes(32)));
  RETURN_IF_ERROR(put.Run());
  Statement get = (*db)->Prepare("SELECT value FROM settings WHERE key = 'csrf_key'");
  Result<bool> row = get.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("the CSRF key is missing from the settings table");
  key_ = get.Text(0);
  return Status::Ok();
}

Result<NewSession> Sessions::Create(const User& user, const std::string& address) {
  NewSession s;
  s.secret = "crs_" + HexEncode(RandomBytes(32));
  s.csrf_token = CsrfToken(s.secret);
  int64_t now = clock_->Now();
  s.expires_at = now + lifetime_;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Statement st = (*db)->Prepare(
      "INSERT INTO sessions(user_id, hash, created_at, expires_at, address) "
      "VALUES(?1, ?2, ?3, ?4, ?5)");
  st.Bind(1, user.id).Bind(2, Sha256Hex(s.secret)).Bind(3, now).Bind(4, s.expires_at);
  st.Bind(5, address);
  RETURN_IF_ERROR(st.Run());
  Actor actor = Actor::ForSession(user, (*db)->LastInsertId(), address);
  // Old sessions are dropped here rather than by a timer; they no longer authenticate anyway.
  Statement prune = (*db)->Prepare("DELETE FROM sessions WHERE expires_at < ?1");
  prune.Bind(1, now - 30 * 24 * 3600);
  RETURN_IF_ERROR(prune.Run());
  RETURN_IF_ERROR(AppendAudit(db->get(), actor, now, "login", "user " + user.login));
  RETURN_IF_ERROR(tx.Commit());
  return s;
}

Result<Actor> Sessions::Authenticate(std::string_view secret, const std::string& address) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT s.id, s.expires_at, coalesce(s.revoked_at, 0), u.id, u.login, u.name, u.is_admin, "
      "u.disabled_at IS NOT NULL FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.hash = ?1");
  st.Bind(1, Sha256Hex(secret));
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  const char* again = "; sign in again";
  if (!*row) return Status::Unauthorized(std::string("the web session is not valid") + again);
  if (st.Int(2) != 0) return Status::Unauthorized(std::string("the web session has ended") + again);
  if (st.Int(1) <= clock_->Now()) {
    return Status::Unauthorized(std::string("the web session has expired") + again);
  }
  User user{st.Int(3), st.Text(4), st.Text(5), st.Int(6) != 0, st.Int(7) != 0};
  if (user.disabled) {
    return Status::Unauthorized("the account `" + user.login + "` is disabled");
  }
  return Actor::ForSession(std::move(user), st.Int(0), address);
}

// "SESSION.EXPIRES.MAC": MAC is the first 128 bits of the HMAC, in hex.
static std::string DocsGrantMac(const std::string& key, int64_t session_id, int64_t expires_at,
                                std::string_view canonical) {
  return HmacSha256Hex(key, "docs:" + std::to_string(session_id) + ":" +
                                std::to_string(expires_at) + ":" + std::string(canonical))
      .substr(0, 32);
}

std::string Sessions::DocsGrant(const Actor& by, std::string_view canonical,
                                int64_t expires_at) const {
  return std::to_string(by.session_id) + "." + std::to_string(expires_at) + "." +
         DocsGrantMac(key_, by.session_id, expires_at, canonical);
}

// A decimal of 1..18 digits, or -1.
static int64_t DocsGrantNumber(std::string_view text) {
  if (text.empty() || text.size() > 18) return -1;
  int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

Result<Actor> Sessions::AuthenticateDocsGrant(std::string_view grant, std::string_view canonical,
                                              const std::string& address) {
  const char* invalid = "this docs address is not valid; open the docs from the registry's web UI";
  size_t dot1 = grant.find('.');
  size_t dot2 = dot1 == std::string_view::npos ? dot1 : grant.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return Status::Unauthorized(invalid);
  int64_t session_id = DocsGrantNumber(grant.substr(0, dot1));
  int64_t expires_at = DocsGrantNumber(grant.substr(dot1 + 1, dot2 - dot1 - 1));
  if (session_id <= 0 || expires_at < 0 ||
      !SecureEquals(grant.substr(dot2 + 1),
                    DocsGrantMac(key_, session_id, expires_at, canonical))) {
    return Status::Unauthorized(invalid);
  }
  if (expires_at <= clock_->Now()) {
    return Status::Unauthorized("this docs address has expired; open the docs again");
  }
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT s.expires_at, coalesce(s.revoked_at, 0), u.id, u.login, u.name, u.is_admin, "
      "u.disabled_at IS NOT NULL FROM sessions s JOIN users u ON u.id = s.user_id "
      "WHERE s.id = ?1");
  st.Bind(1, session_id);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row || st.Int(1) != 0 || st.Int(0) <= clock_->Now() || st.Int(6) != 0) {
    return Status::Unauthorized("the web session these docs were opened in has ended; sign in "
                                "again");
  }
  User user{st.Int(2), st.Text(3), st.Text(4), st.Int(5) != 0, false};
  Actor actor = Actor::ForSession(std::move(user), session_id, address);
  actor.scopes = kScopeRead;
  actor.crate_patterns = {std::string(canonical)};
  return actor;
}

std::string Sessions::DeviceTag(std::string_view text) const {
  return HmacSha256Hex(key_, "device:" + Sha256Hex(text));
}

std::string Sessions::CsrfToken(std::string_view secret) const {
  return HmacSha256Hex(key_, "csrf:" + Sha256Hex(secret));
}

Status Sessions::End(const Actor& by) {
  if (by.session_id == 0) return Status::Ok();
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  int64_t now = clock_->Now();
  Statement st =
      (*db)->Prepare("UPDATE sessions SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL");
  st.Bind(1, now).Bind(2, by.session_id);
  RETURN_IF_ERROR(st.Run());
  RETURN_IF_ERROR(AppendAudit(db->get(), by, now, "logout", "user " + by.user.login));
  return tx.Commit();
}

Result<std::vector<LiveSession>> Sessions::List(int64_t user_id) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT id, created_at, expires_at, address FROM sessions WHERE user_id = ?1 AND "
      "revoked_at IS NULL AND expires_at > ?2 ORDER BY created_at DESC, id DESC LIMIT ?3");
  st.Bind(1, user_id).Bind(2, clock_->Now()).Bind(3, kMaxListed);
  std::vector<LiveSession> out;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) return out;
    out.push_back(LiveSession{st.Int(0), st.Int(1), st.Int(2), st.Text(3)});
  }
}

Result<int64_t> Sessions::EndAll(const Actor& by) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  int64_t now = clock_->Now();
  Statement st = (*db)->Prepare(
      "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL AND "
      "expires_at > ?1");
  st.Bind(1, now).Bind(2, by.user.id);
  RETURN_IF_ERROR(st.Run());
  const int64_t ended = (*db)->Changes();
  RETURN_IF_ERROR(AppendAudit(db->get(), by, now, "logout-everywhere", "user " + by.user.login,
                              std::to_string(ended) + " session" + (ended == 1 ? "" : "s")));
  RETURN_IF_ERROR(tx.Commit());
  return ended;
}

}  // namespace registry
