// Refusing crates.io names that belong to private crates.
#include "mirror/name_guard.h"

#include "audit/audit_log.h"
#include "auth/scope.h"
#include "crate/name.h"

namespace registry {

NameGuard::NameGuard(DatabasePool* pool, std::vector<std::string> private_patterns,
                     std::string registry_name)
    : pool_(pool),
      patterns_(std::move(private_patterns)),
      registry_name_(std::move(registry_name)) {}

Status NameGuard::Check(std::string_view name) const {
  std::string canonical = CanonicalCrateName(name);
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement allowed = (*db)->Prepare("SELECT 1 FROM mirror_allowed WHERE canonical = ?1");
  allowed.Bind(1, canonical);
  Result<bool> is_allowed = allowed.Step();
  if (!is_allowed.ok()) return is_allowed.status();
  if (*is_allowed) return Status::Ok();

  Statement priv = (*db)->Prepare("SELECT name FROM crates WHERE canonical = ?1");
  priv.Bind(1, canonical);
  Result<bool> found = priv.Step();
  if (!found.ok()) return found.status();
  std::string reason;
  std::string private_name(name);
  if (*found) {
    private_name = priv.Text(0);
    reason = "`" + private_name + "` is a private crate of this registry";
  } else {
    for (const std::string& p : patterns_) {
      if (CratePatternMatches(p, name)) {
        reason = "`" + std::string(name) + "` matches `" + p +
                 "`, a name pattern reserved for private crates (--private-names)";
        break;
      }
    }
  }
  if (reason.empty()) return Status::Ok();
  return Status::NotFound(
      reason +
      ", so the crates.io mirror does not serve a crate of that name (dependency "
      "confusion guard); depend on the private crate with `" +
      private_name + " = { version = \"...\", registry = \"" + registry_name_ +
      "\" }`, or have an administrator run `registry mirror allow " + private_name +
      "` to take it from crates.io");
}

static Status RequireAdmin(const Actor& actor) {
  if (actor.FromCli() || actor.user.is_admin) return Status::Ok();
  return Status::Forbidden("only administrators may change the mirror's allowed names");
}

Status NameGuard::Allow(const Actor& actor, std::string_view name, int64_t now) {
  RETURN_IF_ERROR(RequireAdmin(actor));
  RETURN_IF_ERROR(ValidateCrateName(name));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Statement st =
      (*db)->Prepare("INSERT OR IGNORE INTO mirror_allowed(canonical, added_at) VALUES(?1, ?2)");
  st.Bind(1, CanonicalCrateName(name)).Bind(2, now);
  RETURN_IF_ERROR(st.Run());
  RETURN_IF_ERROR(AppendAudit(db->get(), actor, now, "mirror.allow", name));
  return tx.Commit();
}

Status NameGuard::Disallow(const Actor& actor, std::string_view name, int64_t now) {
  RETURN_IF_ERROR(RequireAdmin(actor));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Statement st = (*db)->Prepare("DELETE FROM mirror_allowed WHERE canonical = ?1");
  st.Bind(1, CanonicalCrateName(name));
  RETURN_IF_ERROR(st.Run());
  if ((*db)->Changes() == 0) {
    return Status::NotFound("`" + std::string(name) + "` is not an allowed name");
  }
  RETURN_IF_ERROR(AppendAudit(db->get(), actor, now, "mirror.disallow", name));
  return tx.Commit();
}

Result<std::vector<std::string>> NameGuard::Allowed() const {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT canonical FROM mirror_allowed ORDER BY canonical");
  std::vector<std::string> out;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(st.Text(0));
  }
  return out;
}

}  // namespace registry
