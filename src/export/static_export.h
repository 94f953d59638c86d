// `registry export`: the registry as a static sparse-index tree any web server, CDN or
// object store can serve (and an air-gapped copy).
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"
#include "db/sqlite.h"
#include "storage/blob_store.h"

namespace registry {

struct ExportOptions {
  std::string out_dir;
  std::string base_url;        // where OUT will be served, e.g. "https://cdn.example.com/reg"
  bool include_mirror = false;  // also the crates.io mirror's cache, under crates-io/
};

struct ExportReport {
  size_t written = 0;    // files created or rewritten
  size_t unchanged = 0;  // already there with the same bytes
  size_t removed = 0;    // files no longer part of the tree
};

// Layout of OUT (paths relative to base_url):
//   config.json                  {"dl": URL/crates/{crate}/{crate}-{version}.crate, "api": URL}
//   1/a, 2/ab, 3/a/abc, ab/cd/abcd...   every index file, byte for byte as the registry serves it
//   crates/NAME/NAME-VERS.crate  every version's .crate
//   crates-io/...                the same for the mirror's cache (with include_mirror)
// Incremental: a file with the right bytes (a .crate: the right size, its name being its
// version's) is left alone, others are written to a temp file and renamed into place, and
// files under OUT that are no longer part of the tree are removed. Reads one consistent
// snapshot of the database, so it can run while a server writes.
Result<ExportReport> ExportStaticIndex(DatabasePool* pool, const BlobStore& blobs,
                                       const ExportOptions& options);

}  // namespace registry
