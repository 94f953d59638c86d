// Upstream index files: read from SQLite, fetched or revalidated through one flight per file.
#include "mirror/index_cache.h"

#include "base/crypto.h"
#include "index/sparse_path.h"
#include "storage/gzip_codec.h"

namespace registry {

const char* CacheStateName(CacheState state) {
  switch (state) {
    case CacheState::kHit:
      return "hit";
    case CacheState::kMiss:
      return "miss";
    case CacheState::kRevalidated:
      return "revalidated";
    case CacheState::kStale:
      return "stale";
  }
  return "hit";
}

IndexCache::IndexCache(DatabasePool* pool, Fetcher* fetcher, const Clock* clock,
                       IndexCacheOptions options)
    : pool_(pool), fetcher_(fetcher), clock_(clock), options_(std::move(options)) {}

std::string IndexCache::UpstreamUrl(std::string_view lower_name) const {
  return options_.upstream + IndexPath(lower_name);
}

IndexCacheCounters IndexCache::counters() const {
  return {hits_.load(), misses_.load(), revalidations_.load(), stale_.load(), errors_.load()};
}

std::pair<std::string, int64_t> IndexCache::last_error() const {
  std::lock_guard<std::mutex> lock(error_mu_);
  return {last_error_, last_error_at_};
}

void IndexCache::RecordUpstreamError(const std::string& message) {
  ++errors_;
  std::lock_guard<std::mutex> lock(error_mu_);
  last_error_ = message;
  last_error_at_ = clock_->Now();
}

Result<std::optional<IndexCache::Row>> IndexCache::Load(std::string_view lower_name) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT body IS NULL, body, gzip, etag, upstream_etag, fetched_at, checked_at "
      "FROM mirror_index_files WHERE lower_name = ?1");
  st.Bind(1, lower_name);
  Result<bool> found = st.Step();
  if (!found.ok()) return found.status();
  if (!*found) return std::optional<Row>();
  Row row;
  row.missing = st.Int(0) != 0;
  row.file.body = st.Text(1);
  row.file.gzip = st.Text(2);
  row.file.etag = st.Text(3);
  row.upstream_etag = st.Text(4);
  row.file.fetched_at = st.Int(5);
  row.checked_at = st.Int(6);
  return std::optional<Row>(std::move(row));
}

bool IndexCache::Fresh(const Row& row, int64_t now) const {
  int64_t ttl = row.missing ? options_.missing_ttl_seconds : options_.ttl_seconds;
  return now - row.checked_at < ttl;
}

Status StoreMirrorIndexFile(Database* db, std::string_view lower_name, std::string_view body,
                            std::string_view upstream_etag, std::string_view upstream_last_modified,
                            int64_t fetched_at, int64_t checked_at) {
  std::string gzip = GzipCompress(body);
  std::string etag = "\"" + Sha256Hex(body).substr(0, 40) + "\"";
  Statement st = db->Prepare(
      "INSERT OR REPLACE INTO mirror_index_files(lower_name, body, gzip, etag, upstream_etag, "
      "upstream_last_modified, fetched_at, checked_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  st.Bind(1, lower_name)
      .BindBlob(2, body)
      .BindBlob(3, gzip)
      .Bind(4, etag)
      .Bind(5, upstream_etag)
      .Bind(6, upstream_last_modified)
      .Bind(7, fetched_at)
      .Bind(8, checked_at);
  return st.Run();
}

Status IndexCache::Store(const std::string& lower_name, const FetchResponse& response,
                         int64_t now) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  return StoreMirrorIndexFile(db->get(), lower_name, response.body, response.etag,
                              response.last_modified, now, now);
}

Status IndexCache::StoreMissing(const std::string& lower_name, int64_t now) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "INSERT OR REPLACE INTO mirror_index_files(lower_name, body, gzip, fetched_at, checked_at) "
      "VALUES(?1, NULL, NULL, ?2, ?2)");
  st.Bind(1, lower_name).Bind(2, now);
  return st.Run();
}

