// Backup archives: POSIX cpio (odc) through libarchive's zstd filter, so `zstd -d | cpio -id`
// can also unpack one. Entries: MANIFEST.json, registry.db (the snapshot), blobs/ab/<sha256>,
// docs/blobs/ab/<sha256>.
// cpio rather than tar: libarchive's tar writers pull in every other format writer (7-Zip,
// xar with libxml2 and ICU), which would triple the static binary; odc allows 8 GiB a file.
#include "maintenance/backup.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "base/archive_handle.h"
#include "base/crypto.h"
#include "db/schema.h"
#include "storage/file_system.h"

namespace registry {

namespace fs = std::filesystem;

static constexpr int kArchiveFormat = 1;
static constexpr int64_t kMaxBlobSize = 1ll << 30;

// --- writing --------------------------------------------------------------------------------

// A consistent copy of the live database at `dest`, taken in one read transaction.
static Status SnapshotDatabase(App* app, const std::string& dest) {
  auto db = app->pool().Acquire();
  if (!db.ok()) return db.status();
  sqlite3* out = nullptr;
  if (sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    std::string msg = out ? sqlite3_errmsg(out) : "out of memory";
    sqlite3_close(out);
    return Status::Io("cannot create " + dest + ": " + msg);
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> owner(out, sqlite3_close);
  sqlite3_backup* b = sqlite3_backup_init(out, "main", (*db)->handle(), "main");
  if (!b)
    return Status::Io(std::string("cannot start the database backup: ") + sqlite3_errmsg(out));
  int rc = sqlite3_backup_step(b, -1);  // all pages in one step: one consistent snapshot
  sqlite3_backup_finish(b);
  if (rc != SQLITE_DONE) {
    return Status::Io(std::string("database backup failed: ") + sqlite3_errstr(rc));
  }
  // The copy keeps the WAL flag; fold it into one self-contained file.
  sqlite3_exec(out, "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr);
  return Status::Ok();
}

static Result<std::vector<std::string>> ReferencedBlobs(const std::string& db_path) {
  Result<std::unique_ptr<Database>> db = Database::Open(db_path);
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT DISTINCT cksum FROM versions ORDER BY cksum");
  std::vector<std::string> out;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(st.Text(0));
  }
  return out;
}

// The hosted docs' blobs the snapshot refers to (none before schema 9).
static Result<std::vector<std::string>> ReferencedDocBlobs(Database* db) {
  std::vector<std::string> out;
  Statement has = db->Prepare("SELECT 1 FROM sqlite_master WHERE name = 'doc_files'");
  Result<bool> table = has.Step();
  if (!table.ok()) return table.status();
  if (!*table) return out;
  Statement st = db->Prepare("SELECT DISTINCT blob FROM doc_files ORDER BY blob");
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(st.Text(0));
  }
  return out;
}

static Result<int64_t> CountVersions(Database* db) {
  Statement st = db->Prepare("SELECT count(*) FROM versions");
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return st.Int(0);
}

static Status SyncFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Io("cannot open " + path + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  return rc == 0 ? Status::Ok() : Status::Io("cannot sync " + path);
}

Result<BackupStats> Backup(App* app, const std::string& out_path, const CheckProgress& progress) {
  std::string snapshot = app->data_dir() + "/tmp/" + std::to_string(::getpid()) + "-backup.db";
  std::string partial = out_path + ".partial";
  struct Cleanup {
    std::string a, b;
    ~Cleanup() {
      std::error_code ec;
      fs::remove(a, ec);
      for (const char* suffix : {"-journal", "-wal", "-shm"}) fs::remove(a + suffix, ec);
      if (!b.empty()) fs::remove(b, ec);
    }
  } cleanup{snapshot, partial};

  RETURN_IF_ERROR(SnapshotDatabase(app, snapshot));
  // The bytes first: opening the copy below may change its journal mode.
  Result<std::string> db_bytes = RealFileSystem()->ReadFile(snapshot);
  if (!db_bytes.ok()) return db_bytes.status();
  Result<std::vector<std::string>> blobs = ReferencedBlobs(snapshot);
  if (!blobs.ok()) return blobs.status();

  BackupStats stats;
  stats.blobs = static_cast<int64_t>(blobs->size());
  std::vector<std::string> doc_blobs;
  {
    Result<std::unique_ptr<Database>> db = Database::Open(snapshot);
    if (!db.ok()) return db.status();
    Result<int64_t> n = CountVersions(db->get());
    if (!n.ok()) return n.status();
    stats.versions = *n;
    Result<std::vector<std::string>> docs = ReferencedDocBlobs(db->get());
    if (!docs.ok()) return docs.status();
    doc_blobs = std::move(*docs);
  }
  stats.doc_blobs = static_cast<int64_t>(doc_blobs.size());
  nlohmann::json manifest = {{"format", kArchiveFormat},
                             {"schema_version", LatestSchemaVersion()},
                             {"versions", stats.versions},
                             {"blobs", stats.blobs},
                             {"doc_blobs", stats.doc_blobs},
                             {"database_sha256", Sha256Hex(*db_bytes)}};

  ArchiveWriter a(archive_write_new());
  if (archive_write_add_filter_zstd(a.get()) != ARCHIVE_OK ||
      archive_write_set_format_cpio_odc(a.get()) != ARCHIVE_OK ||
      archive_write_open_filename(a.get(), partial.c_str()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot create " + partial);
  }
  RETURN_IF_ERROR(AddArchiveFile(a.get(), "MANIFEST.json", manifest.dump(2) + "\n"));
  RETURN_IF_ERROR(AddArchiveFile(a.get(), "registry.db", *db_bytes));
  for (size_t i = 0; i < blobs->size(); ++i) {
    const std::string& sha = (*blobs)[i];
    // Blobs are immutable and verified on the way out: a backup never copies corruption.
    Result<std::string> data = app->blobs().Get(sha);
    if (!data.ok()) return data.status();
    RETURN_IF_ERROR(AddArchiveFile(a.get(), "blobs/" + sha.substr(0, 2) + "/" + sha, *data));
    if (progress) progress("blobs", static_cast<int64_t>(i + 1), stats.blobs);
  }
  for (size_t i = 0; i < doc_blobs.size(); ++i) {
    const std::string& sha = doc_blobs[i];
    Result<std::string> data = app->doc_blobs().Get(sha);
    if (!data.ok()) {
      return Status::Corrupt("docs file " + sha + ": " + data.status().message() +
                             " (`registry check` names its version; upload its docs again)");
    }
    RETURN_IF_ERROR(
        AddArchiveFile(a.get(), "docs/blobs/" + sha.substr(0, 2) + "/" + sha, *data));
    if (progress) progress("docs", static_cast<int64_t>(i + 1), stats.doc_blobs);
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK)
    return ArchiveError(a.get(), "closing " + partial);
  RETURN_IF_ERROR(SyncFile(partial));
  std::error_code ec;
  fs::rename(partial, out_path, ec);
  if (ec) return Status::Io("cannot rename " + partial + " to " + out_path + ": " + ec.message());
  cleanup.b.clear();
  stats.bytes = static_cast<int64_t>(fs::file_size(out_path, ec));
  return stats;
}

// --- restoring ------------------------------------------------------------------------------

// An integer member of the manifest, or -1 (never an exception on odd input).
static int64_t ManifestInt(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : -1;
}

static bool IsBlobEntry(const std::string& name, std::string* sha) {
  // "blobs/ab/<64 hex>"
  if (name.size() != 6 + 3 + 64 || name.compare(0, 6, "blobs/") != 0 || name[8] != '/') {
    return false;
  }
  *sha = name.substr(9);
  if (sha->compare(0, 2, name, 6, 2) != 0) return false;
  return sha->find_first_not_of("0123456789abcdef") == std::string::npos;
}

static Result<std::string> ReadEntry(archive* a, archive_entry* entry, const std::string& name) {
  la_int64_t size = archive_entry_size(entry);
  if (size < 0 || size > kMaxBlobSize) return Status::Corrupt(name + " has an impossible size");
  std::string data(static_cast<size_t>(size), '\0');
  la_ssize_t n = size ? archive_read_data(a, data.data(), data.size()) : 0;
  if (n != size) return ArchiveError(a, "reading " + name);
  return data;
}

static Status RestoreInto(const std::string& archive_path, const std::string& dir,
                          const CheckProgress& progress, BackupStats* stats) {
  ArchiveReader a(archive_read_new());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_format_cpio(a.get());
  if (archive_read_open_filename(a.get(), archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot open " + archive_path);
  }
  FileSystem* files = RealFileSystem();
  nlohmann::json manifest;
  std::string db_sha;
  std::set<std::string> restored;
  std::set<std::string> restored_docs;
  RETURN_IF_ERROR(files->CreateDirectories(dir + "/docs/tmp"));
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) return ArchiveError(a.get(), "reading " + archive_path);
    std::string name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (archive_entry_filetype(entry) != AE_IFREG) {
      return Status::Corrupt("the archive holds `" + name + "`, which is not a regular file");
    }
    Result<std::string> data = ReadEntry(a.get(), entry, name);
    if (!data.ok()) return data.status();
    std::string sha;
    if (name == "MANIFEST.json") {
      manifest = nlohmann::json::parse(*data, nullptr, false);
      if (!manifest.is_object() || ManifestInt(manifest, "format") != kArchiveFormat) {
        return Status::Corrupt("the archive's MANIFEST.json is not a registry backup manifest");
      }
    } else if (name == "registry.db") {
      db_sha = Sha256Hex(*data);
      RETURN_IF_ERROR(files->WriteDurably(dir + "/tmp", dir + "/tmp/restore.db", *data));
    } else if (name.rfind("docs/", 0) == 0 && IsBlobEntry(name.substr(5), &sha)) {
      if (Sha256Hex(*data) != sha) {
        return Status::Corrupt("docs blob " + sha + " in the archive does not match its checksum");
      }
      RETURN_IF_ERROR(files->CreateDirectories(dir + "/docs/blobs/" + sha.substr(0, 2)));
      RETURN_IF_ERROR(files->WriteDurably(dir + "/docs/tmp", dir + "/" + name, *data));
      restored_docs.insert(sha);
      if (progress) progress("docs", static_cast<int64_t>(restored_docs.size()), 0);
    } else if (IsBlobEntry(name, &sha)) {
      if (Sha256Hex(*data) != sha) {
        return Status::Corrupt("blob " + sha + " in the archive does not match its checksum");
      }
      RETURN_IF_ERROR(files->CreateDirectories(dir + "/blobs/" + sha.substr(0, 2)));
      RETURN_IF_ERROR(files->WriteDurably(dir + "/tmp", dir + "/" + name, *data));
      restored.insert(sha);
      int64_t total = manifest.is_object() ? ManifestInt(manifest, "blobs") : 0;
      if (progress) progress("blobs", static_cast<int64_t>(restored.size()), total);
    } else {
      return Status::Corrupt("unexpected entry `" + name + "` in the archive");
    }
  }
  if (!manifest.is_object()) return Status::Corrupt("the archive has no MANIFEST.json");
  if (db_sha.empty()) return Status::Corrupt("the archive has no registry.db");
  auto want = manifest.find("database_sha256");
  if (want == manifest.end() || !want->is_string() || db_sha != want->get<std::string>()) {
    return Status::Corrupt("registry.db does not match the manifest's checksum");
  }
  if (static_cast<int64_t>(restored.size()) != ManifestInt(manifest, "blobs")) {
    return Status::Corrupt("the archive holds " + std::to_string(restored.size()) +
                           " blobs, the manifest says " +
                           std::to_string(ManifestInt(manifest, "blobs")));
  }
  {
    Result<std::unique_ptr<Database>> db = Database::Open(dir + "/tmp/restore.db");
    if (!db.ok()) return db.status();
    Statement st = (*db)->Prepare("SELECT DISTINCT cksum FROM versions");
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (!restored.count(st.Text(0))) {
        return Status::Corrupt("the database references blob " + st.Text(0) +
                               ", which the archive lacks");
      }
    }
    Result<std::vector<std::string>> docs = ReferencedDocBlobs(db->get());
    if (!docs.ok()) return docs.status();
    for (const std::string& sha : *docs) {
      if (!restored_docs.count(sha)) {
        return Status::Corrupt("the database references docs blob " + sha +
                               ", which the archive lacks");
      }
    }
    Result<int64_t> n = CountVersions(db->get());
    if (!n.ok()) return n.status();
    stats->versions = *n;
  }
  std::error_code ec;
  fs::rename(dir + "/tmp/restore.db", dir + "/registry.db", ec);
  if (ec) return Status::Io("cannot move the restored database into place: " + ec.message());
  stats->blobs = static_cast<int64_t>(restored.size());
  stats->doc_blobs = static_cast<int64_t>(restored_docs.size());
  stats->bytes = static_cast<int64_t>(fs::file_size(archive_path, ec));
  return Status::Ok();
}

Result<BackupStats> Restore(const std::string& archive_path, const std::string& data_dir,
                            const CheckProgress& progress) {
  std::error_code ec;
  if (fs::exists(data_dir, ec) && !fs::is_empty(data_dir, ec)) {
    return Status::Invalid("refusing to restore into " + data_dir +
                           ": it is not empty; give a new directory");
  }
  fs::create_directories(data_dir + "/tmp", ec);
  if (ec) return Status::Io("cannot create " + data_dir + ": " + ec.message());
  fs::permissions(data_dir, fs::perms::owner_all, ec);
  BackupStats stats;
  Status st = RestoreInto(archive_path, data_dir, progress, &stats);
  if (!st.ok()) {
    // Leave nothing half-restored behind; the directory was empty or absent.
    for (const auto& entry : fs::directory_iterator(data_dir, ec)) fs::remove_all(entry.path(), ec);
    return st;
  }
  return stats;
}

}  // namespace registry
