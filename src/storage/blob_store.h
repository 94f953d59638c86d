// Content-addressed storage of .crate files under DIR/blobs, keyed by SHA-256.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "storage/file_system.h"

namespace registry {

// Thread-safe: blobs are immutable once written and writes go through atomic renames.
class BlobStore {
 public:
  // `root` is the data directory; blobs live in root/blobs/ab/<sha256>, temp files in root/tmp.
  // `fs` must outlive the store.
  BlobStore(std::string root, FileSystem* fs);

  // Creates the directories. Call once before use.
  Status Init();

  // Stores `data` durably under `sha256` (lower-case hex of its SHA-256, which the caller
  // computed). Ok without writing if the blob is already present.
  Status Put(const std::string& sha256, std::string_view data);

  // Put without syncing: the blob is durable once Sync() returns Ok. For batches.
  Status PutUnsynced(const std::string& sha256, std::string_view data);
  Status Sync();

  // The blob's bytes after checking them against `sha256`. NotFound if absent; Corrupt if
  // the bytes on disk do not hash to `sha256`.
  Result<std::string> Get(const std::string& sha256);

  // Removes the blob (Ok when absent). Only for blobs nothing refers to any more: the
  // mirror's evicted .crate files.
  Status Remove(const std::string& sha256);

  std::string PathOf(const std::string& sha256) const;

 private:
  std::string root_;
  FileSystem* fs_;
};

}  // namespace registry
