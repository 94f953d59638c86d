// Users in SQLite; passwords only as scrypt hashes (auth/password.h).
#include "auth/users.h"

#include "audit/audit_log.h"
#include "auth/password.h"

#include <cctype>
#include <map>

namespace registry {

static Status ValidateLogin(std::string_view login) {
  if (login.empty() || login.size() > 64) {
    return Status::Invalid("invalid login `" + std::string(login) +
                           "`: it must be 1 to 64 characters long");
  }
  for (char c : login) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return Status::Invalid("invalid login `" + std::string(login) +
                             "`: only ASCII letters, digits, `-`, `_` and `.` are allowed");
    }
  }
  return Status::Ok();
}

static constexpr const char* kWrongLoginOrPassword = "wrong login or password";

// Display names: what people call the user, shown beside the login. Any text but controls.
static Status ValidateDisplayName(std::string_view name) {
  if (name.size() > 100) return Status::Invalid("a display name is at most 100 bytes long");
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return Status::Invalid("a display name cannot hold control characters");
    }
  }
  return Status::Ok();
}

Status RequireAdmin(const Actor& by, std::string_view what) {
  if (by.FromCli() || (by.user.is_admin && !by.user.disabled)) return Status::Ok();
  return Status::Forbidden("only administrators may " + std::string(what));
}

static constexpr const char* kUserColumns =
    "SELECT id, login, name, is_admin, disabled_at IS NOT NULL, created_at, "
    "coalesce(disabled_at, 0), password_hash IS NOT NULL FROM users ";

static UserInfo ReadUserRow(const Statement& st) {
  UserInfo info;
  info.user = User{st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0, st.Int(4) != 0};
  info.created_at = st.Int(5);
  info.disabled_at = st.Int(6);
  info.has_password = st.Int(7) != 0;
  return info;
}

static Result<UserInfo> FindIn(Database* db, std::string_view login) {
  Statement st = db->Prepare(std::string(kUserColumns) + "WHERE login = ?1");
  st.Bind(1, login);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no user `" + std::string(login) + "`");
  return ReadUserRow(st);
}

Result<User> Users::Add(const Actor& by, std::string_view login, bool is_admin,
                        std::string_view password) {
  RETURN_IF_ERROR(RequireAdmin(by, "add users"));
  RETURN_IF_ERROR(ValidateLogin(login));
  std::optional<std::string> hash;
  if (!password.empty()) {
    RETURN_IF_ERROR(ValidateNewPassword(password));
    Result<std::string> h = HashPassword(password);
    if (!h.ok()) return h.status();
    hash = *h;
  }
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  int64_t now = clock_->Now();
  Statement st = (*db)->Prepare(
      "INSERT INTO users(login, is_admin, created_at, password_hash) VALUES(?1, ?2, ?3, ?4) "
      "ON CONFLICT(login) DO NOTHING");
  st.Bind(1, login).Bind(2, int64_t{is_admin}).Bind(3, now).Bind(4, hash);
  RETURN_IF_ERROR(st.Run());
  if ((*db)->Changes() == 0) {
    return Status::Conflict("user `" + std::string(login) + "` already exists");
  }
  User user{(*db)->LastInsertId(), std::string(login), "", is_admin, false};
  RETURN_IF_ERROR(AppendAudit(
      db->get(), by, now, "user-add", "user " + user.login,
      std::string(is_admin ? "administrator" : "member") + (hash ? ", with password" : "")));
  RETURN_IF_ERROR(tx.Commit());
  return user;
}

Result<User> Users::Find(std::string_view login) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<UserInfo> info = FindIn(db->get(), login);
  if (!info.ok()) return info.status();
  return info->user;
}

