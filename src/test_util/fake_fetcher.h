// A fake upstream for mirror tests: files by URL, a switch to take it down, a delay, and a
// count of the requests it answered.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "mirror/fetcher.h"

namespace registry {

class FakeFetcher : public Fetcher {
 public:
  // Serves `body` at `url` with ETag `etag` (304 when If-None-Match matches it).
  void Put(const std::string& url, std::string body, std::string etag = "") {
    std::lock_guard<std::mutex> lock(mu_);
    files_[url] = {std::move(body), std::move(etag)};
  }
  void Remove(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    files_.erase(url);
  }
  void SetDown(bool down) {
    std::lock_guard<std::mutex> lock(mu_);
    down_ = down;
  }
  void SetDelay(std::chrono::milliseconds delay) {
    std::lock_guard<std::mutex> lock(mu_);
    delay_ = delay;
  }
  void SetStatus(int status) {
    std::lock_guard<std::mutex> lock(mu_);
    status_ = status;
  }
  int Requests(const std::string& url) {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_[url];
  }

  Result<FetchResponse> Get(const FetchRequest& request) override {
    std::chrono::milliseconds delay;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++requests_[request.url];
      delay = delay_;
    }
    std::this_thread::sleep_for(delay);
    std::lock_guard<std::mutex> lock(mu_);
    if (down_) return Status::Unavailable(request.url + ": cannot connect");
    FetchResponse res;
    if (status_) {
      res.status = status_;
      return res;
    }
    auto it = files_.find(request.url);
    if (it == files_.end()) {
      res.status = 404;
      return res;
    }
    res.etag = it->second.second;
    if (!request.if_none_match.empty() && request.if_none_match == res.etag) {
      res.status = 304;
      return res;
    }
    res.status = 200;
    res.body = it->second.first;
    return res;
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::pair<std::string, std::string>> files_;
  std::map<std::string, int> requests_;
  bool down_ = false;
  int status_ = 0;
  std::chrono::milliseconds delay_{0};
};

}  // namespace registry
