// Counting and timing upstream requests.
#include "mirror/timed_fetcher.h"

#include <chrono>

namespace registry {

Result<FetchResponse> TimedFetcher::Get(const FetchRequest& request) {
  auto start = std::chrono::steady_clock::now();
  Result<FetchResponse> res = inner_->Get(request);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - start)
                    .count();
  ++requests_;
  micros_ += micros;
  if (!res.ok() || res->status >= 500) ++failures_;
  return res;
}

FetchStats TimedFetcher::stats() const {
  return {requests_.load(), failures_.load(), static_cast<double>(micros_.load()) / 1e6};
}

}  // namespace registry
