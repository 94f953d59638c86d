// Registry's hosted docs: UploadDocs, DeleteDocs, FindDocs, ReadDocsFile. Each docs file is a
// blob in the docs store, keyed by the SHA-256 of its stored form, so a file that recurs
// across versions (rustdoc's static.files/, unchanged source pages) is kept once.
#include <filesystem>
#include <set>

#include "audit/audit_log.h"
#include "base/crypto.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"
#include "storage/gzip_codec.h"

namespace registry {

namespace {

struct VersionRow {
  CrateRow crate;
  int64_t id = 0;
  std::string vers;
};

struct StoredDocsFile {
  std::string path;
  std::string blob;
  uint64_t size = 0;
  bool gzip = false;
};

}  // namespace

static Result<VersionRow> RequireDocsVersion(Database* db, std::string_view name,
                                             std::string_view vers) {
  Result<Version> version = ParseVersion(vers);
  if (!version.ok()) return version.status();
  Result<CrateRow> crate = RequireCrate(db, name);
  if (!crate.ok()) return crate.status();
  Statement st = db->Prepare("SELECT id, vers FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  st.Bind(1, crate->id).Bind(2, version->WithoutBuild());
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("crate `" + crate->name + "` has no version `" + std::string(vers) +
                            "`");
  }
  return VersionRow{*crate, st.Int(0), st.Text(1)};
}

// The blobs of the version's docs (none when it has no docs).
static Result<std::set<std::string>> DocsBlobsOf(Database* db, int64_t version_id) {
  std::set<std::string> blobs;
  Statement st = db->Prepare("SELECT blob FROM doc_files WHERE version_id = ?1");
  st.Bind(1, version_id);
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    blobs.insert(st.Text(0));
  }
  return blobs;
}

static Result<bool> HasDocs(Database* db, int64_t version_id) {
  Statement st = db->Prepare("SELECT 1 FROM doc_sets WHERE version_id = ?1");
  st.Bind(1, version_id);
  return st.Step();
}

static Status DeleteDocsRows(Database* db, int64_t version_id) {
  Statement files = db->Prepare("DELETE FROM doc_files WHERE version_id = ?1");
  files.Bind(1, version_id);
  RETURN_IF_ERROR(files.Run());
  Statement set = db->Prepare("DELETE FROM doc_sets WHERE version_id = ?1");
  set.Bind(1, version_id);
  return set.Run();
}

// Removes those of `blobs` that no docs file refers to any more. Called with docs_mu_ held,
// after the transaction that dropped them committed.
static Status RemoveUnusedDocsBlobs(Database* db, BlobStore* store,
                                    const std::set<std::string>& blobs) {
  for (const std::string& blob : blobs) {
    Statement used = db->Prepare("SELECT 1 FROM doc_files WHERE blob = ?1 LIMIT 1");
    used.Bind(1, blob);
    Result<bool> row = used.Step();
    if (!row.ok()) return row.status();
    if (!*row) RETURN_IF_ERROR(store->Remove(blob));
  }
  return Status::Ok();
}

