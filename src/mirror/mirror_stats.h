// What `registry mirror status` reports: the cache's contents from the database, and the
// request counters a serving process saves there.
#pragma once

#include <cstdint>
#include <string>

#include "base/status.h"
#include "db/sqlite.h"
#include "mirror/index_cache.h"

namespace registry {

struct MirrorStats {
  int64_t index_files = 0;      // cached upstream index files
  int64_t missing = 0;          // names upstream said do not exist (negative cache)
  int64_t crates = 0;           // distinct crates with a cached .crate
  int64_t versions = 0;         // cached .crate files
  int64_t bytes = 0;            // their total size
  IndexCacheCounters counters;  // index reads, summed over every serving run
  std::string last_error;       // the last upstream failure, "" if none
  int64_t last_error_at = 0;
  int64_t max_bytes = 0;        // the serving process's --mirror-max-size; 0: no cap
};

Result<MirrorStats> ReadMirrorStats(Database* db);

// Adds `delta` to the saved counters and records `last_error` (when not empty), in one
// transaction.
Status SaveMirrorCounters(Database* db, const IndexCacheCounters& delta,
                          const std::string& last_error, int64_t last_error_at);

// Records the size cap a serving process runs with (0: none), for `mirror status`.
Status SaveMirrorCap(Database* db, uint64_t max_bytes);

// Index reads answered from the cache (hits, revalidations, stale) per read, 0 when none.
double HitRate(const IndexCacheCounters& c);

}  // namespace registry
