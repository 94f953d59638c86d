// Times noted in memory on a hot path and written to the database later, in one transaction
// (tokens' last use, the mirror's .crate files' last download): a request never writes.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>

#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

// Thread-safe.
template <typename Key>
class PendingTimes {
 public:
  // Keeps the latest time noted for `key`.
  void Note(const Key& key, int64_t at) {
    std::lock_guard<std::mutex> lock(mu_);
    int64_t& slot = pending_[key];
    if (slot < at) slot = at;
  }

  // The time noted for `key` and not yet flushed.
  std::optional<int64_t> Get(const Key& key) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pending_.find(key);
    if (it == pending_.end()) return std::nullopt;
    return it->second;
  }

  // Calls `write` for every noted time inside one transaction on a connection of `pool`; when
  // anything fails, the times are kept (merged with newer notes) for the next flush.
  Status Flush(DatabasePool* pool,
               const std::function<Status(Database*, const Key&, int64_t)>& write) {
    std::map<Key, int64_t> taken;
    {
      std::lock_guard<std::mutex> lock(mu_);
      taken.swap(pending_);
    }
    if (taken.empty()) return Status::Ok();
    Status st = WriteAll(pool, taken, write);
    if (!st.ok()) {
      for (const auto& [key, at] : taken) Note(key, at);
    }
    return st;
  }

 private:
  static Status WriteAll(DatabasePool* pool, const std::map<Key, int64_t>& taken,
                         const std::function<Status(Database*, const Key&, int64_t)>& write) {
    auto db = pool->Acquire();
    if (!db.ok()) return db.status();
    Transaction tx(db->get());
    RETURN_IF_ERROR(tx.status());
    for (const auto& [key, at] : taken) RETURN_IF_ERROR(write(db->get(), key, at));
    return tx.Commit();
  }

  mutable std::mutex mu_;
  std::map<Key, int64_t> pending_;  // guarded by mu_
};

}  // namespace registry
