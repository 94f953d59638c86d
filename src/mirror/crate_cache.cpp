// Fetching, verifying and storing upstream .crate files.
#include "mirror/crate_cache.h"

#include <sys/stat.h>

#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/ascii.h"
#include "base/crypto.h"
#include "mirror/dl_template.h"
#include "mirror/eviction.h"
#include "mirror/index_lookup.h"

namespace registry {

CrateCache::CrateCache(DatabasePool* pool, BlobStore* blobs, Fetcher* fetcher, const Clock* clock,
                       IndexCache* index, uint64_t max_bytes)
    : pool_(pool),
      blobs_(blobs),
      fetcher_(fetcher),
      clock_(clock),
      index_(index),
      max_bytes_(max_bytes) {}

Result<std::string> CrateCache::DlTemplate() {
  {
    std::lock_guard<std::mutex> lock(dl_mu_);
    if (!dl_.empty()) return dl_;
  }
  std::string url = index_->options().upstream + "config.json";
  Result<FetchResponse> res = fetcher_->Get({url, "", ""});
  if (!res.ok()) return res.status();
  if (res->status != 200) {
    return Status::BadGateway(url + " answered HTTP " + std::to_string(res->status));
  }
  nlohmann::json config = nlohmann::json::parse(res->body, nullptr, false);
  if (config.is_discarded() || !config.is_object() || !config.contains("dl") ||
      !config["dl"].is_string()) {
    return Status::BadGateway(url + " has no `dl` download URL");
  }
  std::lock_guard<std::mutex> lock(dl_mu_);
  dl_ = config["dl"].get<std::string>();
  return dl_;
}

Result<bool> CrateCache::Recorded(const std::string& lower_name, std::string_view vers) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare("SELECT 1 FROM mirror_crates WHERE lower_name = ?1 AND vers = ?2");
  st.Bind(1, lower_name).Bind(2, vers);
  return st.Step();
}

Status CrateCache::Fetch(const std::string& name, const std::string& vers,
                         const std::string& cksum) {
  Result<std::string> dl = DlTemplate();
  if (!dl.ok()) {
    index_->RecordUpstreamError(dl.status().message());
    return dl.status();
  }
  std::string url = ExpandDlTemplate(*dl, name, vers, cksum);
  Result<FetchResponse> res = fetcher_->Get({url, "", ""});
  if (!res.ok()) {
    index_->RecordUpstreamError(res.status().message());
    return res.status();
  }
  if (res->status == 404 || res->status == 410) {
    return Status::NotFound("crates.io has no file for `" + name + "` version `" + vers + "` (" +
                            url + " answered HTTP " + std::to_string(res->status) + ")");
  }
  if (res->status != 200) {
    Status bad = Status::BadGateway(url + " answered HTTP " + std::to_string(res->status));
    index_->RecordUpstreamError(bad.message());
    return bad;
  }
  // Checked before anything is stored or sent: a mirror that passed on other bytes would
  // break every lock file that records crates.io's checksum.
  std::string actual = Sha256Hex(res->body);
  if (actual != cksum) {
    Status bad =
        Status::BadGateway("the crates.io upstream sent a file for `" + name + "` version `" +
                           vers + "` whose SHA-256 is " + actual + ", but the index says " + cksum +
                           "; it was refused and not stored");
    index_->RecordUpstreamError(bad.message());
    return bad;
  }
  {
    std::lock_guard<std::mutex> lock(store_mu_);
    RETURN_IF_ERROR(blobs_->Put(cksum, res->body));
    auto db = pool_->Acquire();
    if (!db.ok()) return db.status();
    Statement st = (*db)->Prepare(
        "INSERT OR REPLACE INTO mirror_crates(lower_name, vers, cksum, size, fetched_at, "
        "last_used_at) VALUES(?1, ?2, ?3, ?4, ?5, ?5)");
    st.Bind(1, AsciiLower(name))
        .Bind(2, vers)
        .Bind(3, cksum)
        .Bind(4, static_cast<int64_t>(res->body.size()))
        .Bind(5, clock_->Now());
    RETURN_IF_ERROR(st.Run());
  }
  // A new file may take the cache past its cap; the one just fetched is being served and
  // stays. A failed eviction leaves the cache over its cap, not the download failed.
  Status capped = EnforceCapKeeping(AsciiLower(name), vers);
  if (!capped.ok()) std::fprintf(stderr, "warning: mirror eviction: %s\n", capped.message().c_str());
  return Status::Ok();
}

