// Tokens in SQLite: only the SHA-256 of each secret is stored.
#include "auth/tokens.h"

#include "base/display_text.h"

#include "audit/audit_log.h"
#include "auth/token.h"
#include "auth/users.h"

namespace registry {

static Status ValidateTokenName(std::string_view name) {
  if (name.empty() || name.size() > 64) {
    return Status::Invalid("a token name must be 1 to 64 characters long");
  }
  // Names are shown in lists next to other users' tokens: no controls, no characters that
  // reorder the text around them (U+202E), no invalid UTF-8.
  if (HasUnprintable(name)) {
    return Status::Invalid(
        "a token name must be UTF-8 text without control or text-direction characters");
  }
  return Status::Ok();
}

static std::string JoinWords(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

static std::vector<std::string> SplitWords(const std::string& text) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find(' ', i);
    if (end == std::string::npos) end = text.size();
    if (end > i) words.push_back(text.substr(i, end - i));
    i = end + 1;
  }
  return words;
}

static constexpr const char* kTokenColumns =
    "SELECT t.id, t.user_id, u.login, t.name, t.scopes, t.crate_patterns, t.created_at, "
    "coalesce(t.last_used_at, 0), coalesce(t.expires_at, 0), coalesce(t.revoked_at, 0) "
    "FROM tokens t JOIN users u ON u.id = t.user_id ";

static TokenInfo ReadTokenRow(const Statement& st) {
  TokenInfo t;
  t.id = st.Int(0);
  t.user_id = st.Int(1);
  t.user_login = st.Text(2);
  t.name = st.Text(3);
  Result<ScopeSet> scopes = ParseScopes(st.Text(4));
  t.scopes = scopes.ok() ? *scopes : kScopeRead;  // an unreadable row grants the least
  t.crate_patterns = SplitWords(st.Text(5));
  t.created_at = st.Int(6);
  t.last_used_at = st.Int(7);
  t.expires_at = st.Int(8);
  t.revoked_at = st.Int(9);
  return t;
}

Result<NewToken> Tokens::Create(const Actor& by, std::string_view login, const TokenSpec& spec) {
  RETURN_IF_ERROR(ValidateTokenName(spec.name));
  for (const std::string& p : spec.crate_patterns) RETURN_IF_ERROR(ValidateCratePattern(p));
  int64_t now = clock_->Now();
  if (spec.expires_at != 0 && spec.expires_at <= now) {
    return Status::Invalid("the expiry date of a new token must be in the future");
  }
  bool self = !by.FromCli() && SameLogin(by.user.login, login);
  if (!self) RETURN_IF_ERROR(RequireAdmin(by, "create tokens for other users"));

  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Statement find =
      (*db)->Prepare("SELECT id, login, disabled_at IS NOT NULL FROM users WHERE login = ?1");
  find.Bind(1, login);
  Result<bool> row = find.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no user `" + std::string(login) + "`");
  NewToken t;
  t.info.user_id = find.Int(0);
  t.info.user_login = find.Text(1);
  if (find.Int(2) != 0) {
    return Status::Invalid("user `" + t.info.user_login + "` is disabled; enable it first");
  }
  t.secret = NewTokenSecret();
  t.info.name = spec.name;
  t.info.scopes = spec.scopes | kScopeRead;
  t.info.crate_patterns = spec.crate_patterns;
  t.info.created_at = now;
  t.info.expires_at = spec.expires_at;
  Statement st = (*db)->Prepare(
      "INSERT INTO tokens(user_id, name, hash, created_at, scopes, crate_patterns, expires_at) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  st.Bind(1, t.info.user_id).Bind(2, spec.name).Bind(3, HashTokenSecret(t.secret)).Bind(4, now);
  st.Bind(5, FormatScopes(t.info.scopes)).Bind(6, JoinWords(spec.crate_patterns));
  if (spec.expires_at) {
    st.Bind(7, spec.expires_at);
  } else {
    st.BindNull(7);
  }
  RETURN_IF_ERROR(st.Run());
  t.info.id = (*db)->LastInsertId();
  std::string detail =
      "`" + spec.name + "` for " + t.info.user_login + "; scopes: " + FormatScopes(t.info.scopes);
  if (!spec.crate_patterns.empty()) detail += "; crates: " + JoinWords(spec.crate_patterns);
  if (spec.expires_at) detail += "; expires " + FormatUtc(spec.expires_at);
  RETURN_IF_ERROR(AppendAudit(db->get(), by, now, "token-create",
                              "token " + std::to_string(t.info.id), detail));
  RETURN_IF_ERROR(tx.Commit());
  return t;
}

Result<std::vector<TokenInfo>> Tokens::List(int64_t user_id, bool include_revoked) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(std::string(kTokenColumns) +
                                "WHERE (?1 = 0 OR t.user_id = ?1) AND (?2 OR t.revoked_at IS NULL) "
                                "ORDER BY t.id DESC");
  st.Bind(1, user_id).Bind(2, int64_t{include_revoked});
  std::vector<TokenInfo> tokens;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    tokens.push_back(ReadTokenRow(st));
  }
  for (TokenInfo& t : tokens) {
    std::optional<int64_t> pending = last_used_.Get(t.id);
    if (pending && *pending > t.last_used_at) t.last_used_at = *pending;
  }
  return tokens;
}

