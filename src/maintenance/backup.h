// `registry backup` and `registry restore`: a consistent snapshot of a live data directory
// (SQLite's online backup API, then the blobs that snapshot references, the hosted docs'
// too) as one zstd-compressed cpio archive, and its verified restoration into a new directory.
#pragma once

#include <cstdint>
#include <string>

#include "app/app.h"
#include "base/status.h"
#include "maintenance/check.h"

namespace registry {

struct BackupStats {
  int64_t versions = 0;
  int64_t blobs = 0;
  int64_t doc_blobs = 0;  // the hosted docs' stored files
  int64_t bytes = 0;  // of the archive
};

// Writes the archive to `out_path` (via a temp file and rename, so a half-written archive
// never has the final name). Safe while servers publish into the same directory: the
// snapshot is one read transaction, and blobs are immutable once referenced.
Result<BackupStats> Backup(App* app, const std::string& out_path, const CheckProgress& progress);

// Restores `archive_path` into `data_dir`, which must not exist or be empty. Every blob is
// checked against its SHA-256 name, the database against the manifest's checksum, and every
// version must have its blob; on any failure nothing is left in `data_dir`.
Result<BackupStats> Restore(const std::string& archive_path, const std::string& data_dir,
                            const CheckProgress& progress);

}  // namespace registry
