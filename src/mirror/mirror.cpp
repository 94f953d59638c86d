// The mirror's read paths: authorize, guard, then the caches.
#include "mirror/mirror.h"

#include "mirror/mirror_stats.h"

namespace registry {

Mirror::Mirror(DatabasePool* pool, BlobStore* blobs, Fetcher* fetcher, const Clock* clock,
               MirrorOptions options)
    : pool_(pool),
      options_(std::move(options)),
      index_(pool, fetcher, clock, options_.index),
      crates_(pool, blobs, fetcher, clock, &index_),
      guard_(pool, options_.private_names, options_.registry_name) {}

Result<MirrorIndexFile> Mirror::ReadIndexFile(const Actor& actor, std::string_view lower_name) {
  RETURN_IF_ERROR(actor.RequireRead(lower_name));
  RETURN_IF_ERROR(guard_.Check(lower_name));
  return index_.Read(lower_name);
}

Result<StoredCrateFile> Mirror::OpenCrate(const Actor& actor, std::string_view name,
                                          std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  RETURN_IF_ERROR(guard_.Check(name));
  return crates_.Open(name, vers);
}

Status Mirror::FlushStats() {
  std::lock_guard<std::mutex> lock(flush_mu_);
  IndexCacheCounters now = index_.counters();
  IndexCacheCounters delta{now.hits - flushed_.hits, now.misses - flushed_.misses,
                           now.revalidations - flushed_.revalidations, now.stale - flushed_.stale,
                           now.upstream_errors - flushed_.upstream_errors};
  auto [error, at] = index_.last_error();
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  RETURN_IF_ERROR(SaveMirrorCounters(db->get(), delta, error, at));
  flushed_ = now;
  return Status::Ok();
}

}  // namespace registry
