// The read-through cache of the upstream sparse index: whole files, stored with upstream's
// validators, revalidated after a TTL, served stale while upstream is slow or down.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"
#include "mirror/fetcher.h"
#include "mirror/single_flight.h"

namespace registry {

// How a read was answered; sent to cargo as X-Cache.
enum class CacheState {
  kHit,          // cached and fresh (or the mirror is offline)
  kMiss,         // fetched from upstream now
  kRevalidated,  // was stale; upstream confirmed it (304) or sent a new version
  kStale,        // was stale; upstream failed or was too slow, so the cached copy is served
};
const char* CacheStateName(CacheState state);

// "20 s", "50 ms": a wait as error messages show it.
std::string FormatWait(std::chrono::milliseconds wait);

struct IndexCacheOptions {
  std::string upstream;  // the index root, ending in '/'; empty: offline
  int64_t ttl_seconds = 600;
  int64_t missing_ttl_seconds = 60;       // how long "upstream has no such crate" is believed
  std::chrono::milliseconds wait{20000};  // the longest a request waits for upstream
};

struct MirrorIndexFile {
  std::string body;  // upstream's bytes, verbatim
  std::string gzip;
  std::string etag;  // ours
  int64_t fetched_at = 0;
  CacheState state = CacheState::kHit;
};

struct IndexCacheCounters {
  int64_t hits = 0, misses = 0, revalidations = 0, stale = 0, upstream_errors = 0;
};

// Stores upstream index file `body` of `lower_name` whole, with our ETag, its gzip form and
// upstream's validators, in one statement (so one transaction): a reader sees the old file or
// the new one, never an ETag with part of a version list. `checked_at` says when upstream last
// confirmed it (0: revalidate on the next read).
Status StoreMirrorIndexFile(Database* db, std::string_view lower_name, std::string_view body,
                            std::string_view upstream_etag, std::string_view upstream_last_modified,
                            int64_t fetched_at, int64_t checked_at);

// Thread-safe; pointers must outlive it.
class IndexCache {
 public:
  IndexCache(DatabasePool* pool, Fetcher* fetcher, const Clock* clock, IndexCacheOptions options);

  // The index file of the crate whose lower-cased name is `lower_name`. NotFound when
  // upstream says there is no such crate; Unavailable or Timeout (saying upstream could not
  // be reached) when nothing is cached and upstream does not answer. `wait` overrides
  // options().wait.
  Result<MirrorIndexFile> Read(std::string_view lower_name,
                               std::optional<std::chrono::milliseconds> wait = std::nullopt);

  // The upstream URL of `lower_name`'s index file.
  std::string UpstreamUrl(std::string_view lower_name) const;

  bool offline() const { return options_.upstream.empty(); }
  IndexCacheCounters counters() const;
  // The last upstream failure ("" when none since start) and when it happened.
  std::pair<std::string, int64_t> last_error() const;
  void RecordUpstreamError(const std::string& message);
  const IndexCacheOptions& options() const { return options_; }

 private:
  struct Row {
    bool missing = false;
    MirrorIndexFile file;
    std::string upstream_etag;
    int64_t checked_at = 0;
  };
  Result<std::optional<Row>> Load(std::string_view lower_name);
  bool Fresh(const Row& row, int64_t now) const;
  // The single-flight task: asks upstream and stores what it says.
  Status Refresh(const std::string& lower_name);
  Status Store(const std::string& lower_name, const FetchResponse& response, int64_t now);
  Status StoreMissing(const std::string& lower_name, int64_t now);
  Status Touch(const std::string& lower_name, int64_t now);

  DatabasePool* pool_;
  Fetcher* fetcher_;
  const Clock* clock_;
  IndexCacheOptions options_;
  SingleFlight flights_;
  std::atomic<int64_t> hits_{0}, misses_{0}, revalidations_{0}, stale_{0}, errors_{0};
  mutable std::mutex error_mu_;
  std::string last_error_;     // guarded by error_mu_
  int64_t last_error_at_ = 0;  // guarded by error_mu_
};

}  // namespace registry
