// Carrying the mirror's cache into an air-gapped network: `registry mirror export` writes its
// index files and .crate files as one zstd-compressed cpio file, `import` verifies and loads it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"
#include "mirror/lockfile.h"
#include "storage/blob_store.h"

namespace registry {

struct BundleStats {
  int64_t index_files = 0;
  int64_t crates = 0;  // .crate files
  int64_t bytes = 0;   // of the bundle (export) or of the .crate files loaded (import)
};

// Writes every cached index file and .crate, or with `only` not empty just those crates (and
// their crates' index files), to `out_path` (via a temp file and rename). Entries:
// manifest.json, index/<lower name> (upstream's bytes), crates/<lower name>/<vers>/<cksum>.
// NotFound naming a crate of `only` the cache does not hold.
Result<BundleStats> ExportMirror(DatabasePool* pool, BlobStore* blobs,
                                 const std::vector<LockedCrate>& only, const std::string& out_path);

// Loads a bundle: each .crate must hash to its cksum and that cksum must be its version's in
// the index file (the bundle's or the cache's), else nothing is recorded (Corrupt, naming it).
// An index file replaces the cached one unless that one has more versions. Imported index
// files count as unconfirmed by upstream, so an online mirror revalidates them.
Result<BundleStats> ImportMirror(DatabasePool* pool, BlobStore* blobs, const Clock* clock,
                                 const std::string& bundle_path);

}  // namespace registry
