// The mirror's read paths: authorize, guard, then the caches.
#include "mirror/mirror.h"


#include "auth/users.h"
#include "base/ascii.h"

namespace registry {

Mirror::Mirror(DatabasePool* pool, BlobStore* blobs, Fetcher* fetcher, const Clock* clock,
               MirrorOptions options)
    : pool_(pool),
      options_(std::move(options)),
      fetcher_(fetcher),
      index_(pool, &fetcher_, clock, options_.index),
      crates_(pool, blobs, &fetcher_, clock, &index_, options_.max_crate_bytes),
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

std::string Mirror::PublishWarning(std::string_view name) {
  std::string lower = AsciiLower(name);
  // Both spellings: crates.io treats `-` and `_` alike too.
  std::string other = lower;
  for (char& c : other) c = c == '-' ? '_' : c == '_' ? '-' : c;
  for (const std::string& n : {lower, other}) {
    // A publish waits for upstream a little only; the answer is cached for next time.
    if (!index_.Read(n, std::chrono::milliseconds(2000)).ok()) continue;
    return "crates.io also has a crate named `" + n +
           "`; this registry's crates.io mirror serves the private one's name to nobody, but "
           "a build without the mirror's config would get crates.io's; depend on yours with "
           "`registry = \"" +
           options_.registry_name + "\"`";
  }
  return "";
}

Result<std::vector<CachedCrate>> Mirror::SearchCached(const Actor& actor, std::string_view query,
                                                      int limit) {
  RETURN_IF_ERROR(actor.RequireRead(""));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<std::vector<CachedCrate>> found = SearchCachedCrates(db->get(), query, limit);
  if (!found.ok()) return found.status();
  // What this actor could not download is not listed: crate patterns, and the confusion guard.
  std::vector<CachedCrate> out;
  for (CachedCrate& c : *found) {
    if (actor.RequireRead(c.name).ok() && guard_.Check(c.name).ok()) out.push_back(std::move(c));
  }
  return out;
}

Result<CachedCrate> Mirror::CachedCrateInfo(const Actor& actor, std::string_view name) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  RETURN_IF_ERROR(guard_.Check(name));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  return ReadCachedCrate(db->get(), name);
}

Result<MirrorStats> Mirror::Stats(const Actor& actor) {
  RETURN_IF_ERROR(RequireAdmin(actor, "see the crates.io mirror's state"));
  RETURN_IF_ERROR(FlushStats());
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  return ReadMirrorStats(db->get());
}

std::string Mirror::RenderMetrics() const {
  IndexCacheCounters c = index_.counters();
  FetchStats f = fetcher_.stats();
  std::string out =
      "# HELP registry_mirror_index_reads_total Index reads of the crates.io view, by how the "
      "cache answered.\n"
      "# TYPE registry_mirror_index_reads_total counter\n";
  std::pair<const char*, int64_t> states[] = {
      {"hit", c.hits}, {"miss", c.misses}, {"revalidated", c.revalidations}, {"stale", c.stale}};
  for (const auto& [state, n] : states) {
    out += "registry_mirror_index_reads_total{cache=\"" + std::string(state) + "\"} " +
           std::to_string(n) + "\n";
  }
  out +=
      "# HELP registry_mirror_crate_fetches_total .crate files fetched from upstream.\n"
      "# TYPE registry_mirror_crate_fetches_total counter\n"
      "registry_mirror_crate_fetches_total " +
      std::to_string(crates_.fetches()) +
      "\n"
      "# HELP registry_mirror_crate_evictions_total .crate files evicted for "
      "--mirror-max-size.\n"
      "# TYPE registry_mirror_crate_evictions_total counter\n"
      "registry_mirror_crate_evictions_total " +
      std::to_string(crates_.evictions()) +
      "\n"
      "# HELP registry_mirror_upstream_requests_total Requests sent to the upstream registry.\n"
      "# TYPE registry_mirror_upstream_requests_total counter\n"
      "registry_mirror_upstream_requests_total " +
      std::to_string(f.requests) +
      "\n"
      "# HELP registry_mirror_upstream_errors_total Upstream requests with no answer or a 5xx.\n"
      "# TYPE registry_mirror_upstream_errors_total counter\n"
      "registry_mirror_upstream_errors_total " +
      std::to_string(f.failures) +
      "\n"
      "# HELP registry_mirror_upstream_seconds_total Time spent waiting for upstream.\n"
      "# TYPE registry_mirror_upstream_seconds_total counter\n"
      "registry_mirror_upstream_seconds_total " +
      std::to_string(f.seconds) + "\n";
  return out;
}

Status Mirror::FlushStats() {
  std::lock_guard<std::mutex> lock(flush_mu_);
  IndexCacheCounters now = index_.counters();
  IndexCacheCounters delta{now.hits - flushed_.hits, now.misses - flushed_.misses,
                           now.revalidations - flushed_.revalidations, now.stale - flushed_.stale,
                           now.upstream_errors - flushed_.upstream_errors};
  auto [error, at] = index_.last_error();
  {
    auto db = pool_->Acquire();
    if (!db.ok()) return db.status();
    RETURN_IF_ERROR(SaveMirrorCounters(db->get(), delta, error, at));
    flushed_ = now;
  }
  RETURN_IF_ERROR(crates_.FlushLastUsed());
  return crates_.EnforceCap();
}

}  // namespace registry
