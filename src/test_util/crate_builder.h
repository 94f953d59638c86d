// Builds .crate files and publish request bodies in memory, for tests.
// Header-only on purpose: the core library (linked statically into the main binary) uses only
// libarchive's read side, so this writer must be compiled into the test binary alone.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/archive_handle.h"

namespace registry {

// A file inside a .crate, its path relative to the crate's "{name}-{vers}/" root.
struct CrateEntry {
  std::string path;
  std::string content;
};

// A gzip-compressed tar holding "{name}-{vers}/Cargo.toml" with [package] name and version,
// then `extra` files under the same root: what `cargo package` would produce, minus sources.
// Byte-for-byte deterministic for the same arguments (no gzip or entry timestamps vary).
// Returns "" if libarchive fails, which CheckTarball then refuses.
inline std::string MakeCrateFile(std::string_view name, std::string_view vers,
                                 const std::vector<CrateEntry>& extra = {}) {
  const std::string root = std::string(name) + "-" + std::string(vers) + "/";
  std::vector<CrateEntry> files;
  files.push_back({"Cargo.toml", "[package]\nname = \"" + std::string(name) + "\"\nversion = \"" +
                                     std::string(vers) + "\"\nedition = \"2021\"\n"});
  files.insert(files.end(), extra.begin(), extra.end());

  // archive_write_open_memory needs the whole output to fit: tar headers (pax may add one
  // per entry), padding to the 10240-byte block, and gzip's worst-case growth.
  size_t capacity = 64 * 1024;
  for (const CrateEntry& f : files) capacity += 2 * (f.content.size() + f.path.size()) + 4096;
  std::string out(capacity, '\0');
  size_t used = 0;

  ArchiveWriter writer(archive_write_new());
  archive* a = writer.get();
  if (a == nullptr || archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
      archive_write_set_format_pax_restricted(a) != ARCHIVE_OK) {
    return "";
  }
  // Without this the gzip header carries the current time and two builds differ.
  archive_write_set_filter_option(a, "gzip", "timestamp", nullptr);
  if (archive_write_open_memory(a, out.data(), out.size(), &used) != ARCHIVE_OK) return "";
  for (const CrateEntry& f : files) {
    ArchiveEntry entry(archive_entry_new());
    archive_entry* ae = entry.get();
    const std::string path = root + f.path;
    archive_entry_set_pathname(ae, path.c_str());
    archive_entry_set_filetype(ae, AE_IFREG);
    archive_entry_set_perm(ae, 0644);
    archive_entry_set_mtime(ae, 1700000000, 0);
    archive_entry_set_size(ae, static_cast<la_int64_t>(f.content.size()));
    if (archive_write_header(a, ae) != ARCHIVE_OK) return "";
    if (!f.content.empty() && archive_write_data(a, f.content.data(), f.content.size()) !=
                                  static_cast<la_ssize_t>(f.content.size())) {
      return "";
    }
  }
  if (archive_write_close(a) != ARCHIVE_OK) return "";
  out.resize(used);
  return out;
}

// The body of `PUT /api/v1/crates/new`: u32 LE json length | json | u32 LE crate length | crate.
inline std::string MakePublishBody(std::string_view json, std::string_view crate) {
  std::string body;
  auto append_length = [&body](size_t n) {
    const auto len = static_cast<uint32_t>(n);
    for (int shift = 0; shift < 32; shift += 8) body += static_cast<char>((len >> shift) & 0xff);
  };
  append_length(json.size());
  body.append(json);
  append_length(crate.size());
  body.append(crate);
  return body;
}

}  // namespace registry
