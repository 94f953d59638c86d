// Registry read paths: sparse-index files and .crate downloads (search is in search.cpp).
#include "base/crypto.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

Result<IndexFileRef> Registry::ReadIndexFile(const Actor& actor, std::string_view lower_name) {
  RETURN_IF_ERROR(actor.RequireRead(lower_name));
  // The stamp is taken before the read, so a write committed meanwhile invalidates it.
  uint64_t stamp = pool_->ChangeStamp();
  std::string key(lower_name);
  if (IndexFileRef hit = index_cache_.Find(key, stamp)) return hit;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT body, gzip, etag, last_modified FROM index_files WHERE lower_name = ?1");
  st.Bind(1, lower_name);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("crate `" + key + "` does not exist");
  auto file =
      std::make_shared<const IndexFile>(IndexFile{st.Text(0), st.Text(1), st.Text(2), st.Int(3)});
  index_cache_.Put(key, stamp, file, file->body.size() + file->gzip.size() + file->etag.size());
  return IndexFileRef(std::move(file));
}

Status Registry::BuildMissingIndexFiles() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  // Once every crate has its file, publishes keep it so: skip the scan, which read all of a
  // 7 GB database (7 s) at 2,000,000 versions on a cold start.
  Statement done = (*db)->Prepare("SELECT 1 FROM settings WHERE key = 'index_files_built'");
  Result<bool> built = done.Step();
  if (!built.ok()) return built.status();
  if (*built) return Status::Ok();
  auto missing = [&]() -> Result<std::vector<int64_t>> {
    Statement st =
        (*db)->Prepare("SELECT id FROM crates WHERE id NOT IN (SELECT crate_id FROM index_files)");
    std::vector<int64_t> ids;
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) return ids;
      ids.push_back(st.Int(0));
    }
  };
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Result<std::vector<int64_t>> ids = missing();
  if (!ids.ok()) return ids.status();
  for (int64_t id : *ids) RETURN_IF_ERROR(RefreshIndexFile(db->get(), id));
  Statement mark = (*db)->Prepare(
      "INSERT OR REPLACE INTO settings(key, value) VALUES('index_files_built', '1')");
  RETURN_IF_ERROR(mark.Run());
  return tx.Commit();
}

Result<Registry::BlobRef> Registry::FindCrateBlob(const Actor& actor, std::string_view name,
                                                  std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  Result<Version> version = ParseVersion(vers);
  if (!version.ok())
    return Status::NotFound("crate `" + std::string(name) + "` has no version `" +
                            std::string(vers) + "`");
  uint64_t stamp = pool_->ChangeStamp();
  std::string key = CanonicalCrateName(name) + ' ' + version->WithoutBuild();
  if (std::shared_ptr<const BlobRef> hit = blob_ref_cache_.Find(key, stamp)) return *hit;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  Statement st =
      (*db)->Prepare("SELECT cksum, id FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  st.Bind(1, crate->id).Bind(2, version->WithoutBuild());
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("crate `" + crate->name + "` has no version `" + std::string(vers) +
                            "`");
  }
  auto ref = std::make_shared<const BlobRef>(BlobRef{st.Text(0), st.Int(1)});
  blob_ref_cache_.Put(key, stamp, ref, sizeof(BlobRef) + ref->cksum.size());
  return *ref;
}

void Registry::CountDownload(int64_t version_id) {
  std::lock_guard<std::mutex> lock(downloads_mu_);
  ++pending_downloads_[{version_id, clock_->Now() / 86400}];
}

static Status MissingBlob(std::string_view name, std::string_view vers) {
  return Status::Corrupt("the stored file for crate `" + std::string(name) + "` version `" +
                         std::string(vers) + "` is missing from the blob store");
}

Result<std::string> Registry::ReadCrate(const Actor& actor, std::string_view name,
                                        std::string_view vers) {
  Result<BlobRef> ref = FindCrateBlob(actor, name, vers);
  if (!ref.ok()) return ref.status();
  Result<std::string> bytes = blobs_->Get(ref->cksum);
  if (!bytes.ok() && bytes.status().code() == Code::kNotFound) return MissingBlob(name, vers);
  if (bytes.ok()) CountDownload(ref->version_id);
  return bytes;
}

Result<StoredCrateFile> Registry::OpenCrate(const Actor& actor, std::string_view name,
                                            std::string_view vers) {
  Result<BlobRef> ref = FindCrateBlob(actor, name, vers);
  if (!ref.ok()) return ref.status();
  StoredCrateFile file{blobs_->PathOf(ref->cksum), 0};
  bool verified;
  {
    std::lock_guard<std::mutex> lock(verified_mu_);
    verified = verified_.count(ref->cksum) > 0;
  }
  if (!verified) {
    // Hash the whole file once per process; it is immutable, so later downloads stream it.
    Result<std::string> bytes = blobs_->Get(ref->cksum);
    if (!bytes.ok() && bytes.status().code() == Code::kNotFound) return MissingBlob(name, vers);
    if (!bytes.ok()) return bytes.status();
    file.size = bytes->size();
    std::lock_guard<std::mutex> lock(verified_mu_);
    if (verified_.size() >= kMaxVerified) verified_.clear();
    verified_.emplace(ref->cksum, file.size);
  } else {
    std::lock_guard<std::mutex> lock(verified_mu_);
    file.size = verified_[ref->cksum];
  }
  CountDownload(ref->version_id);
  return file;
}

}  // namespace registry
