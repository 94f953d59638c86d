// Registry::SetYanked: yank and unyank, keeping the stored index line current.
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "crate/semver.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

// The stored index line with its "yanked" field set; the rest stays byte-for-byte in order.
static Result<std::string> WithYanked(const std::string& line, bool yanked) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corrupt("a stored index line is not valid JSON");
  }
  j["yanked"] = yanked;
  return j.dump();
}

Status Registry::SetYanked(const Actor& actor, std::string_view name, std::string_view vers,
                           bool yanked) {
  RETURN_IF_ERROR(actor.Require(kScopeYank, name));
  Result<Version> version = ParseVersion(vers);
  if (!version.ok()) return version.status();
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  RETURN_IF_ERROR(
      RequireOwner(db->get(), *crate, actor, yanked ? "yank it" : "unyank it", /*admin_may=*/true));

  Statement find =
      (*db)->Prepare("SELECT id, index_line FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  find.Bind(1, crate->id).Bind(2, version->WithoutBuild());
  Result<bool> row = find.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("crate `" + crate->name + "` has no version `" + std::string(vers) +
                            "`");
  }
  int64_t version_id = find.Int(0);
  Result<std::string> line = WithYanked(find.Text(1), yanked);
  if (!line.ok()) return line.status();

  Statement up = (*db)->Prepare("UPDATE versions SET yanked = ?1, index_line = ?2 WHERE id = ?3");
  up.Bind(1, int64_t{yanked}).Bind(2, *line).Bind(3, version_id);
  RETURN_IF_ERROR(up.Run());
  int64_t now = clock_->Now();
  RETURN_IF_ERROR(RefreshCrateSummary(db->get(), crate->id, now));
  RETURN_IF_ERROR(RefreshSearchIndex(db->get(), crate->id));
  RETURN_IF_ERROR(RefreshIndexFile(db->get(), crate->id));
  RETURN_IF_ERROR(AppendAudit(db->get(), actor, now, yanked ? "yank" : "unyank",
                              crate->name + "@" + std::string(vers)));
  return tx.Commit();
}

}  // namespace registry
