// FailureDigest: one row per key and interval, the rest counted.
#include "audit/failure_digest.h"

namespace registry {

bool FailureDigest::Admit(std::string_view key, int64_t now, Folded* folded) {
  *folded = Folded();
  std::string k(key.substr(0, 256));
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(k);
  if (it != entries_.end() && now - it->second.row_at < interval_) {
    Folded& f = it->second.folded;
    if (f.count++ == 0) f.since = now;
    return false;
  }
  if (it != entries_.end()) {
    *folded = it->second.folded;
    it->second = Entry{now, Folded()};
    return true;
  }
  if (entries_.size() >= max_keys_) {
    // Full: drop keys whose interval is over (their counts would wait for a next failure that
    // may never come); if none is, this failure is written without being tracked.
    for (auto e = entries_.begin(); e != entries_.end();) {
      e = now - e->second.row_at >= interval_ ? entries_.erase(e) : std::next(e);
    }
    if (entries_.size() >= max_keys_) return true;
  }
  entries_.emplace(std::move(k), Entry{now, Folded()});
  return true;
}

size_t FailureDigest::TrackedKeys() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace registry
