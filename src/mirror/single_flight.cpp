// One task per key, on its own thread, with bounded waits.
#include "mirror/single_flight.h"

namespace registry {

SingleFlight::~SingleFlight() {
  std::vector<std::pair<std::shared_ptr<Flight>, std::thread>> threads;
  {
    std::lock_guard<std::mutex> lock(mu_);
    threads.swap(threads_);
  }
  for (auto& t : threads) t.second.join();
}

// Joins the threads whose task is done. A done task's thread no longer needs mu_ (it set
// `done` under it and only exits after), so joining here cannot deadlock.
void SingleFlight::ReapLocked() {
  for (size_t i = 0; i < threads_.size();) {
    if (threads_[i].first->done) {
      threads_[i].second.join();
      threads_[i] = std::move(threads_.back());
      threads_.pop_back();
    } else {
      ++i;
    }
  }
}

Status SingleFlight::Run(const std::string& key, std::function<Status()> task,
                         std::chrono::milliseconds wait) {
  std::unique_lock<std::mutex> lock(mu_);
  ReapLocked();
  std::shared_ptr<Flight> flight;
  auto it = running_.find(key);
  if (it != running_.end()) {
    flight = it->second;
  } else {
    flight = std::make_shared<Flight>();
    running_[key] = flight;
    ++started_;
    threads_.emplace_back(flight, std::thread([this, key, flight, task = std::move(task)] {
                            Status result = task();
                            std::lock_guard<std::mutex> done_lock(mu_);
                            flight->result = std::move(result);
                            flight->done = true;
                            running_.erase(key);
                            flight->cv.notify_all();
                          }));
  }
  if (!flight->cv.wait_for(lock, wait, [&] { return flight->done; })) return Status::Timeout("");
  return flight->result;
}

int64_t SingleFlight::started() const {
  std::lock_guard<std::mutex> lock(mu_);
  return started_;
}

}  // namespace registry
