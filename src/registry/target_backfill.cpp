// Registry::BackfillTargets: the targets of versions published before they were recorded.
#include <vector>

#include "publish/crate_targets.h"
#include "publish/tarball.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

Status Registry::BackfillTargets() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement done = (*db)->Prepare("SELECT 1 FROM settings WHERE key = 'bin_names_backfilled'");
  Result<bool> finished = done.Step();
  if (!finished.ok()) return finished.status();
  if (*finished) return Status::Ok();

  // Only each crate's newest version, the one the install box offers by default: reading
  // every .crate of a large registry would hold up its start for minutes.
  struct Pending {
    int64_t id;
    std::string name, vers, cksum;
  };
  std::vector<Pending> pending;
  {
    Statement st = (*db)->Prepare(
        "SELECT v.id, c.name, v.vers, v.cksum FROM crates c JOIN versions v "
        "ON v.crate_id = c.id AND v.vers = c.max_version "
        "WHERE v.bin_names IS NULL OR v.has_lib IS NULL");
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      pending.push_back(Pending{st.Int(0), st.Text(1), st.Text(2), st.Text(3)});
    }
  }
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  TarballLimits limits;
  limits.max_unpacked = options_.max_unpacked_size;
  for (const Pending& p : pending) {
    // A missing or unreadable file leaves the version unknown; `registry check` reports it.
    Result<std::string> crate = blobs_->Get(p.cksum);
    if (!crate.ok()) continue;
    Result<TarballInfo> tar = CheckTarball(*crate, p.name, p.vers, limits);
    if (!tar.ok()) continue;
    Result<CrateTargets> targets = FindCrateTargets(tar->manifest, tar->target_sources);
    if (!targets.ok()) continue;
    Statement up = (*db)->Prepare("UPDATE versions SET bin_names = ?1, has_lib = ?2 WHERE id = ?3");
    BindTargets(&up, 1, *targets);
    up.Bind(3, p.id);
    RETURN_IF_ERROR(up.Run());
  }
  Statement mark = (*db)->Prepare(
      "INSERT OR REPLACE INTO settings(key, value) VALUES('bin_names_backfilled', '1')");
  RETURN_IF_ERROR(mark.Run());
  return tx.Commit();
}

}  // namespace registry
