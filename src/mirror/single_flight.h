// At most one task per key at a time: concurrent misses for the same upstream file cause one
// fetch, and each waiter's wait is bounded.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace registry {

// Thread-safe. Tasks run on threads of their own, so a caller that stops waiting does not
// cancel the fetch: it finishes (and stores what it fetched) for the next caller.
class SingleFlight {
 public:
  SingleFlight() = default;
  // Waits for every running task.
  ~SingleFlight();
  SingleFlight(const SingleFlight&) = delete;
  SingleFlight& operator=(const SingleFlight&) = delete;

  // Starts `task` for `key` unless one is already running for it, then waits up to `wait` for
  // that task's Status. Timeout (with an empty message) when it is still running after `wait`.
  Status Run(const std::string& key, std::function<Status()> task, std::chrono::milliseconds wait);

  // How many tasks have been started; for tests and metrics.
  int64_t started() const;

 private:
  struct Flight {
    bool done = false;  // guarded by mu_
    Status result;      // guarded by mu_, set when done
    std::condition_variable cv;
  };
  void ReapLocked();

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<Flight>> running_;  // guarded by mu_
  // Every started thread until joined; guarded by mu_.
  std::vector<std::pair<std::shared_ptr<Flight>, std::thread>> threads_;
  int64_t started_ = 0;  // guarded by mu_
};

}  // namespace registry
