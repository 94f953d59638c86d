// Packing a `cargo doc` output directory (target/doc) into the .tar.zst archive that
// `registry docs upload` sends and CheckDocsArchive reads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// What a pack took in and left out.
struct DocsPackStats {
  int64_t files = 0;
  int64_t dirs = 0;
  uint64_t bytes = 0;          // the files' raw size
  int64_t skipped_links = 0;   // symbolic links: docs may not contain links
  int64_t skipped_other = 0;   // fifos, sockets, devices
  int64_t skipped_hidden = 0;  // names starting with `.` (cargo's `.lock`): the server keeps none
};

// A packed archive in an unlinked temporary file, so nothing is left behind however the
// process ends; its size on disk is the archive's, never the raw tree's. Owns the descriptor;
// movable, not copyable.
class PackedDocs {
 public:
  PackedDocs(int fd, uint64_t size, DocsPackStats stats) : fd_(fd), size_(size), stats_(stats) {}
  ~PackedDocs();
  PackedDocs(PackedDocs&& other) noexcept;
  PackedDocs& operator=(PackedDocs&& other) noexcept;
  PackedDocs(const PackedDocs&) = delete;
  PackedDocs& operator=(const PackedDocs&) = delete;

  uint64_t size() const { return size_; }
  const DocsPackStats& stats() const { return stats_; }

  // Up to `n` bytes at `offset` into `buf`; fewer only at the end. Thread-compatible (pread).
  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const;
  // The whole archive; TooLarge past `max_size`.
  Result<std::string> ReadAll(uint64_t max_size) const;

 private:
  int fd_ = -1;
  uint64_t size_ = 0;
  DocsPackStats stats_;
};

// Packs the tree under `dir` as a zstd-compressed POSIX tar: regular files and directories
// only, paths relative to `dir`, in sorted order, with mtime 0, uid/gid 0 and modes 0644/0755,
// so the same tree always gives the same bytes. Symbolic links (never followed), special
// files and entries named `.*` at any depth are left out and counted. Invalid when `dir` is
// not a directory, lacks DocsRootDir(crate_name)/index.html ("run `cargo doc` first"), or
// nests deeper than the server accepts; Io when a file cannot be read or changes size while
// it is packed. The archive is written to an unlinked file in `tmp_dir` ("" = $TMPDIR, else
// /tmp), streamed, so memory stays small whatever the tree's size.
Result<PackedDocs> PackDocsDir(const std::string& dir, std::string_view crate_name,
                               const std::string& tmp_dir = "");

}  // namespace registry
