// A bounded in-memory cache of values read from the database, each tagged with the
// DatabasePool::ChangeStamp() taken before it was read: a lookup under any other stamp
// misses, so a committed write invalidates every entry at once without the cache knowing
// what the write touched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace registry {

// Thread-safe. Values are shared and immutable, so a hit copies one pointer.
template <typename Value>
class StampedCache {
 public:
  // `max_bytes` bounds the sum of the sizes given to Put; 0 disables the cache.
  explicit StampedCache(size_t max_bytes) : max_bytes_(max_bytes) {}

  // The value cached for `key` under `stamp`, or null.
  std::shared_ptr<const Value> Find(const std::string& key, uint64_t stamp) {
    // Shared: a reader preempted while holding it (64 threads on 2 cores) blocks no other.
    std::shared_lock<std::shared_mutex> lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end() || it->second.stamp != stamp) return nullptr;
    return it->second.value;
  }

  // Caches `value`, read after `stamp` was taken, as costing `bytes`.
  void Put(const std::string& key, uint64_t stamp, std::shared_ptr<const Value> value,
           size_t bytes) {
    bytes += key.size() + kEntryOverhead;
    if (bytes > max_bytes_ / 4) return;  // one value must not flush the rest
    std::unique_lock<std::shared_mutex> lock(mu_);
    // Stamps only grow: a value read under an older stamp than one already seen can never hit.
    if (stamp < newest_) return;
    newest_ = stamp;
    auto it = map_.find(key);
    if (it != map_.end()) {
      bytes_ -= it->second.bytes;
      map_.erase(it);
    }
    if (bytes_ + bytes > max_bytes_) Shrink();
    bytes_ += bytes;
    map_.emplace(key, Entry{stamp, bytes, std::move(value)});
  }

  size_t bytes() {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return bytes_;
  }
  size_t size() {
    std::shared_lock<std::shared_mutex> lock(mu_);
    return map_.size();
  }

 private:
  // Roughly what the map's node, the pointer's control block and the key's heap copy take.
  static constexpr size_t kEntryOverhead = 96;

  struct Entry {
    uint64_t stamp;
    size_t bytes;
    std::shared_ptr<const Value> value;
  };

  // Drops the entries of older stamps, which can never hit again, then arbitrary ones (the
  // hash order is as good as random) until a quarter of the budget is free.
  void Shrink() {
    for (auto it = map_.begin(); it != map_.end();) {
      if (it->second.stamp != newest_) {
        bytes_ -= it->second.bytes;
        it = map_.erase(it);
      } else {
        ++it;
      }
    }
    for (auto it = map_.begin(); it != map_.end() && bytes_ > max_bytes_ / 4 * 3;) {
      bytes_ -= it->second.bytes;
      it = map_.erase(it);
    }
  }

  const size_t max_bytes_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, Entry> map_;  // guarded by mu_
  size_t bytes_ = 0;                            // guarded by mu_
  uint64_t newest_ = 0;                         // guarded by mu_: the largest stamp put
};

}  // namespace registry
