// .crate files through the mirror: fetched from upstream on first download, checked against
// the index's cksum before anything is stored or sent, then served from the blob store.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "base/clock.h"
#include "base/status.h"
#include "db/pending_times.h"
#include "db/sqlite.h"
#include "mirror/fetcher.h"
#include "mirror/index_cache.h"
#include "mirror/single_flight.h"
#include "registry/registry.h"
#include "storage/blob_store.h"

namespace registry {

// Thread-safe; pointers must outlive it.
class CrateCache {
 public:
  // `max_bytes`: --mirror-max-size, 0 for no cap.
  CrateCache(DatabasePool* pool, BlobStore* blobs, Fetcher* fetcher, const Clock* clock,
             IndexCache* index, uint64_t max_bytes = 0);

  // The stored .crate of `name` `vers` (as the index names it), fetching it first if needed.
  // NotFound when crates.io has no such crate or version; BadGateway when upstream's bytes do
  // not match the index cksum (nothing is kept); Unavailable/Timeout when upstream cannot be
  // reached or is too slow and the file is not cached.
  Result<StoredCrateFile> Open(std::string_view name, std::string_view vers);

  // How many .crate files were fetched from upstream since start.
  int64_t fetches() const { return flights_.started(); }
  // How many were evicted for the size cap since start.
  int64_t evictions() const;
  uint64_t max_bytes() const { return max_bytes_; }

  // Writes the downloads' last-use times gathered in memory (Open only notes them, so the
  // download path never writes to the database).
  Status FlushLastUsed();
  // Past the size cap, evicts the least recently used files (mirror/eviction.h), after
  // flushing last-use times; nothing without a cap.
  Status EnforceCap();

 private:
  // upstream config.json's `dl`, fetched once and remembered.
  Result<std::string> DlTemplate();
  // The single-flight task: fetch, verify, store.
  Status Fetch(const std::string& name, const std::string& vers, const std::string& cksum);
  Result<bool> Recorded(const std::string& lower_name, std::string_view vers);
  void NoteUse(const std::string& lower_name, std::string_view vers);
  // EnforceCap, never evicting `keep_name` `keep_vers`.
  Status EnforceCapKeeping(const std::string& keep_name, const std::string& keep_vers);

  DatabasePool* pool_;
  BlobStore* blobs_;
  Fetcher* fetcher_;
  const Clock* clock_;
  IndexCache* index_;
  SingleFlight flights_;
  std::mutex dl_mu_;
  std::string dl_;  // guarded by dl_mu_; "" until fetched
  const uint64_t max_bytes_;
  PendingTimes<std::pair<std::string, std::string>> last_used_;  // (lower name, vers)
  mutable std::mutex evictions_mu_;
  int64_t evictions_ = 0;  // guarded by evictions_mu_
  // Held while storing a fetched file and while evicting, so an eviction never removes a
  // blob that a fetch has just stored again.
  std::mutex store_mu_;
};

}  // namespace registry
