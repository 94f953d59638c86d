// What the registry's libarchive writers (backups, mirror bundles) share.
#include "base/archive_handle.h"

namespace registry {

Status ArchiveError(archive* a, const std::string& what) {
  const char* detail = archive_error_string(a);
  return Status::Io(what + ": " + (detail ? detail : "unknown libarchive error"));
}

Status AddArchiveFile(archive* a, const std::string& name, std::string_view data) {
  ArchiveEntry entry(archive_entry_new());
  archive_entry_set_pathname(entry.get(), name.c_str());
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_perm(entry.get(), 0600);
  if (archive_write_header(a, entry.get()) != ARCHIVE_OK) return ArchiveError(a, "writing " + name);
  if (!data.empty() && archive_write_data(a, data.data(), data.size()) < 0) {
    return ArchiveError(a, "writing " + name);
  }
  return Status::Ok();
}

}  // namespace registry