Result<std::vector<UserInfo>> Users::List() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(std::string(kUserColumns) + "ORDER BY login");
  std::vector<UserInfo> users;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    users.push_back(ReadUserRow(st));
  }
  // Sign-ins are audited rows already; one pass over them rather than a column to keep.
  Statement last = (*db)->Prepare(
      "SELECT actor_id, max(at) FROM audit WHERE action = 'login' AND actor_id IS NOT NULL "
      "GROUP BY actor_id");
  std::map<int64_t, int64_t> last_by_id;
  for (;;) {
    Result<bool> row = last.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    last_by_id[last.Int(0)] = last.Int(1);
  }
  for (UserInfo& u : users) {
    auto it = last_by_id.find(u.user.id);
    if (it != last_by_id.end()) u.last_sign_in_at = it->second;
  }
  return users;
}

Result<int64_t> Users::Count() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT count(*) FROM users");
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return st.Int(0);
}

// Invalid when `user` is the only enabled administrator.
static Status RequireAnotherAdmin(Database* db, const User& user, std::string_view what) {
  if (!user.is_admin || user.disabled) return Status::Ok();
  Statement st = db->Prepare(
      "SELECT count(*) FROM users WHERE is_admin = 1 AND disabled_at IS NULL AND id != ?1");
  st.Bind(1, user.id);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (st.Int(0) == 0) {
    return Status::Invalid("cannot " + std::string(what) + " `" + user.login +
                           "`: it is the last enabled administrator; make another user an "
                           "administrator first");
  }
  return Status::Ok();
}

Status Users::SetPassword(const Actor& by, std::string_view login, std::string_view password) {
  UserChanges changes;
  changes.password = std::string(password);
  return Update(by, login, changes);
}

Status Users::SetDisabled(const Actor& by, std::string_view login, bool disabled) {
  UserChanges changes;
  changes.disabled = disabled;
  return Update(by, login, changes);
}

Status Users::SetAdmin(const Actor& by, std::string_view login, bool is_admin) {
  UserChanges changes;
  changes.admin = is_admin;
  return Update(by, login, changes);
}

Status Users::Update(const Actor& by, std::string_view login, const UserChanges& changes) {
  // Everything that can be refused without the database is refused first; the rest is checked
  // inside the one transaction, so a refused request changes nothing.
  bool self = !by.FromCli() && SameLogin(by.user.login, login);
  if (changes.admin) RETURN_IF_ERROR(RequireAdmin(by, "change roles"));
  if (changes.disabled) {
    RETURN_IF_ERROR(RequireAdmin(by, *changes.disabled ? "disable users" : "enable users"));
  }
  if (changes.name) {
    if (!self) RETURN_IF_ERROR(RequireAdmin(by, "change other users' names"));
    RETURN_IF_ERROR(ValidateDisplayName(*changes.name));
  }
  std::optional<std::string> hash;
  if (changes.password) {
    if (!self) RETURN_IF_ERROR(RequireAdmin(by, "set other users' passwords"));
    RETURN_IF_ERROR(ValidateNewPassword(*changes.password));
    Result<std::string> h = HashPassword(*changes.password);
    if (!h.ok()) return h.status();
    hash = *h;
  }
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Result<UserInfo> found = FindIn(db->get(), login);
  if (!found.ok()) return found.status();
  User user = found->user;
  int64_t now = clock_->Now();
  if (changes.admin && *changes.admin != user.is_admin) {
    if (!*changes.admin) RETURN_IF_ERROR(RequireAnotherAdmin(db->get(), user, "demote"));
    Statement st = (*db)->Prepare("UPDATE users SET is_admin = ?1 WHERE id = ?2");
    st.Bind(1, int64_t{*changes.admin}).Bind(2, user.id);
    RETURN_IF_ERROR(st.Run());
    RETURN_IF_ERROR(AppendAudit(db->get(), by, now, "user-role", "user " + user.login,
                                *changes.admin ? "administrator" : "member"));
    user.is_admin = *changes.admin;
  }
  if (changes.disabled && *changes.disabled != user.disabled) {
    if (*changes.disabled) RETURN_IF_ERROR(RequireAnotherAdmin(db->get(), user, "disable"));
    Statement st = (*db)->Prepare("UPDATE users SET disabled_at = ?1 WHERE id = ?2");
    if (*changes.disabled) {
      st.Bind(1, now);
    } else {
      st.BindNull(1);
    }
    st.Bind(2, user.id);
    RETURN_IF_ERROR(st.Run());
    RETURN_IF_ERROR(AppendAudit(db->get(), by, now,
                                *changes.disabled ? "user-disable" : "user-enable",
                                "user " + user.login));
    user.disabled = *changes.disabled;
  }
  if (changes.name && *changes.name != user.name) {
    Statement st = (*db)->Prepare("UPDATE users SET name = ?1 WHERE id = ?2");
    st.Bind(1, *changes.name).Bind(2, user.id);
    RETURN_IF_ERROR(st.Run());
    RETURN_IF_ERROR(
        AppendAudit(db->get(), by, now, "user-name", "user " + user.login, *changes.name));
  }
  if (hash) {
    Statement st = (*db)->Prepare("UPDATE users SET password_hash = ?1 WHERE id = ?2");
    st.Bind(1, *hash).Bind(2, user.id);
    RETURN_IF_ERROR(st.Run());
    // A new password ends the other web sessions (e.g. after a suspected leak).
    Statement end = (*db)->Prepare(
        "UPDATE sessions SET revoked_at = ?1 WHERE user_id = ?2 AND revoked_at IS NULL AND "
        "id != ?3");
    end.Bind(1, now).Bind(2, user.id).Bind(3, self ? by.session_id : 0);
    RETURN_IF_ERROR(end.Run());
    RETURN_IF_ERROR(AppendAudit(db->get(), by, now, "user-password", "user " + user.login));
  }
  return tx.Commit();
}

