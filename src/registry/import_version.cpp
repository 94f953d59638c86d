// Registry::ImportVersion: a version from another registry, stored with its own index line.
#include <filesystem>
#include <map>

#include "audit/audit_log.h"
#include "base/crypto.h"
#include "base/untrusted_json.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "publish/crate_targets.h"
#include "publish/tarball.h"
#include "readme/markdown.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"
#include "storage/zstd_codec.h"

namespace registry {

namespace {

struct LineFields {
  std::string name, vers, cksum;
  bool yanked = false;
};

Result<LineFields> ReadLine(std::string_view line) {
  Result<nlohmann::json> json = ParseUntrustedJson(line);
  if (!json.ok() || !json->is_object()) {
    return Status::Invalid("the index line is not a JSON object");
  }
  LineFields f;
  for (auto [key, out] : {std::pair{"name", &f.name}, {"vers", &f.vers}, {"cksum", &f.cksum}}) {
    auto it = json->find(key);
    if (it == json->end() || !it->is_string()) {
      return Status::Invalid(std::string("the index line has no string `") + key + "`");
    }
    *out = it->get<std::string>();
  }
  auto yanked = json->find("yanked");
  f.yanked = yanked != json->end() && yanked->is_boolean() && yanked->get<bool>();
  return f;
}

// kAlreadyPresent, Conflict, or the crate id to add the version to (0: a new crate).
struct Existing {
  bool present = false;
  int64_t crate_id = 0;
};

Result<Existing> FindExisting(Database* db, const LineFields& line, const std::string& vers_key) {
  auto found = FindCrateByCanonicalName(db, line.name);
  if (!found.ok()) return found.status();
  Existing e;
  if (!*found) return e;
  if ((*found)->name != line.name) {
    return Status::Conflict("crate `" + line.name + "` conflicts with existing crate `" +
                            (*found)->name + "` (names differing only in case or `-`/`_`)");
  }
  e.crate_id = (*found)->id;
  Statement st = db->Prepare("SELECT vers, cksum FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  st.Bind(1, e.crate_id).Bind(2, vers_key);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return e;
  if (st.Text(1) != line.cksum) {
    return Status::Conflict(line.name + " " + st.Text(0) + " is already here with other bytes (" +
                            "sha256 " + st.Text(1) + ", the source has " + line.cksum +
                            "); it is not overwritten");
  }
  e.present = true;
  return e;
}

Result<int64_t> UserId(Database* db, const std::string& login) {
  Statement st = db->Prepare("SELECT id FROM users WHERE login = ?1");
  st.Bind(1, login);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("user `" + login + "` does not exist");
  return st.Int(0);
}

}  // namespace

Result<std::optional<std::string>> Registry::VersionChecksum(std::string_view name,
                                                            std::string_view vers) {
  Result<Version> version = ParseVersion(vers);
  if (!version.ok()) return version.status();
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT v.cksum FROM versions v JOIN crates c ON c.id = v.crate_id "
      "WHERE c.canonical = ?1 AND v.vers_key = ?2");
  st.Bind(1, CanonicalCrateName(name)).Bind(2, version->WithoutBuild());
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st.Text(0));
}

namespace {

// A version that passed every check outside the transaction, its blob written.
struct ReadyVersion {
  size_t index = 0;  // in the caller's list
  LineFields line;
  std::string vers_key;
  int64_t owner = 0;
  int64_t published_at = 0;
  std::optional<std::string> readme_zst;
  std::optional<CrateTargets> targets;  // nullopt: not known
};

}  // namespace

Result<ImportOutcome> Registry::ImportVersion(const Actor& actor, const ImportedVersion& v) {
  return std::move(ImportVersions(actor, {v})[0]);
}

