// Checks an uploaded .crate (gzip tar) with libarchive before the registry stores it.
#include "publish/tarball.h"

#include <archive.h>
#include <archive_entry.h>

#include <cerrno>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>

#include <toml++/toml.h>

#include "base/archive_handle.h"

namespace registry {
namespace {

// A Cargo.toml is a few KiB; reading more than this into memory is refused.
constexpr uint64_t kMaxManifestBytes = 10ull << 20;

// Longer paths are refused: no real crate has one, and each path is held while checking.
constexpr size_t kMaxPathBytes = 1024;

// The key two entries collide under on a case-insensitive file system (macOS, Windows): ASCII
// letters folded, backslashes as separators, no trailing separator.
std::string FoldedPath(const std::string& path) {
  std::string key = path;
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '\\') c = '/';
  }
  while (!key.empty() && key.back() == '/') key.pop_back();
  return key;
}

// libarchive's private ARCHIVE_ERRNO_FILE_FORMAT: the errno of "Unrecognized archive format".
#ifdef EFTYPE
constexpr int kUnrecognizedFormatErrno = EFTYPE;
#else
constexpr int kUnrecognizedFormatErrno = EILSEQ;
#endif

Status BadCrate(const std::string& why) { return Status::Invalid("invalid crate file: " + why); }

// libarchive's own words for a read failure, e.g. "Truncated tar archive".
Status ReadFailure(archive* a) {
  const char* detail = archive_error_string(a);
  return BadCrate(std::string("the archive is corrupt or truncated (") +
             (detail != nullptr ? detail : "unknown error") + ")");
}

// The entry's path as stored: the UTF-8 form when libarchive can give it, otherwise the raw
// bytes (a C locale cannot convert non-ASCII names).
std::string EntryPath(archive_entry* entry) {
  if (const char* utf8 = archive_entry_pathname_utf8(entry)) return utf8;
  if (const char* raw = archive_entry_pathname(entry)) return raw;
  return "";
}

// Rejects absolute paths, "..", "." and empty components (which would let two spellings
// unpack to one file), and anything outside "{name}-{vers}/"; only a directory may be the
// root itself. Backslashes count as separators here because Windows unpacks them as such.
Status CheckEntryPath(const std::string& path, const std::string& root, bool is_dir) {
  if (path.empty()) return BadCrate("an entry has an empty path");
  if (path[0] == '/' || path[0] == '\\') return BadCrate("entry `" + path + "` has an absolute path");
  // A trailing separator marks a directory and is not an empty component.
  const size_t end = (path.back() == '/') ? path.size() - 1 : path.size();
  size_t start = 0;
  while (start <= end) {
    size_t sep = path.find_first_of("/\\", start);
    if (sep == std::string::npos || sep > end) sep = end;
    const std::string_view part = std::string_view(path).substr(start, sep - start);
    if (part == "..") return BadCrate("entry `" + path + "` contains a `..` component");
    if (part.empty() || part == ".") {
      return BadCrate("entry `" + path + "` has an empty or `.` path component");
    }
    start = sep + 1;
  }
  const std::string prefix = root + "/";
  const bool is_root = path == root || path == prefix;
  if ((is_root && !is_dir) || (!is_root && path.compare(0, prefix.size(), prefix) != 0)) {
    return BadCrate("entry `" + path + "` is not under `" + prefix + "`");
  }
  return Status::Ok();
}

// Only plain files and directories: links and special files can escape or surprise the
// directory cargo unpacks into.
Status CheckEntryType(archive_entry* entry, const std::string& path) {
  if (archive_entry_hardlink(entry) != nullptr) return BadCrate("entry `" + path + "` is a hard link");
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
    case AE_IFDIR:
      return Status::Ok();
    case AE_IFLNK:
      return BadCrate("entry `" + path + "` is a symbolic link");
    case AE_IFCHR:
    case AE_IFBLK:
      return BadCrate("entry `" + path + "` is a device");
    case AE_IFIFO:
      return BadCrate("entry `" + path + "` is a FIFO");
    default:
      return BadCrate("entry `" + path + "` is not a regular file or directory");
  }
}

