// Registry::Publish: from the raw request body to a committed, indexed version.
#include <filesystem>
#include <set>

#include "audit/audit_log.h"
#include "base/crypto.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "index/index_line.h"
#include "publish/crate_targets.h"
#include "publish/index_entry.h"
#include "publish/publish_body.h"
#include "publish/publish_metadata.h"
#include "publish/tarball.h"
#include "readme/markdown.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"
#include "storage/zstd_codec.h"

namespace registry {

// Dependencies on this registry must name crates that exist here, or nobody could resolve
// them. Dependencies on other registries are recorded as given.
static Status CheckLocalDependencies(Database* db, const PublishMetadata& meta) {
  std::set<std::string> seen;
  for (const PublishDependency& d : meta.deps) {
    if (d.registry || !seen.insert(d.name).second) continue;
    if (CanonicalCrateName(d.name) == CanonicalCrateName(meta.name)) continue;
    auto found = FindCrateByCanonicalName(db, d.name);
    if (!found.ok()) return found.status();
    if (!*found) {
      return Status::Invalid("dependency `" + d.name + "` does not exist in this registry; " +
                             "publish it here first, or depend on it from its own registry");
    }
    if ((*found)->name != d.name) {
      return Status::Invalid("dependency `" + d.name + "` does not exist in this registry; " +
                             "did you mean `" + (*found)->name + "`?");
    }
  }
  return Status::Ok();
}

// Scopes, ownership, name collisions and duplicate versions. Runs once before the blob is
// written (so strangers cannot fill the disk) and again inside the commit transaction (for
// races). Returns the crate id, or 0 when the crate is new.
static Result<int64_t> Authorize(Database* db, const Actor& actor, const PublishMetadata& meta,
                                 const std::string& vers_key) {
  auto found = FindCrateByCanonicalName(db, meta.name);
  if (!found.ok()) return found.status();
  if (!*found) {
    RETURN_IF_ERROR(ValidateNewCrateName(meta.name));
    RETURN_IF_ERROR(actor.Require(kScopePublishNew, meta.name));
    return int64_t{0};
  }
  const CrateRow& crate = **found;
  RETURN_IF_ERROR(actor.Require(kScopePublishUpdate, crate.name));
  if (crate.name != meta.name) {
    return Status::Conflict("crate `" + meta.name + "` conflicts with existing crate `" +
                            crate.name + "` (names differing only in case or `-`/`_` are the " +
                            "same crate); publish it as `" + crate.name + "`");
  }
  RETURN_IF_ERROR(RequireOwner(db, crate, actor, "publish new versions of it"));
  Statement st =
      db->Prepare("SELECT vers, yanked FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  st.Bind(1, crate.id).Bind(2, vers_key);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (*row) {
    std::string existing = st.Text(0);
    bool yanked = st.Int(1) != 0;
    return Status::Conflict("crate `" + crate.name + "` version `" + existing +
                            "` is already uploaded" + (yanked ? " (and yanked)" : "") +
                            "; versions are immutable: publish a new version");
  }
  return crate.id;
}

static Status CommitVersion(Database* db, const Actor& actor, const PublishMetadata& meta,
                            std::string_view json, const std::string& vers_key,
                            const std::string& cksum, size_t size, const std::string& line,
                            const std::optional<std::string>& readme_zst,
                            const std::optional<CrateTargets>& targets, int64_t now) {
  Transaction tx(db);
  RETURN_IF_ERROR(tx.status());
  Result<int64_t> crate_id = Authorize(db, actor, meta, vers_key);
  if (!crate_id.ok()) return crate_id.status();
  RETURN_IF_ERROR(CheckLocalDependencies(db, meta));
  int64_t id = *crate_id;
  if (id == 0) {
    Statement ins = db->Prepare(
        "INSERT INTO crates(name, canonical, created_at, updated_at) VALUES(?1, ?2, ?3, ?3)");
    ins.Bind(1, meta.name).Bind(2, CanonicalCrateName(meta.name)).Bind(3, now);
    RETURN_IF_ERROR(ins.Run());
    id = db->LastInsertId();
    Statement own =
        db->Prepare("INSERT INTO owners(crate_id, user_id, added_at) VALUES(?1, ?2, ?3)");
    own.Bind(1, id).Bind(2, actor.user.id).Bind(3, now);
    RETURN_IF_ERROR(own.Run());
  }
  Statement ver = db->Prepare(
      "INSERT INTO versions(crate_id, vers, vers_key, cksum, size, index_line, metadata, "
      "published_by, published_at, readme_html, bin_names, has_lib) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  ver.Bind(1, id).Bind(2, meta.vers).Bind(3, vers_key).Bind(4, cksum);
  ver.Bind(5, static_cast<int64_t>(size)).Bind(6, line).Bind(7, json).Bind(8, actor.user.id);
  ver.Bind(9, now);
  if (readme_zst) {
    ver.BindBlob(10, *readme_zst);
  } else {
    ver.BindNull(10);
  }
  BindTargets(&ver, 11, targets);
  RETURN_IF_ERROR(ver.Run());
  RETURN_IF_ERROR(RecordDependencies(db, db->LastInsertId()));
  RETURN_IF_ERROR(RefreshCrateSummary(db, id, now));
  // The crate's description is the one of its highest version, not of the latest upload.
  Statement desc =
      db->Prepare("UPDATE crates SET description = ?1 WHERE id = ?2 AND max_version = ?3");
  desc.Bind(1, meta.description).Bind(2, id).Bind(3, meta.vers);
  RETURN_IF_ERROR(desc.Run());
  RETURN_IF_ERROR(RefreshSearchIndex(db, id));
  RETURN_IF_ERROR(RefreshIndexFile(db, id));
  RETURN_IF_ERROR(AppendAudit(db, actor, now, "publish", meta.name + "@" + meta.vers,
                              "sha256 " + cksum + ", " + std::to_string(size) + " bytes" +
                                  (*crate_id == 0 ? ", new crate" : "")));
  return tx.Commit();
}

// Removes the blob file at `path` when no version references `cksum`, checked under the write
// lock. Best effort: a blob left behind is only disk space, and `registry check --repair`
// removes it.
static void RemoveUnreferencedBlob(Database* db, const std::string& path,
                                   const std::string& cksum) {
  Transaction tx(db);
  if (!tx.status().ok()) return;
  Statement st = db->Prepare("SELECT count(*) FROM versions WHERE cksum = ?1");
  st.Bind(1, cksum);
  Result<bool> row = st.Step();
  if (!row.ok() || !*row || st.Int(0) != 0) return;
  std::error_code ec;
  std::filesystem::remove(path, ec);
}

// The feature count and .crate size against the crate's own limits, else the server's.
static Status CheckCrateLimits(const PublishMetadata& meta, size_t crate_size,
                               const CrateLimits& own, const RegistryOptions& options) {
  const std::string how = "; an administrator can raise this crate's limit with `registry crate "
                          "limits --data DIR " + meta.name;
  uint64_t max_features = own.max_features ? static_cast<uint64_t>(*own.max_features)
                                           : options.max_features;
  if (meta.features.size() > max_features) {
    return Status::Invalid("invalid publish metadata: at most " + std::to_string(max_features) +
                           " features are allowed, got " + std::to_string(meta.features.size()) +
                           how + " --max-features N`");
  }
  uint64_t max_size = own.max_size.value_or(options.max_crate_size);
  if (crate_size > max_size) {
    return Status::TooLarge("the crate is " + std::to_string(crate_size) +
                            " bytes, over this crate's limit of " + std::to_string(max_size) +
                            " bytes" + how + " --max-size SIZE`");
  }
  return Status::Ok();
}

Result<Published> Registry::Publish(const Actor& actor, std::string_view body) {
  // The body is bounded by the largest limit any crate has; the crate's own comes after its
  // name is known.
  Result<uint64_t> largest = LargestCrateSize();
  if (!largest.ok()) return largest.status();
  Result<PublishBody> parts = SplitPublishBody(body, options_.max_json_size, *largest);
  if (!parts.ok()) return parts.status();
  Result<PublishMetadata> meta = ParsePublishMetadata(parts->json);
  if (!meta.ok()) return meta.status();
  Result<CrateLimits> own = GetCrateLimits(meta->name);
  if (!own.ok()) return own.status();
  RETURN_IF_ERROR(CheckCrateLimits(*meta, parts->crate.size(), *own, options_));
  Result<Version> version = ParseVersion(meta->vers);
  if (!version.ok()) return version.status();
  std::string vers_key = version->WithoutBuild();

  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  // Cheap checks before reading the tarball or touching the disk.
  Result<int64_t> pre = Authorize(db->get(), actor, *meta, vers_key);
  if (!pre.ok()) return pre.status();
  RETURN_IF_ERROR(CheckLocalDependencies(db->get(), *meta));

  TarballLimits limits;
  limits.max_unpacked = options_.max_unpacked_size;
  Result<TarballInfo> tar = CheckTarball(parts->crate, meta->name, meta->vers, limits);
  if (!tar.ok()) return tar.status();

  std::string cksum = Sha256Hex(parts->crate);
  // The blob is durable before the version row exists, so no index line ever points at a
  // missing file.
  std::error_code ec;
  bool blob_existed = std::filesystem::exists(blobs_->PathOf(cksum), ec);
  RETURN_IF_ERROR(blobs_->Put(cksum, parts->crate));
  int64_t now = clock_->Now();
  std::string line = IndexLineJson(IndexEntryForPublish(*meta, cksum, now));
  // Rendered once here, so the web UI serves stored HTML. Debian 12's cmark-gfm takes
  // quadratic time on some hostile inputs (31 s for 600 KB), so READMEs are cut at 256 KiB.
  std::optional<std::string> readme;
  if (meta->readme && !meta->readme->empty()) {
    MarkdownLimits limits;
    limits.max_input = 256 << 10;
    limits.repository = meta->repository.value_or("");
    readme = ZstdCompress(RenderMarkdown(*meta->readme, limits));
  }
  // A library to depend on, binaries to install; a manifest this cannot read leaves them
  // unknown.
  std::optional<CrateTargets> targets;
  if (Result<CrateTargets> found = FindCrateTargets(tar->manifest, tar->target_sources);
      found.ok()) {
    targets = std::move(*found);
  }
  Status committed = CommitVersion(db->get(), actor, *meta, parts->json, vers_key, cksum,
                                   parts->crate.size(), line, readme, targets, now);
  if (!committed.ok()) {
    // Every check ran before the blob was written; what fails here lost a race or met an I/O
    // error. The blob this publish wrote goes again unless a version took it meanwhile.
    if (!blob_existed) RemoveUnreferencedBlob(db->get(), blobs_->PathOf(cksum), cksum);
    return committed;
  }
  // The same bytes may have been a crates.io mirror file, evicted after the Put above found
  // it present and before this commit (mirror/eviction.cpp): store it again if so.
  RETURN_IF_ERROR(blobs_->Put(cksum, parts->crate));
  return Published{meta->name, meta->vers, cksum};
}

}  // namespace registry