std::vector<Result<ImportOutcome>> Registry::ImportVersions(
    const Actor& actor, const std::vector<ImportedVersion>& versions) {
  std::vector<Result<ImportOutcome>> results(versions.size(),
                                             Result<ImportOutcome>(Status::Internal("not run")));
  auto fail_all = [&](const Status& st) {
    for (auto& r : results) r = st;
    return std::move(results);
  };
  if (!actor.FromCli() && !actor.user.is_admin) {
    return fail_all(Status::Forbidden("only an administrator may import crates"));
  }
  auto db = pool_->Acquire();
  if (!db.ok()) return fail_all(db.status());
  Database* d = db->get();
  int64_t now = clock_->Now();

  // Every check that needs no lock, then the blob, unsynced.
  std::vector<ReadyVersion> ready;
  for (size_t i = 0; i < versions.size(); ++i) {
    const ImportedVersion& v = versions[i];
    auto check = [&]() -> Result<std::optional<ReadyVersion>> {
      ReadyVersion r;
      r.index = i;
      Result<LineFields> line = ReadLine(v.index_line);
      if (!line.ok()) return line.status();
      r.line = std::move(*line);
      RETURN_IF_ERROR(ValidateCrateName(r.line.name));
      Result<Version> version = ParseVersion(r.line.vers);
      if (!version.ok()) return version.status();
      r.vers_key = version->WithoutBuild();
      std::string cksum = Sha256Hex(v.crate);
      if (cksum != r.line.cksum) {
        return Status::Corrupt("checksum mismatch: the source's index says sha256 " +
                               r.line.cksum + ", the .crate it served has " + cksum);
      }
      Result<Existing> pre = FindExisting(d, r.line, r.vers_key);
      if (!pre.ok()) return pre.status();
      if (pre->present) return std::optional<ReadyVersion>();
      TarballLimits limits;
      limits.max_unpacked = options_.max_unpacked_size;
      Result<TarballInfo> tar = CheckTarball(v.crate, r.line.name, r.line.vers, limits);
      if (!tar.ok()) return tar.status();
      if (Result<CrateTargets> targets = FindCrateTargets(tar->manifest, tar->target_sources);
          targets.ok()) {
        r.targets = std::move(*targets);
      }
      Result<int64_t> owner = UserId(d, v.owner);
      if (!owner.ok()) return owner.status();
      r.owner = *owner;
      r.published_at = v.published_at > 0 ? v.published_at : now;
      if (v.dry_run) return std::optional<ReadyVersion>(std::move(r));
      RETURN_IF_ERROR(blobs_->PutUnsynced(cksum, v.crate));
      if (v.readme && !v.readme->empty()) {
        MarkdownLimits markdown;
        markdown.max_input = 256 << 10;
        r.readme_zst = ZstdCompress(RenderMarkdown(*v.readme, markdown));
      }
      return std::optional<ReadyVersion>(std::move(r));
    };
    Result<std::optional<ReadyVersion>> checked = check();
    if (!checked.ok()) {
      results[i] = checked.status();
    } else if (!checked->has_value()) {
      results[i] = ImportOutcome::kAlreadyPresent;
    } else if (v.dry_run) {
      results[i] = ImportOutcome::kImported;
    } else {
      ready.push_back(std::move(**checked));
    }
  }
  if (ready.empty()) return results;

  // The blobs are durable before any row names them.
  if (Status synced = blobs_->Sync(); !synced.ok()) {
    for (const ReadyVersion& r : ready) results[r.index] = synced;
    return results;
  }
  auto fail_ready = [&](const Status& st) {
    for (const ReadyVersion& r : ready) results[r.index] = st;
    return std::move(results);
  };
  Transaction tx(d);
  if (!tx.status().ok()) return fail_ready(tx.status());
  // crate id -> (latest published_at, version -> description) of what this batch added.
  std::map<int64_t, std::pair<int64_t, std::map<std::string, std::optional<std::string>>>> touched;
  for (const ReadyVersion& r : ready) {
    const ImportedVersion& v = versions[r.index];
    Result<Existing> existing = FindExisting(d, r.line, r.vers_key);  // under the write lock
    if (!existing.ok()) {
      results[r.index] = existing.status();
      continue;
    }
    if (existing->present) {
      results[r.index] = ImportOutcome::kAlreadyPresent;
      continue;
    }
    int64_t id = existing->crate_id;
    Status st = Status::Ok();
    if (id == 0) {
      Statement ins = d->Prepare(
          "INSERT INTO crates(name, canonical, created_at, updated_at) VALUES(?1, ?2, ?3, ?3)");
      ins.Bind(1, r.line.name).Bind(2, CanonicalCrateName(r.line.name)).Bind(3, r.published_at);
      st = ins.Run();
      id = d->LastInsertId();
      Statement own =
          d->Prepare("INSERT INTO owners(crate_id, user_id, added_at) VALUES(?1, ?2, ?3)");
      own.Bind(1, id).Bind(2, r.owner).Bind(3, now);
      if (st.ok()) st = own.Run();
    }
    Statement ver = d->Prepare(
        "INSERT INTO versions(crate_id, vers, vers_key, cksum, size, yanked, index_line, "
        "metadata, published_by, published_at, readme_html, bin_names, has_lib) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    ver.Bind(1, id).Bind(2, r.line.vers).Bind(3, r.vers_key).Bind(4, r.line.cksum);
    ver.Bind(5, static_cast<int64_t>(v.crate.size())).Bind(6, int64_t{r.line.yanked});
    ver.Bind(7, v.index_line).Bind(8, v.metadata_json).Bind(9, r.owner).Bind(10, r.published_at);
    if (r.readme_zst) {
      ver.BindBlob(11, *r.readme_zst);
    } else {
      ver.BindNull(11);
    }
    BindTargets(&ver, 12, r.targets);
    if (st.ok()) st = ver.Run();
    if (st.ok()) st = RecordDependencies(d, d->LastInsertId());
    if (st.ok()) {
      st = AppendAudit(d, actor, now, "import", r.line.name + "@" + r.line.vers,
                       "sha256 " + r.line.cksum + ", " + std::to_string(v.crate.size()) +
                           " bytes, from " + v.source + ", owner " + v.owner);
    }
    // A failed write leaves the transaction unusable: nothing of the batch is kept.
    if (!st.ok()) return fail_ready(st);
    auto& crate = touched[id];
    crate.first = std::max(crate.first, r.published_at);
    crate.second[r.line.vers] = v.description;
    results[r.index] = ImportOutcome::kImported;
  }
  // Each crate's summary, search row and index file once for the whole batch.
  for (const auto& [id, crate] : touched) {
    Status st = RefreshCrateSummary(d, id, std::max(now, crate.first));
    for (const auto& [vers, description] : crate.second) {
      if (!st.ok()) break;
      // The crate's description is the one of its highest version.
      Statement desc =
          d->Prepare("UPDATE crates SET description = ?1 WHERE id = ?2 AND max_version = ?3");
      desc.Bind(1, description).Bind(2, id).Bind(3, vers);
      st = desc.Run();
    }
    if (st.ok()) st = RefreshSearchIndex(d, id);
    if (st.ok()) st = RefreshIndexFile(d, id);
    if (!st.ok()) return fail_ready(st);
  }
  if (Status committed = tx.Commit(); !committed.ok()) return fail_ready(committed);
  return results;
}

}  // namespace registry
