// Single-file reads from a .crate with libarchive, for imports that start from the file.
#include "publish/crate_file.h"

#include <archive.h>
#include <archive_entry.h>

#include <functional>
#include <memory>

#include "base/archive_handle.h"

namespace registry {
namespace {

constexpr uint64_t kMaxManifest = 10ull << 20;


Status Unreadable(archive* a) {
  const char* detail = archive_error_string(a);
  return Status::Invalid(std::string("invalid crate file: cannot read it (") +
                         (detail != nullptr ? detail : "not a gzip-compressed tar") + ")");
}

// Calls `want(path)` for each regular file; the first it accepts is read (up to `max`) into
// `*out`. Returns whether one was found; `*too_big` when it was over `max`.
Result<bool> FindFile(std::string_view crate, const std::function<bool(const std::string&)>& want,
                      uint64_t max, std::string* path_out, std::string* out, bool* too_big) {
  ArchiveReader reader(archive_read_new());
  archive* a = reader.get();
  if (a == nullptr) return Status::Internal("archive_read_new failed");
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_memory(a, crate.data(), crate.size()) != ARCHIVE_OK) return Unreadable(a);
  for (;;) {
    archive_entry* entry = nullptr;
    int r = archive_read_next_header(a, &entry);
    if (r == ARCHIVE_EOF) return false;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return Unreadable(a);
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* name = archive_entry_pathname(entry);
    std::string path = name != nullptr ? name : "";
    if (!want(path)) continue;
    *path_out = path;
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > static_cast<la_int64_t>(max)) {
      *too_big = true;
      return true;
    }
    char buffer[64 * 1024];
    for (;;) {
      la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
      if (n == 0) return true;
      if (n < 0) return Unreadable(a);
      if (out->size() + static_cast<uint64_t>(n) > max) {
        *too_big = true;
        return true;
      }
      out->append(buffer, static_cast<size_t>(n));
    }
  }
}

}  // namespace

Result<CrateManifest> ReadCrateManifest(std::string_view crate) {
  auto is_manifest = [](const std::string& path) {
    size_t slash = path.find('/');
    return slash != std::string::npos && slash > 0 && path.substr(slash) == "/Cargo.toml";
  };
  std::string path, text;
  bool too_big = false;
  Result<bool> found = FindFile(crate, is_manifest, kMaxManifest, &path, &text, &too_big);
  if (!found.ok()) return found.status();
  if (!*found) return Status::Invalid("invalid crate file: no `NAME-VERSION/Cargo.toml` in it");
  if (too_big) return Status::TooLarge("invalid crate file: `" + path + "` is over 10 MiB");
  return CrateManifest{path.substr(0, path.find('/')), std::move(text)};
}

Result<std::optional<std::string>> ReadCrateFile(std::string_view crate, std::string_view path,
                                                 uint64_t max) {
  std::string found_path, text;
  bool too_big = false;
  Result<bool> found = FindFile(
      crate, [&](const std::string& p) { return p == path; }, max, &found_path, &text, &too_big);
  if (!found.ok()) return found.status();
  if (!*found || too_big) return std::optional<std::string>();
  return std::optional<std::string>(std::move(text));
}

}  // namespace registry
