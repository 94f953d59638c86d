// Reading an uploaded `cargo doc` tree (target/doc as .tar.gz, .tar.zst or .zip): every entry is
// checked before anything is stored, and the checked files are then handed over one by one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// Bounds an upload is held to. The compressed size is the HTTP body's, bounded before it is
// read (ApiOptions::max_docs_size); these bound what it unpacks to.
struct DocsLimits {
  uint64_t max_unpacked = 2ull << 30;   // all files together
  uint64_t max_file = 64ull << 20;      // any one file
  int64_t max_files = 100000;
  // Unpacked bytes per compressed byte; archives unpacking to less than ratio_floor are not
  // held to it (small trees of repetitive HTML compress very well).
  uint64_t max_ratio = 100;
  uint64_t ratio_floor = 64ull << 20;
  size_t max_path = 1024;
  int max_depth = 32;
};

// What a checked archive holds.
struct DocsTree {
  int64_t files = 0;
  uint64_t bytes = 0;   // unpacked
  std::string prefix;   // stripped from every path: "" or "doc/" (an archive of target/doc itself)
};

// The directory rustdoc writes a library's pages to: its name with `-` as `_`.
std::string DocsRootDir(std::string_view crate_name);

// Checks every entry of `archive`: regular files and directories only (no links, devices or
// fifos), relative paths without `.`/`..`/empty parts, backslashes or control characters,
// within `limits`, no path twice, and `root_dir`/index.html present. Invalid names the first
// problem. Files whose name starts with `.` (cargo's `.lock`) are skipped.
Result<DocsTree> CheckDocsArchive(std::string_view archive, std::string_view root_dir,
                                  const DocsLimits& limits);

// Calls `file` with each file's path (without tree.prefix) and bytes, in archive order, for
// an archive CheckDocsArchive accepted. Stops at the first error `file` returns.
using DocsFileSink = std::function<Status(const std::string& path, std::string_view data)>;
Status ForEachDocsFile(std::string_view archive, const DocsTree& tree, const DocsLimits& limits,
                       const DocsFileSink& file);

// The Content-Type a docs file is served with, from its extension.
std::string_view DocsContentType(std::string_view path);

}  // namespace registry
