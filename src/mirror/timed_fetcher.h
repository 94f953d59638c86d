// A Fetcher that counts and times the requests of another, for the mirror's metrics.
#pragma once

#include <atomic>
#include <cstdint>

#include "mirror/fetcher.h"

namespace registry {

struct FetchStats {
  int64_t requests = 0;
  int64_t failures = 0;  // no answer, or a 5xx
  double seconds = 0;    // total time spent waiting for upstream
};

// Thread-safe. `inner` must outlive it.
class TimedFetcher : public Fetcher {
 public:
  explicit TimedFetcher(Fetcher* inner) : inner_(inner) {}
  Result<FetchResponse> Get(const FetchRequest& request) override;
  FetchStats stats() const;

 private:
  Fetcher* inner_;
  std::atomic<int64_t> requests_{0}, failures_{0}, micros_{0};
};

}  // namespace registry