Result<DocsUpload> Registry::UploadDocs(const Actor& actor, std::string_view name,
                                        std::string_view vers, std::string_view archive,
                                        const DocsLimits& limits) {
  RETURN_IF_ERROR(actor.Require(kScopeDocs, name));
  if (!doc_blobs_) return Status::Unavailable("this registry stores no docs");
  VersionRow version;
  {
    auto db = pool_->Acquire();
    if (!db.ok()) return db.status();
    Result<VersionRow> row = RequireDocsVersion(db->get(), name, vers);
    if (!row.ok()) return row.status();
    version = *row;
    RETURN_IF_ERROR(
        RequireOwner(db->get(), version.crate, actor, "upload its docs", /*admin_may=*/true));
  }
  std::string root = DocsRootDir(version.crate.name);
  Result<DocsTree> tree = CheckDocsArchive(archive, root, limits);
  if (!tree.ok()) return tree.status();

  std::lock_guard<std::mutex> lock(docs_mu_);
  DocsUpload up;
  up.name = version.crate.name;
  up.vers = version.vers;
  up.page = root + "/index.html";
  std::vector<StoredDocsFile> files;
  std::set<std::string> created;  // blobs this upload wrote, removed again if it fails
  auto discard = [&](Status st) {
    for (const std::string& blob : created) (void)doc_blobs_->Remove(blob);
    return st;
  };
  Status stored = ForEachDocsFile(archive, *tree, limits, [&](const std::string& path,
                                                              std::string_view data) {
    StoredDocsFile f{path, "", data.size(), false};
    std::string gz;
    // Text compresses well and is what browsers fetch most; fonts and images are already
    // compressed. Kept gzip only when that saves a tenth.
    if (data.size() >= 256) {
      gz = GzipCompress(data, 6);
      f.gzip = gz.size() < data.size() - data.size() / 10;
    }
    std::string_view bytes = f.gzip ? std::string_view(gz) : data;
    f.blob = Sha256Hex(bytes);
    std::error_code ec;
    if (!created.count(f.blob) && !std::filesystem::exists(doc_blobs_->PathOf(f.blob), ec)) {
      RETURN_IF_ERROR(doc_blobs_->PutUnsynced(f.blob, bytes));
      created.insert(f.blob);
      ++up.new_blobs;
      up.new_blob_bytes += bytes.size();
    }
    ++up.files;
    up.bytes += data.size();
    files.push_back(std::move(f));
    return Status::Ok();
  });
  if (!stored.ok()) return discard(stored);
  Status synced = doc_blobs_->Sync();
  if (!synced.ok()) return discard(synced);

  auto db = pool_->Acquire();
  if (!db.ok()) return discard(db.status());
  std::set<std::string> old_blobs;
  Status committed = [&]() -> Status {
    Transaction tx(db->get());
    RETURN_IF_ERROR(tx.status());
    // Again inside the write lock: the version, and who may upload, as they are now.
    Result<VersionRow> row = RequireDocsVersion(db->get(), name, vers);
    if (!row.ok()) return row.status();
    RETURN_IF_ERROR(RequireOwner(db->get(), row->crate, actor, "upload its docs", true));
    Result<std::set<std::string>> old = DocsBlobsOf(db->get(), row->id);
    if (!old.ok()) return old.status();
    old_blobs = std::move(*old);
    Result<bool> existed = HasDocs(db->get(), row->id);
    if (!existed.ok()) return existed.status();
    up.replaced = *existed;
    RETURN_IF_ERROR(DeleteDocsRows(db->get(), row->id));
    int64_t now = clock_->Now();
    Statement set = (*db)->Prepare(
        "INSERT INTO doc_sets(version_id, root, files, bytes, uploaded_at, uploaded_by) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    set.Bind(1, row->id).Bind(2, root).Bind(3, up.files).Bind(4, static_cast<int64_t>(up.bytes));
    set.Bind(5, now);
    if (actor.user.id) set.Bind(6, actor.user.id);
    RETURN_IF_ERROR(set.Run());
    for (const StoredDocsFile& f : files) {
      Statement file = (*db)->Prepare(
          "INSERT INTO doc_files(version_id, path, blob, size, gzip) VALUES (?1, ?2, ?3, ?4, ?5)");
      file.Bind(1, row->id).Bind(2, f.path).Bind(3, f.blob);
      file.Bind(4, static_cast<int64_t>(f.size)).Bind(5, int64_t{f.gzip});
      RETURN_IF_ERROR(file.Run());
    }
    RETURN_IF_ERROR(AppendAudit(db->get(), actor, now, up.replaced ? "docs-replace" : "docs-upload",
                                row->crate.name + "@" + row->vers + ": " +
                                    std::to_string(up.files) + " files, " +
                                    std::to_string(up.bytes) + " bytes"));
    return tx.Commit();
  }();
  if (!committed.ok()) return discard(committed);
  for (const StoredDocsFile& f : files) old_blobs.erase(f.blob);
  // The upload stands; a file left behind here costs space only (`check --repair` finds it).
  (void)RemoveUnusedDocsBlobs(db->get(), doc_blobs_, old_blobs);
  return up;
}

Status Registry::DeleteDocs(const Actor& actor, std::string_view name, std::string_view vers) {
  RETURN_IF_ERROR(actor.Require(kScopeDocs, name));
  if (!doc_blobs_) return Status::Unavailable("this registry stores no docs");
  std::lock_guard<std::mutex> lock(docs_mu_);
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  std::set<std::string> old_blobs;
  {
    Transaction tx(db->get());
    RETURN_IF_ERROR(tx.status());
    Result<VersionRow> row = RequireDocsVersion(db->get(), name, vers);
    if (!row.ok()) return row.status();
    RETURN_IF_ERROR(RequireOwner(db->get(), row->crate, actor, "delete its docs", true));
    Result<std::set<std::string>> old = DocsBlobsOf(db->get(), row->id);
    if (!old.ok()) return old.status();
    Result<bool> existed = HasDocs(db->get(), row->id);
    if (!existed.ok()) return existed.status();
    if (!*existed) {
      return Status::NotFound(row->crate.name + " " + row->vers + " has no docs uploaded");
    }
    old_blobs = std::move(*old);
    RETURN_IF_ERROR(DeleteDocsRows(db->get(), row->id));
    RETURN_IF_ERROR(AppendAudit(db->get(), actor, clock_->Now(), "docs-delete",
                                row->crate.name + "@" + row->vers));
    RETURN_IF_ERROR(tx.Commit());
  }
  return RemoveUnusedDocsBlobs(db->get(), doc_blobs_, old_blobs);
}

Result<DocsVersion> Registry::FindDocs(const Actor& actor, std::string_view name,
                                       std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  if (vers != "latest") {
    Result<VersionRow> row = RequireDocsVersion(db->get(), name, vers);
    if (!row.ok()) return row.status();
    Statement st = (*db)->Prepare("SELECT root FROM doc_sets WHERE version_id = ?1");
    st.Bind(1, row->id);
    Result<bool> has = st.Step();
    if (!has.ok()) return has.status();
    if (!*has) return Status::NotFound(row->crate.name + " " + row->vers + " has no docs uploaded");
    return DocsVersion{row->crate.name, row->vers, st.Text(0) + "/index.html"};
  }
  Statement st = (*db)->Prepare(
      "SELECT v.vers, v.yanked, d.root FROM versions v JOIN doc_sets d ON d.version_id = v.id "
      "WHERE v.crate_id = ?1");
  st.Bind(1, crate->id);
  std::optional<DocsVersion> best;
  std::optional<Version> best_version;
  bool best_yanked = true;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Result<Version> v = ParseVersion(st.Text(0));
    if (!v.ok()) continue;
    bool yanked = st.Int(1) != 0;
    bool better = !best || (best_yanked && !yanked) ||
                  (best_yanked == yanked && CompareVersions(*v, *best_version) > 0);
    if (better) {
      best = DocsVersion{crate->name, st.Text(0), st.Text(2) + "/index.html"};
      best_version = *v;
      best_yanked = yanked;
    }
  }
  if (!best) return Status::NotFound(crate->name + " has no docs uploaded");
  return *best;
}