Result<User> Users::CheckPassword(std::string_view login, std::string_view password,
                                  const std::string& address) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  std::string reason;
  User user;
  {
    Statement st = (*db)->Prepare(
        "SELECT id, login, name, is_admin, disabled_at IS NOT NULL, coalesce(password_hash, '') "
        "FROM users WHERE login = ?1");
    st.Bind(1, login);
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    std::string hash;
    if (*row) {
      user = User{st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0, st.Int(4) != 0};
      hash = st.Text(5);
    }
    // Hash something even when there is nothing to compare against, so the reply time does
    // not tell which logins exist.
    static const std::string kDummy = [] {
      Result<std::string> h = HashPassword("not a real password");
      return h.ok() ? *h : std::string();
    }();
    Status match = VerifyPassword(password, hash.empty() ? kDummy : hash);
    if (!*row) {
      reason = "unknown user";
    } else if (hash.empty()) {
      reason = "no password set";
    } else if (!match.ok()) {
      reason = match.code() == Code::kCorrupt ? "stored hash unreadable" : "wrong password";
    } else if (user.disabled) {
      reason = "user disabled";
    }
  }
  if (reason.empty()) return user;
  // Whoever knows the password learns nothing new from this, and is told what to do.
  const bool disabled = reason == "user disabled";
  Status refusal = disabled ? Status::Forbidden("the account " + user.login +
                                                " is disabled; ask an administrator to enable it")
                            : Status::Unauthorized(kWrongLoginOrPassword);
  // Repeated failures of one address and login are folded into one row per interval.
  std::string key = address + "|";
  for (char c : login.substr(0, 64)) {
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  FailureDigest::Folded folded;
  if (!failure_digest_->Admit(key, clock_->Now(), &folded)) return refusal;
  if (folded.count > 0) {
    reason += "; and " + std::to_string(folded.count) + " more failed sign-in" +
              (folded.count == 1 ? "" : "s") + " since " + FormatUtc(folded.since);
  }
  AuditEvent e;
  e.at = clock_->Now();
  e.actor = user.id ? user.login : "";
  e.actor_id = user.id;
  e.address = address;
  e.action = "login-failed";
  e.target = "user " + std::string(login.substr(0, 64));
  e.detail = reason;
  RETURN_IF_ERROR(AppendAuditEvent(db->get(), e));
  return refusal;
}

}  // namespace registry