void CrateCache::NoteUse(const std::string& lower_name, std::string_view vers) {
  last_used_.Note({lower_name, std::string(vers)}, clock_->Now());
}

int64_t CrateCache::evictions() const {
  std::lock_guard<std::mutex> lock(evictions_mu_);
  return evictions_;
}

Status CrateCache::FlushLastUsed() {
  return last_used_.Flush(pool_, [](Database* db, const auto& key, int64_t at) {
    Statement up = db->Prepare(
        "UPDATE mirror_crates SET last_used_at = ?1 WHERE lower_name = ?2 AND vers = ?3 AND "
        "last_used_at < ?1");
    up.Bind(1, at).Bind(2, key.first).Bind(3, key.second);
    return up.Run();
  });
}

Status CrateCache::EnforceCap() { return EnforceCapKeeping("", ""); }

Status CrateCache::EnforceCapKeeping(const std::string& keep_name, const std::string& keep_vers) {
  if (max_bytes_ == 0) return Status::Ok();
  RETURN_IF_ERROR(FlushLastUsed());
  std::lock_guard<std::mutex> lock(store_mu_);
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<Evicted> evicted = EvictOverCap(db->get(), blobs_, max_bytes_, keep_name, keep_vers);
  if (!evicted.ok()) return evicted.status();
  std::lock_guard<std::mutex> count(evictions_mu_);
  evictions_ += evicted->files;
  return Status::Ok();
}

static bool FileSize(const std::string& path, uint64_t* size) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  *size = static_cast<uint64_t>(st.st_size);
  return true;
}

Result<StoredCrateFile> CrateCache::Open(std::string_view name, std::string_view vers) {
  std::string lower = AsciiLower(name);
  Result<MirrorIndexFile> file = index_->Read(lower);
  if (!file.ok()) return file.status();
  Result<std::string> cksum = FindIndexCksum(file->body, vers);
  if (!cksum.ok()) {
    if (cksum.status().code() != Code::kNotFound) return cksum.status();
    return Status::NotFound("crates.io has no version `" + std::string(vers) + "` of `" +
                            std::string(name) + "`");
  }
  StoredCrateFile out;
  out.path = blobs_->PathOf(*cksum);
  Result<bool> recorded = Recorded(lower, vers);
  if (!recorded.ok()) return recorded.status();
  // A backup may leave the mirror's blobs out: a row without its file is fetched again.
  if (*recorded && FileSize(out.path, &out.size)) {
    NoteUse(lower, vers);
    return out;
  }
  if (index_->offline()) {
    return Status::Unavailable(
        "the crates.io mirror is offline (--upstream off) and has no "
        "cached file for `" +
        std::string(name) + "` version `" + std::string(vers) + "`");
  }
  std::string n(name), v(vers), c(*cksum);
  Status fetched = flights_.Run(
      c, [this, n, v, c] { return Fetch(n, v, c); }, index_->options().wait);
  if (fetched.code() == Code::kTimeout) {
    return Status::Timeout("the crates.io upstream did not send `" + n + "` version `" + v +
                           "` within " + FormatWait(index_->options().wait) +
                           "; the download goes on, try again shortly");
  }
  if (fetched.code() == Code::kUnavailable) {
    return Status::Unavailable("the crates.io upstream is unreachable and `" + n + "` version `" +
                               v + "` is not cached yet: " + fetched.message());
  }
  if (!fetched.ok()) return fetched;
  if (!FileSize(out.path, &out.size)) {
    return Status::Io("the stored file of `" + n + "` version `" + v + "` is missing");
  }
  return out;
}

}  // namespace registry
