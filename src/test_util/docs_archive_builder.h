// Builds docs archives in memory, for tests: well-formed ones, and the hostile entries
// (links, devices, odd paths) an upload must be refused for.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <string>
#include <utility>
#include <vector>

#include "base/archive_handle.h"

namespace registry {

struct DocsEntry {
  DocsEntry(std::string p, std::string d = "", unsigned t = AE_IFREG, std::string l = "")
      : path(std::move(p)), data(std::move(d)), type(t), link(std::move(l)) {}
  std::string path;
  std::string data;
  unsigned type;     // AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR, AE_IFIFO
  std::string link;  // the symlink target, or for a hard link (type AE_IFREG) its target
};

enum class DocsFormat { kTarGz, kTarZst, kZip };

// "" when libarchive fails.
inline std::string MakeDocsArchive(const std::vector<DocsEntry>& entries,
                                   DocsFormat format = DocsFormat::kTarGz) {
  ArchiveWriter a(archive_write_new());
  if (format == DocsFormat::kZip) {
    archive_write_set_format_zip(a.get());
  } else {
    archive_write_set_format_pax_restricted(a.get());
    if (format == DocsFormat::kTarGz) {
      archive_write_add_filter_gzip(a.get());
    } else {
      archive_write_add_filter_zstd(a.get());
    }
  }
  archive_write_set_bytes_in_last_block(a.get(), 1);  // no zero padding after the stream
  std::string out;
  auto write = [](archive*, void* self, const void* buf, size_t n) -> la_ssize_t {
    static_cast<std::string*>(self)->append(static_cast<const char*>(buf), n);
    return static_cast<la_ssize_t>(n);
  };
  if (archive_write_open(a.get(), &out, nullptr, write, nullptr) != ARCHIVE_OK) return "";
  for (const DocsEntry& e : entries) {
    ArchiveEntry entry(archive_entry_new());
    archive_entry_set_pathname(entry.get(), e.path.c_str());
    archive_entry_set_filetype(entry.get(), e.type);
    archive_entry_set_perm(entry.get(), e.type == AE_IFDIR ? 0755 : 0644);
    if (e.type == AE_IFLNK) {
      archive_entry_set_symlink(entry.get(), e.link.c_str());
    } else if (!e.link.empty()) {
      archive_entry_set_hardlink(entry.get(), e.link.c_str());
    }
    bool has_data = e.type == AE_IFREG && e.link.empty();
    archive_entry_set_size(entry.get(), has_data ? static_cast<la_int64_t>(e.data.size()) : 0);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK) return "";
    if (has_data && !e.data.empty() &&
        archive_write_data(a.get(), e.data.data(), e.data.size()) < 0) {
      return "";
    }
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) return "";
  return out;
}

// The smallest tree an upload for crate directory `root` is accepted with.
inline std::vector<DocsEntry> MinimalDocsTree(const std::string& root) {
  return {{root + "/", "", AE_IFDIR},
          {root + "/index.html", "<!doctype html><title>" + root + "</title><p>docs of " + root},
          {"static.files/rustdoc.css", std::string(4000, 'a') + "body{}"},
          {"search-index.js", "var searchIndex = new Map();"},
          {".lock", ""}};
}

}  // namespace registry
