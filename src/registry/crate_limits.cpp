// Per-crate overrides of the publish limits (the crate_limits table).
#include "audit/audit_log.h"
#include "crate/name.h"
#include "registry/registry.h"

namespace registry {

Status Registry::SetCrateLimits(const Actor& actor, std::string_view name,
                                const CrateLimits& limits) {
  if (!actor.FromCli() && !actor.user.is_admin) {
    return Status::Forbidden("only an administrator may change a crate's limits");
  }
  RETURN_IF_ERROR(ValidateCrateName(name));
  if (limits.max_features && *limits.max_features < 0) {
    return Status::Invalid("--max-features must be 0 or more");
  }
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  int64_t now = clock_->Now();
  Statement up = (*db)->Prepare(
      "INSERT INTO crate_limits(canonical, max_features, max_size, updated_at) "
      "VALUES(?1, ?2, ?3, ?4) ON CONFLICT(canonical) DO UPDATE SET "
      "max_features = excluded.max_features, max_size = excluded.max_size, "
      "updated_at = excluded.updated_at");
  up.Bind(1, CanonicalCrateName(name));
  if (limits.max_features) {
    up.Bind(2, *limits.max_features);
  } else {
    up.BindNull(2);
  }
  if (limits.max_size) {
    up.Bind(3, static_cast<int64_t>(*limits.max_size));
  } else {
    up.BindNull(3);
  }
  up.Bind(4, now);
  RETURN_IF_ERROR(up.Run());
  auto shown = [](const auto& value) {
    return value ? std::to_string(*value) : std::string("default");
  };
  RETURN_IF_ERROR(AppendAudit(db->get(), actor, now, "crate-limits", std::string(name),
                              "max features " + shown(limits.max_features) + ", max size " +
                                  shown(limits.max_size)));
  return tx.Commit();
}

Result<CrateLimits> Registry::GetCrateLimits(std::string_view name) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st =
      (*db)->Prepare("SELECT max_features, max_size FROM crate_limits WHERE canonical = ?1");
  st.Bind(1, CanonicalCrateName(name));
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  CrateLimits limits;
  if (*row && !st.IsNull(0)) limits.max_features = st.Int(0);
  if (*row && !st.IsNull(1)) limits.max_size = static_cast<uint64_t>(st.Int(1));
  return limits;
}

Result<uint64_t> Registry::LargestCrateSize() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT coalesce(max(max_size), 0) FROM crate_limits");
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return std::max(options_.max_crate_size, static_cast<uint64_t>(st.Int(0)));
}

}  // namespace registry
