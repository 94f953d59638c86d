// Users and tokens in SQLite; only SHA-256 hashes of token secrets are stored.
#include "auth/accounts.h"

#include "auth/token.h"

namespace registry {

static Status ValidateLogin(std::string_view login) {
  if (login.empty() || login.size() > 64) {
    return Status::Invalid("invalid user name `" + std::string(login) +
                           "`: it must be 1 to 64 characters long");
  }
  for (char c : login) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) {
      return Status::Invalid("invalid user name `" + std::string(login) +
                             "`: only ASCII letters, digits, `-`, `_` and `.` are allowed");
    }
  }
  return Status::Ok();
}

Result<User> Accounts::AddUser(std::string_view login, bool is_admin) {
  RETURN_IF_ERROR(ValidateLogin(login));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "INSERT INTO users(login, is_admin, created_at) VALUES(?1, ?2, ?3) "
      "ON CONFLICT(login) DO NOTHING");
  st.Bind(1, login).Bind(2, int64_t{is_admin}).Bind(3, clock_->Now());
  RETURN_IF_ERROR(st.Run());
  if ((*db)->Changes() == 0) {
    return Status::Conflict("user `" + std::string(login) + "` already exists");
  }
  return User{(*db)->LastInsertId(), std::string(login), "", is_admin};
}

Result<User> Accounts::FindUser(std::string_view login) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT id, login, name, is_admin FROM users WHERE login = ?1");
  st.Bind(1, login);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no user `" + std::string(login) + "`");
  return User{st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0};
}

Result<int64_t> Accounts::CountUsers() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT count(*) FROM users");
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return st.Int(0);
}

Result<std::string> Accounts::CreateToken(std::string_view login, std::string_view name) {
  Result<User> user = FindUser(login);
  if (!user.ok()) return user.status();
  std::string secret = NewTokenSecret();
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st =
      (*db)->Prepare("INSERT INTO tokens(user_id, name, hash, created_at) VALUES(?1, ?2, ?3, ?4)");
  st.Bind(1, user->id).Bind(2, name).Bind(3, HashTokenSecret(secret)).Bind(4, clock_->Now());
  RETURN_IF_ERROR(st.Run());
  return secret;
}

Result<User> Accounts::Authenticate(std::string_view secret) {
  if (secret.empty()) {
    return Status::Unauthorized(
        "this registry requires a token: send it in the Authorization "
        "header (cargo: `cargo login --registry NAME`)");
  }
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT u.id, u.login, u.name, u.is_admin FROM tokens t JOIN users u ON u.id = t.user_id "
      "WHERE t.hash = ?1 AND t.revoked_at IS NULL");
  st.Bind(1, HashTokenSecret(secret));
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Unauthorized("the token is not valid for this registry");
  return User{st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0};
}

}  // namespace registry