Status TooBig(uint64_t limit) {
  return Status::TooLarge("invalid crate file: it unpacks to more than " + std::to_string(limit) +
                          " bytes");
}

Status ManifestTooBig(const std::string& path) {
  return Status::TooLarge("invalid crate file: `" + path + "` is over " +
                          std::to_string(kMaxManifestBytes) + " bytes");
}

// Reads the data of entry `path`, adding every byte to `*unpacked` and failing once that
// passes `limit`; keeps the bytes (at most kMaxManifestBytes) in `*keep` when not null.
Status ReadEntryData(archive* a, const std::string& path, uint64_t limit, uint64_t* unpacked,
                     std::string* keep) {
  char buffer[64 * 1024];
  for (;;) {
    const la_ssize_t n = archive_read_data(a, buffer, sizeof buffer);
    if (n == 0) return Status::Ok();
    if (n < 0) return ReadFailure(a);
    *unpacked += static_cast<uint64_t>(n);
    if (*unpacked > limit) return TooBig(limit);
    if (keep != nullptr) {
      if (keep->size() + static_cast<uint64_t>(n) > kMaxManifestBytes) {
        return ManifestTooBig(path);
      }
      keep->append(buffer, static_cast<size_t>(n));
    }
  }
}

// src/lib.rs, src/main.rs, src/bin/NAME.rs or src/bin/NAME/main.rs under `root`: where cargo
// looks for targets it was not told of.
bool IsTargetSource(const std::string& path, const std::string& root) {
  const std::string_view rel = std::string_view(path).substr(root.size() + 1);
  if (rel == "src/lib.rs" || rel == "src/main.rs") return true;
  constexpr std::string_view kBin = "src/bin/";
  if (rel.substr(0, kBin.size()) != kBin) return false;
  const std::string_view rest = rel.substr(kBin.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos)
    return rest.size() > 3 && rest.substr(rest.size() - 3) == ".rs";
  return slash > 0 && rest.substr(slash) == "/main.rs";
}

// [package] name and version in the manifest must be exactly the published ones.
Status CheckManifest(const std::string& text, const std::string& path, std::string_view name,
                     std::string_view vers) {
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return BadCrate("`" + path + "` is not valid TOML: " + std::string(error.description()) + " (line " +
               std::to_string(error.source().begin.line) + ", column " +
               std::to_string(error.source().begin.column) + ")");
  }
  const toml::table& manifest = parsed.table();
  const std::optional<std::string> manifest_name = manifest["package"]["name"].value<std::string>();
  if (!manifest_name.has_value()) return BadCrate("Cargo.toml has no string `package.name`");
  if (*manifest_name != name) {
    return BadCrate("Cargo.toml says name `" + *manifest_name + "` but the metadata says `" +
               std::string(name) + "`");
  }
  const std::optional<std::string> manifest_vers =
      manifest["package"]["version"].value<std::string>();
  if (!manifest_vers.has_value()) return BadCrate("Cargo.toml has no string `package.version`");
  if (*manifest_vers != vers) {
    return BadCrate("Cargo.toml says version `" + *manifest_vers + "` but the metadata says `" +
               std::string(vers) + "`");
  }
  return Status::Ok();
}

