// The crates.io read-through mirror as the API sees it: index files and .crate downloads of
// the crates.io view, behind the read scope and the dependency-confusion guard.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"
#include "mirror/catalog.h"
#include "mirror/crate_cache.h"
#include "mirror/fetcher.h"
#include "mirror/index_cache.h"
#include "mirror/mirror_stats.h"
#include "mirror/name_guard.h"
#include "mirror/timed_fetcher.h"
#include "registry/registry.h"
#include "storage/blob_store.h"

namespace registry {

struct MirrorOptions {
  IndexCacheOptions index;                 // upstream "" means offline
  std::vector<std::string> private_names;  // --private-names patterns
  std::string registry_name = "private";   // the private registry's name in cargo configs
  uint64_t max_crate_bytes = 0;            // --mirror-max-size; 0: no cap
};

// Thread-safe; pointers must outlive it.
class Mirror {
 public:
  Mirror(DatabasePool* pool, BlobStore* blobs, Fetcher* fetcher, const Clock* clock,
         MirrorOptions options);

  // Each checks the actor's read scope and crate patterns, then the confusion guard, first.
  Result<MirrorIndexFile> ReadIndexFile(const Actor& actor, std::string_view lower_name);
  Result<StoredCrateFile> OpenCrate(const Actor& actor, std::string_view name,
                                    std::string_view vers);

  // For a private crate `name` just published: a warning for cargo to print when crates.io
  // has a crate of that name too (asked upstream, waiting 2 s at most), else "".
  std::string PublishWarning(std::string_view name);

  // The web UI's view. Cached crates whose name contains `query`, without those the actor may
  // not read or the guard refuses; one cached crate (NotFound when not cached); the cache's
  // state for administrators (counters flushed first).
  Result<std::vector<CachedCrate>> SearchCached(const Actor& actor, std::string_view query,
                                                int limit);
  Result<CachedCrate> CachedCrateInfo(const Actor& actor, std::string_view name);
  Result<MirrorStats> Stats(const Actor& actor);

  NameGuard& guard() { return guard_; }
  IndexCache& index() { return index_; }
  CrateCache& crates() { return crates_; }
  const MirrorOptions& options() const { return options_; }

  // The mirror's Prometheus metrics: index reads by cache state, .crate fetches, upstream
  // requests, failures and time spent on them.
  std::string RenderMetrics() const;

  // Adds the counters gathered since the last flush to the database's (see mirror_stats.h),
  // writes the downloads' last-use times and, past the size cap, evicts.
  Status FlushStats();

 private:
  DatabasePool* pool_;
  MirrorOptions options_;
  TimedFetcher fetcher_;  // wraps the given one; the caches fetch through it
  std::mutex flush_mu_;
  IndexCacheCounters flushed_;  // guarded by flush_mu_
  IndexCache index_;
  CrateCache crates_;
  NameGuard guard_;
};

}  // namespace registry
