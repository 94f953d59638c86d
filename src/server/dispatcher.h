// Where each request runs and what is recorded of it. Index files, downloads, health, the
// web UI's files and hosted docs (to clients taking gzip) are answered from memory and files
// on the connection's loop thread; every other request (publishes with their fsync, sign-ins
// with password hashing, searches, the mirror's upstream fetches) runs on a bounded worker
// pool, so it never stalls the loop.
#pragma once

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "http/access_log.h"
#include "http/api.h"
#include "http/message.h"
#include "http/metrics.h"
#include "server/error_response.h"
#include "server/worker_pool.h"

namespace registry {

using LoopExecutor = boost::asio::io_context::executor_type;

// What the access log records of one exchange, beyond the response.
struct ExchangeLog {
  std::string protocol;  // "HTTP/1.1", "HTTP/1.0", "HTTP/2"
  std::string addr;
  std::string method;
  std::string path;
  std::chrono::steady_clock::time_point start;
};

// Thread-safe. The Api, pool and metrics must outlive it.
class Dispatcher {
 public:
  Dispatcher(const Api* api, WorkerPool* pool, size_t max_pending, Metrics* metrics,
             AccessLogFormat access_log);

  // Whether `req` is answered on the loop (see the top of this file).
  static bool RunsOnLoop(const HttpRequest& req);

  using Done = std::function<void(HttpResponse)>;
  // Answers `req` (a HEAD as its GET). On the loop: `done` runs before this returns. Else on
  // the pool, and `done` is posted to `executor`; when max_pending requests already wait for
  // the pool, the answer is 503 at once.
  void Dispatch(HttpRequest req, const LoopExecutor& executor, Done done);

  // Api::Preflight, on the calling thread: a reply when a request can be refused from its head.
  std::optional<HttpResponse> Preflight(const HttpRequest& req, uint64_t content_length) const;

  // One access-log line and the request's metrics, once its response was written.
  void Record(const ExchangeLog& log, const HttpResponse& res, uint64_t body_bytes) const;

  size_t pending() const { return pending_.load(); }

 private:
  const Api* api_;
  WorkerPool* pool_;
  const size_t max_pending_;
  Metrics* metrics_;
  const AccessLogFormat access_log_;
  std::atomic<size_t> pending_{0};  // requests handed to the pool and not yet answered
};

}  // namespace registry
