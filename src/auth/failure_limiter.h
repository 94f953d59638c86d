// Per-key (client address) exponential back-off after repeated authentication failures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"

namespace registry {

// Failures 1..free_failures of a key leave it free to retry. Failure number free_failures+k
// (k >= 1) blocks it for min(first_delay * 2^(k-1), max_delay) seconds from that failure. A
// policy with first_delay 0 never blocks and tracks nothing (the limiter is disabled).
struct BackoffPolicy {
  int free_failures = 5;       // failures allowed before any delay
  int64_t first_delay = 1;     // seconds, after failure free_failures+1; doubles each further one
  int64_t max_delay = 300;     // cap, seconds
  int64_t forget_after = 900;  // a key with no failure for this long (and not blocked) starts over
  size_t max_keys = 10000;     // memory bound (min 1): when full, expired keys go first, then the
                               // keys whose last failure is oldest
  size_t max_key_size = 128;   // bytes (min 1) of a key that count; the rest is ignored
};

// Thread-safe: one mutex guards all state. `clock` must outlive this object. Memory is at most
// about max_keys times (max_key_size + ~100 bytes), whatever keys clients make it track.
class FailureLimiter {
 public:
  explicit FailureLimiter(const Clock* clock, BackoffPolicy policy = {});
  FailureLimiter(const FailureLimiter&) = delete;
  FailureLimiter& operator=(const FailureLimiter&) = delete;

  // 0 when `key` may try now; otherwise seconds until it may (>= 1).
  int64_t RetryAfter(std::string_view key) const;
  // Counts a failure for `key` (also one made while it was blocked), blocking it per the policy
  // from now.
  void RecordFailure(std::string_view key);
  // Forgets `key` (e.g. after a successful login from it).
  void Reset(std::string_view key);
  // Keys currently held in memory, expired ones not yet dropped included.
  size_t TrackedKeys() const;
  // The bytes of the keys held, the part of the memory clients choose.
  size_t KeyBytes() const;

 private:
  struct Entry {
    std::string key;
    int64_t failures = 0;
    int64_t last_failure = 0;
    int64_t blocked_until = 0;
  };
  using EntryList = std::list<Entry>;

  bool Expired(const Entry& entry, int64_t now) const;

  const Clock* clock_;
  const BackoffPolicy policy_;
  mutable std::mutex mu_;
  // Guarded by mu_. Ordered by last failure, least recent first: the eviction order.
  EntryList entries_;
  // Guarded by mu_. Every entry of entries_, by key.
  std::unordered_map<std::string, EntryList::iterator> by_key_;
};

}  // namespace registry
