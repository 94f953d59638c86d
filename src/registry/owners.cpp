// Registry owner operations: list, add, remove.
#include "audit/audit_log.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

static std::string JoinLogins(const std::vector<std::string>& logins) {
  std::string out;
  for (size_t i = 0; i < logins.size(); ++i) {
    if (i) out += i + 1 == logins.size() ? " and " : ", ";
    out += "`" + logins[i] + "`";
  }
  return out;
}

static Result<User> RequireUser(Database* db, const std::string& login) {
  Statement st = db->Prepare("SELECT id, login, name, is_admin FROM users WHERE login = ?1");
  st.Bind(1, login);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no user `" + login + "` on this registry");
  return User{st.Int(0), st.Text(1), st.Text(2), st.Int(3) != 0, false};
}

Result<std::vector<Owner>> Registry::ListOwners(const Actor& actor, std::string_view name) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  Statement st = (*db)->Prepare(
      "SELECT u.id, u.login, u.name FROM owners o JOIN users u ON u.id = o.user_id "
      "WHERE o.crate_id = ?1 ORDER BY o.added_at, u.login");
  st.Bind(1, crate->id);
  std::vector<Owner> owners;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    owners.push_back(Owner{st.Int(0), st.Text(1), st.Text(2)});
  }
  return owners;
}

Result<std::string> Registry::AddOwners(const Actor& actor, std::string_view name,
                                        const std::vector<std::string>& logins) {
  RETURN_IF_ERROR(actor.Require(kScopeChangeOwners, name));
  if (logins.empty()) return Status::Invalid("no users given to add as owners");
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  RETURN_IF_ERROR(RequireOwner(db->get(), *crate, actor, "change its owners", /*admin_may=*/true));
  std::vector<std::string> added;
  for (const std::string& login : logins) {
    Result<User> owner = RequireUser(db->get(), login);
    if (!owner.ok()) return owner.status();
    Statement st = (*db)->Prepare(
        "INSERT OR IGNORE INTO owners(crate_id, user_id, added_at) VALUES(?1, ?2, ?3)");
    st.Bind(1, crate->id).Bind(2, owner->id).Bind(3, clock_->Now());
    RETURN_IF_ERROR(st.Run());
    added.push_back(owner->login);
  }
  RETURN_IF_ERROR(
      AppendAudit(db->get(), actor, clock_->Now(), "owner-add", crate->name, JoinLogins(added)));
  RETURN_IF_ERROR(tx.Commit());
  const bool one = added.size() == 1;
  return (one ? "user " : "users ") + JoinLogins(added) +
         (one ? " is now an owner" : " are now owners") + " of crate `" + crate->name + "`";
}

Result<std::string> Registry::RemoveOwners(const Actor& actor, std::string_view name,
                                           const std::vector<std::string>& logins) {
  RETURN_IF_ERROR(actor.Require(kScopeChangeOwners, name));
  if (logins.empty()) return Status::Invalid("no users given to remove as owners");
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  RETURN_IF_ERROR(RequireOwner(db->get(), *crate, actor, "change its owners", /*admin_may=*/true));
  std::vector<std::string> removed;
  for (const std::string& login : logins) {
    Result<User> owner = RequireUser(db->get(), login);
    if (!owner.ok()) return owner.status();
    Statement st = (*db)->Prepare("DELETE FROM owners WHERE crate_id = ?1 AND user_id = ?2");
    st.Bind(1, crate->id).Bind(2, owner->id);
    RETURN_IF_ERROR(st.Run());
    if ((*db)->Changes() == 0) {
      return Status::Invalid("user `" + owner->login + "` is not an owner of crate `" +
                             crate->name + "`");
    }
    removed.push_back(owner->login);
  }
  Statement count = (*db)->Prepare("SELECT count(*) FROM owners WHERE crate_id = ?1");
  count.Bind(1, crate->id);
  Result<bool> row = count.Step();
  if (!row.ok()) return row.status();
  if (count.Int(0) == 0) {
    return Status::Invalid("cannot remove every owner of crate `" + crate->name +
                           "`: add another owner first");
  }
  RETURN_IF_ERROR(AppendAudit(db->get(), actor, clock_->Now(), "owner-remove", crate->name,
                              JoinLogins(removed)));
  RETURN_IF_ERROR(tx.Commit());
  return "removed " + JoinLogins(removed) + " from the owners of crate `" + crate->name + "`";
}

}  // namespace registry
