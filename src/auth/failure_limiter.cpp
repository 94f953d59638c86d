// FailureLimiter: failure counts and block times per key, in least-recently-failed order.
#include "auth/failure_limiter.h"

#include <algorithm>

namespace registry {

// min(first_delay * 2^(k-1), max_delay) for k >= 1, without overflowing for any k.
static int64_t BlockSeconds(const BackoffPolicy& policy, int64_t k) {
  int64_t delay = policy.first_delay;
  for (int64_t i = 1; i < k && delay < policy.max_delay; ++i) {
    delay = delay > policy.max_delay / 2 ? policy.max_delay : delay * 2;
  }
  return std::min(delay, policy.max_delay);
}

// Keys come from clients (an address and a login), so each is cut to max_key_size: the table's
// memory is bounded by max_keys * max_key_size whatever they send. Cutting can merge two long
// keys; they share a prefix of max_key_size bytes, so both are the same client's.
static std::string_view Bounded(std::string_view key, const BackoffPolicy& policy) {
  return key.substr(0, std::max<size_t>(policy.max_key_size, 1));
}

FailureLimiter::FailureLimiter(const Clock* clock, BackoffPolicy policy)
    : clock_(clock), policy_(policy) {}

bool FailureLimiter::Expired(const Entry& entry, int64_t now) const {
  return now >= entry.blocked_until && now - entry.last_failure >= policy_.forget_after;
}

int64_t FailureLimiter::RetryAfter(std::string_view key) const {
  key = Bounded(key, policy_);
  int64_t now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_key_.find(std::string(key));
  if (it == by_key_.end()) return 0;
  const Entry& entry = *it->second;
  return entry.blocked_until > now ? entry.blocked_until - now : 0;
}

void FailureLimiter::RecordFailure(std::string_view key) {
  if (policy_.first_delay <= 0) return;  // disabled: never blocks, so nothing to remember
  key = Bounded(key, policy_);
  int64_t now = clock_->Now();
  std::lock_guard<std::mutex> lock(mu_);

  // Expired keys sit at the least-recent end; drop them first.
  while (!entries_.empty() && Expired(entries_.front(), now)) {
    by_key_.erase(entries_.front().key);
    entries_.pop_front();
  }

  EntryList::iterator entry;
  auto found = by_key_.find(std::string(key));
  if (found != by_key_.end()) {
    entry = found->second;
    if (Expired(*entry, now)) *entry = Entry{entry->key};
    entries_.splice(entries_.end(), entries_, entry);  // now the most recent failure
  } else {
    // Still full: make room by dropping the keys whose last failure is oldest.
    while (!entries_.empty() && entries_.size() >= std::max<size_t>(policy_.max_keys, 1)) {
      by_key_.erase(entries_.front().key);
      entries_.pop_front();
    }
    entry = entries_.insert(entries_.end(), Entry{std::string(key)});
    by_key_.emplace(entry->key, entry);
  }

  ++entry->failures;
  entry->last_failure = now;
  int64_t k = entry->failures - policy_.free_failures;
  if (k >= 1) entry->blocked_until = now + BlockSeconds(policy_, k);
}

void FailureLimiter::Reset(std::string_view key) {
  key = Bounded(key, policy_);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_key_.find(std::string(key));
  if (it == by_key_.end()) return;
  entries_.erase(it->second);
  by_key_.erase(it);
}

size_t FailureLimiter::TrackedKeys() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

size_t FailureLimiter::KeyBytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t bytes = 0;
  for (const Entry& e : entries_) bytes += e.key.size();
  return bytes;
}

}  // namespace registry
