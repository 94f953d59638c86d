// The file operations the blob store needs, behind an interface so tests can inject faults.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Writes `data` to a new temp file in `tmp_dir`, fsyncs it, renames it to `path` and
  // fsyncs `path`'s directory, so after Ok the file survives a crash or power loss. On any
  // failure the temp file is removed and `path` is untouched. ENOSPC -> NoSpace.
  virtual Status WriteDurably(const std::string& tmp_dir, const std::string& path,
                              std::string_view data) = 0;
  // WriteDurably without its two fsyncs: the file is in place, but a crash may lose it until
  // SyncFileSystem returns Ok. For writers of many files that sync once (an import).
  virtual Status WriteUnsynced(const std::string& tmp_dir, const std::string& path,
                               std::string_view data) {
    return WriteDurably(tmp_dir, path, data);
  }
  // Flushes every write to the file system that holds `path` (syncfs(2)).
  virtual Status SyncFileSystem(const std::string& path) { return Status::Ok(); }
  // NotFound if absent.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual Status CreateDirectories(const std::string& path) = 0;
  // Unlinks the file; Ok when it was already absent.
  virtual Status Remove(const std::string& path) = 0;
};

// The real POSIX file system. Thread-safe.
FileSystem* RealFileSystem();

}  // namespace registry