Status IndexCache::Touch(const std::string& lower_name, int64_t now) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st =
      (*db)->Prepare("UPDATE mirror_index_files SET checked_at = ?2 WHERE lower_name = ?1");
  st.Bind(1, lower_name).Bind(2, now);
  return st.Run();
}

Status IndexCache::Refresh(const std::string& lower_name) {
  Result<std::optional<Row>> row = Load(lower_name);
  if (!row.ok()) return row.status();
  int64_t now = clock_->Now();
  // A flight that just ended may have refreshed it while this one was being started.
  if (*row && Fresh(**row, now)) return Status::Ok();
  FetchRequest request;
  request.url = UpstreamUrl(lower_name);
  if (*row && !(*row)->missing) request.if_none_match = (*row)->upstream_etag;
  Result<FetchResponse> response = fetcher_->Get(request);
  if (!response.ok()) {
    RecordUpstreamError(response.status().message());
    return response.status();
  }
  switch (response->status) {
    case 200:
      return Store(lower_name, *response, now);
    case 304:
      if (*row && !(*row)->missing) return Touch(lower_name, now);
      break;
    case 404:
    case 410:
    case 451:
      return StoreMissing(lower_name, now);
    default:
      break;
  }
  Status bad =
      Status::BadGateway(request.url + " answered HTTP " + std::to_string(response->status));
  RecordUpstreamError(bad.message());
  return bad;
}

std::string FormatWait(std::chrono::milliseconds wait) {
  if (wait.count() % 1000 != 0) return std::to_string(wait.count()) + " ms";
  return std::to_string(wait.count() / 1000) + " s";
}

static Status NoSuchCrate(std::string_view lower_name) {
  return Status::NotFound("crates.io has no crate named `" + std::string(lower_name) + "`");
}

Result<MirrorIndexFile> IndexCache::Read(std::string_view lower_name,
                                         std::optional<std::chrono::milliseconds> wait) {
  Result<std::optional<Row>> row = Load(lower_name);
  if (!row.ok()) return row.status();
  int64_t now = clock_->Now();
  auto serve = [&](const Row& r, CacheState state) -> Result<MirrorIndexFile> {
    if (r.missing) return NoSuchCrate(lower_name);
    MirrorIndexFile file = r.file;
    file.state = state;
    return file;
  };
  if (*row && (offline() || Fresh(**row, now))) {
    ++hits_;
    return serve(**row, CacheState::kHit);
  }
  if (offline()) {
    return Status::Unavailable(
        "the crates.io mirror is offline (--upstream off) and has no "
        "cached copy of `" +
        std::string(lower_name) + "`");
  }
  std::string key(lower_name);
  Status flown = flights_.Run(
      key, [this, key] { return Refresh(key); }, wait.value_or(options_.wait));
  if (flown.ok()) {
    Result<std::optional<Row>> now_row = Load(lower_name);
    if (!now_row.ok()) return now_row.status();
    if (!*now_row) return Status::Internal("the index file of `" + key + "` was not stored");
    bool was_cached = static_cast<bool>(*row);
    ++(was_cached ? revalidations_ : misses_);
    return serve(**now_row, was_cached ? CacheState::kRevalidated : CacheState::kMiss);
  }
  // Upstream failed or is slow: what we have beats an error.
  if (*row) {
    ++stale_;
    return serve(**row, CacheState::kStale);
  }
  std::string url = UpstreamUrl(lower_name);
  if (flown.code() == Code::kTimeout) {
    return Status::Timeout("the crates.io upstream did not answer within " +
                           FormatWait(wait.value_or(options_.wait)) + " for " + url + ", and `" +
                           key + "` is not cached yet; try again shortly");
  }
  if (flown.code() == Code::kBadGateway || flown.code() == Code::kTooLarge) {
    return Status::BadGateway("the crates.io upstream failed and `" + key +
                              "` is not cached yet: " + flown.message());
  }
  if (flown.code() != Code::kUnavailable) return flown;  // our own failure (database, disk)
  return Status::Unavailable("the crates.io upstream is unreachable and `" + key +
                             "` is not cached yet: " + flown.message());
}

}  // namespace registry