Status Tokens::Revoke(const Actor& by, int64_t id) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Statement find = (*db)->Prepare(std::string(kTokenColumns) + "WHERE t.id = ?1");
  find.Bind(1, id);
  Result<bool> row = find.Step();
  if (!row.ok()) return row.status();
  bool mine = *row && !by.FromCli() && find.Int(1) == by.user.id;
  bool may = mine || RequireAdmin(by, "").ok();
  if (!*row || !may) return Status::NotFound("no token with id " + std::to_string(id));
  TokenInfo t = ReadTokenRow(find);
  if (t.revoked_at) return Status::Ok();
  int64_t now = clock_->Now();
  Statement st = (*db)->Prepare("UPDATE tokens SET revoked_at = ?1 WHERE id = ?2");
  st.Bind(1, now).Bind(2, id);
  RETURN_IF_ERROR(st.Run());
  RETURN_IF_ERROR(AppendAudit(db->get(), by, now, "token-revoke", "token " + std::to_string(id),
                              "`" + t.name + "` of " + t.user_login));
  return tx.Commit();
}

static bool IsWellFormedSecret(std::string_view secret) {
  if (secret.size() != 68 || secret.compare(0, 4, "crg_") != 0) return false;
  for (char c : secret.substr(4)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<Actor> Tokens::Authenticate(std::string_view secret, const std::string& address) {
  if (secret.empty()) {
    return Status::Unauthorized(
        "this registry requires a token: send it in the Authorization "
        "header (cargo: `cargo login --registry NAME`)");
  }
  if (!IsWellFormedSecret(secret)) {
    return Status::Unauthorized(
        "the token is malformed: registry tokens are `crg_` followed by 64 hex digits");
  }
  Result<std::shared_ptr<const StoredToken>> found = Find(HashTokenSecret(secret));
  if (!found.ok()) return found.status();
  const StoredToken& token = **found;
  Actor a = token.actor;
  a.address = address;
  int64_t now = clock_->Now();
  if (token.revoked_at) {
    return Status::Unauthorized("the token `" + a.token_name + "` was revoked on " +
                                FormatUtc(token.revoked_at));
  }
  if (token.expires_at && token.expires_at <= now) {
    return Status::Unauthorized("the token `" + a.token_name + "` expired on " +
                                FormatUtc(token.expires_at));
  }
  if (a.user.disabled) {
    return Status::Unauthorized("the account `" + a.user.login + "` is disabled");
  }
  last_used_.Note(a.token_id, now);
  return a;
}

Result<std::shared_ptr<const Tokens::StoredToken>> Tokens::Find(const std::string& hash) {
  uint64_t stamp = pool_->ChangeStamp();
  if (std::shared_ptr<const StoredToken> hit = cache_.Find(hash, stamp)) return hit;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT t.id, t.name, t.scopes, t.crate_patterns, coalesce(t.expires_at, 0), "
      "coalesce(t.revoked_at, 0), u.id, u.login, u.name, u.is_admin, u.disabled_at IS NOT NULL "
      "FROM tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?1");
  st.Bind(1, hash);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  // Unknown secrets are not cached: anyone can send any number of them.
  if (!*row) return Status::Unauthorized("the token is not valid for this registry");
  auto token = std::make_shared<StoredToken>();
  Actor& a = token->actor;
  a.token_id = st.Int(0);
  a.token_name = st.Text(1);
  Result<ScopeSet> scopes = ParseScopes(st.Text(2));
  a.scopes = scopes.ok() ? *scopes : kScopeRead;
  a.crate_patterns = SplitWords(st.Text(3));
  token->expires_at = st.Int(4);
  token->revoked_at = st.Int(5);
  a.user = User{st.Int(6), st.Text(7), st.Text(8), st.Int(9) != 0, st.Int(10) != 0};
  size_t bytes = sizeof(StoredToken) + a.token_name.size() + a.user.login.size() +
                 a.user.name.size() + 32 * a.crate_patterns.size();
  cache_.Put(hash, stamp, token, bytes);
  return std::shared_ptr<const StoredToken>(std::move(token));
}

Status Tokens::FlushLastUsed() {
  return last_used_.Flush(pool_, [](Database* db, const int64_t& id, int64_t at) {
    Statement up = db->Prepare(
        "UPDATE tokens SET last_used_at = ?1 WHERE id = ?2 AND "
        "(last_used_at IS NULL OR last_used_at < ?1)");
    up.Bind(1, at).Bind(2, id);
    return up.Run();
  });
}

}  // namespace registry