Result<DocsFile> Registry::ReadDocsFile(const Actor& actor, std::string_view name,
                                        std::string_view vers, std::string_view path) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  if (!doc_blobs_) return Status::NotFound("this registry stores no docs");
  // A page load asks for a dozen files: found ones are cached until the next write anywhere
  // (the stamp is taken before the read, as in FindCrateBlob), by the names as asked for.
  uint64_t stamp = pool_->ChangeStamp();
  std::string key;
  key.reserve(name.size() + vers.size() + path.size() + 2);
  key.append(name).append(1, ' ').append(vers).append(1, ' ').append(path);
  std::shared_ptr<const DocsFile> found = docs_file_cache_.Find(key, stamp);
  if (!found) {
    Result<Version> version = ParseVersion(vers);
    if (!version.ok()) return version.status();
    auto db = pool_->Acquire();
    if (!db.ok()) return db.status();
    Statement st = (*db)->Prepare(
        "SELECT f.blob, f.size, f.gzip FROM crates c JOIN versions v ON v.crate_id = c.id "
        "JOIN doc_files f ON f.version_id = v.id "
        "WHERE c.canonical = ?1 AND v.vers_key = ?2 AND f.path = ?3");
    st.Bind(1, CanonicalCrateName(name)).Bind(2, version->WithoutBuild()).Bind(3, path);
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no such docs file: " + std::string(path));
    DocsFile read;
    read.blob = st.Text(0);
    read.size = static_cast<uint64_t>(st.Int(1));
    read.gzip = st.Int(2) != 0;
    read.path = doc_blobs_->PathOf(read.blob);
    // Blobs are content-addressed and never rewritten, so what is read of one is cached with
    // the row: its size, and the bytes of a small one, so a page load opens no file. A blob
    // gone from disk is Corrupt here; a large one removed behind a cached entry shows when the
    // transport opens it (a 500, with the path in the server log).
    Status missing =
        Status::Corrupt("a docs file of " + std::string(name) + " is missing from disk");
    std::error_code ec;
    read.stored_size = std::filesystem::file_size(read.path, ec);
    if (ec) return missing;
    if (read.stored_size <= kDocsFileInMemoryBytes) {
      Result<std::string> bytes = doc_blobs_->Get(read.blob);
      if (!bytes.ok()) return bytes.status().code() == Code::kNotFound ? missing : bytes.status();
      read.stored_size = bytes->size();
      read.bytes = std::make_shared<const std::string>(std::move(*bytes));
    }
    found = std::make_shared<const DocsFile>(std::move(read));
    docs_file_cache_.Put(key, stamp, found,
                         sizeof(DocsFile) + found->blob.size() + found->path.size() +
                             (found->bytes ? sizeof(std::string) + found->bytes->size() : 0));
  }
  return *found;
}

}  // namespace registry