Result<TarballInfo> Check(std::string_view crate, std::string_view name, std::string_view vers,
                          const TarballLimits& limits) {
  const std::string root = std::string(name) + "-" + std::string(vers);
  const std::string manifest_path = root + "/Cargo.toml";

  ArchiveReader reader(archive_read_new());
  if (reader == nullptr) return Status::Internal("archive_read_new failed");
  archive* a = reader.get();
  archive_read_support_filter_gzip(a);
  archive_read_support_format_tar(a);
  if (archive_read_open_memory(a, crate.data(), crate.size()) != ARCHIVE_OK) {
    // A gzip stream cut short before the first tar header is damaged, not of another kind.
    if (archive_errno(a) != kUnrecognizedFormatErrno) return ReadFailure(a);
    return BadCrate("not a gzip-compressed tar archive");
  }
  // The tar reader also takes uncompressed input, so the filter is checked explicitly.
  if (archive_filter_code(a, 0) != ARCHIVE_FILTER_GZIP) {
    return BadCrate("not a gzip-compressed tar archive");
  }

  TarballInfo info;
  std::optional<std::string> manifest;
  // Every entry's folded path -> its path as stored and whether it is a directory. Bounded by
  // max_entries * kMaxPathBytes.
  std::unordered_map<std::string, std::pair<std::string, bool>> seen;
  uint64_t entries = 0;
  for (;;) {
    archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a, &entry);
    if (r == ARCHIVE_EOF) break;
    // ARCHIVE_WARN (e.g. an unconvertible name) still yields a usable entry.
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return ReadFailure(a);
    if (++entries > limits.max_entries) {
      return Status::TooLarge("invalid crate file: it has more than " +
                              std::to_string(limits.max_entries) + " entries");
    }

    const std::string path = EntryPath(entry);
    const bool is_dir = archive_entry_filetype(entry) == AE_IFDIR;
    if (path.size() > kMaxPathBytes) {
      return BadCrate("an entry's path is over " + std::to_string(kMaxPathBytes) + " bytes");
    }
    RETURN_IF_ERROR(CheckEntryPath(path, root, is_dir));
    RETURN_IF_ERROR(CheckEntryType(entry, path));
    // Two entries that one case-insensitive file system unpacks to the same file: which one
    // wins depends on the machine (a second `cargo.toml` could claim another name). A
    // directory listed twice is harmless.
    auto [it, fresh] = seen.try_emplace(FoldedPath(path), path, is_dir);
    if (!fresh && !(is_dir && it->second.second)) {
      return it->second.first == path ? BadCrate("entry `" + path + "` appears twice")
                                      : BadCrate("entries `" + it->second.first + "` and `" + path +
                                            "` differ only in case (or `/` and `\\`)");
    }
    // libarchive writes directories with a trailing slash; either way it is the manifest path.
    const bool is_manifest = path == manifest_path || path == manifest_path + "/";
    if (is_dir) {
      if (is_manifest) return BadCrate("`" + manifest_path + "` is not a regular file");
      continue;
    }

    // The declared size fails an oversized archive before any of it is inflated.
    if (archive_entry_size_is_set(entry) && archive_entry_size(entry) > 0 &&
        info.unpacked_size + static_cast<uint64_t>(archive_entry_size(entry)) >
            limits.max_unpacked) {
      return TooBig(limits.max_unpacked);
    }
    if (is_manifest) {
      if (manifest.has_value()) return BadCrate("more than one `" + manifest_path + "` in the archive");
      if (archive_entry_size(entry) > static_cast<la_int64_t>(kMaxManifestBytes)) {
        return ManifestTooBig(manifest_path);
      }
      manifest.emplace();
    }
    if (IsTargetSource(path, root)) info.target_sources.push_back(path.substr(root.size() + 1));
    RETURN_IF_ERROR(ReadEntryData(a, path, limits.max_unpacked, &info.unpacked_size,
                                  is_manifest ? &*manifest : nullptr));
    ++info.file_count;
  }

  if (!manifest.has_value()) return BadCrate("no `" + manifest_path + "` in the archive");
  RETURN_IF_ERROR(CheckManifest(*manifest, manifest_path, name, vers));
  info.manifest = std::move(*manifest);
  return info;
}

}  // namespace

Result<TarballInfo> CheckTarball(std::string_view crate, std::string_view name,
                                 std::string_view vers, const TarballLimits& limits) {
  // toml++ and std may still throw (bad_alloc); nothing escapes this module.
  try {
    return Check(crate, name, vers, limits);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("crate file check failed: ") + e.what());
  } catch (...) {
    return Status::Internal("crate file check failed");
  }
}

}  // namespace registry
