// Owning handles for libarchive's readers, writers and entries, and what its writers share.
#ifndef REGISTRY_BASE_ARCHIVE_HANDLE_H_
#define REGISTRY_BASE_ARCHIVE_HANDLE_H_

#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

struct ArchiveReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct ArchiveWriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct ArchiveEntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

using ArchiveReader = std::unique_ptr<archive, ArchiveReadFree>;
using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteFree>;
using ArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryFree>;

// An Io status: `what` and libarchive's last error on `a`.
Status ArchiveError(archive* a, const std::string& what);

// Writes `data` to `a` as the regular file `name`, mode 0600.
Status AddArchiveFile(archive* a, const std::string& name, std::string_view data);

}  // namespace registry

#endif  // REGISTRY_BASE_ARCHIVE_HANDLE_H_
