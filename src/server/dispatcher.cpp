// Inline or pooled handling, and the access log.
#include "server/dispatcher.h"

#include <boost/asio/post.hpp>

#include <cstdio>

#include "storage/gzip_codec.h"


namespace registry {

Dispatcher::Dispatcher(const Api* api, WorkerPool* pool, size_t max_pending, Metrics* metrics,
                       AccessLogFormat access_log)
    : api_(api), pool_(pool), max_pending_(max_pending), metrics_(metrics),
      access_log_(access_log) {}

static bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool Dispatcher::RunsOnLoop(const HttpRequest& req) {
  if (req.method != "GET" && req.method != "HEAD") return false;
  const std::string& p = req.path;
  if (p == "/health" || StartsWith(p, "/index/")) return true;
  if (StartsWith(p, "/api/v1/crates/")) {
    return p.size() > 9 && p.compare(p.size() - 9, 9, "/download") == 0;
  }
  // Hosted docs are stored gzip-compressed: a client that takes no gzip gets them inflated,
  // which for a large file is no work for the loop.
  if (StartsWith(p, "/docs/")) return AcceptsGzip(req.Header("accept-encoding"));
  // The web UI's files; /api/, /metrics (it measures the disk) and the mirror may block.
  return !StartsWith(p, "/api/") && p != "/metrics" && !StartsWith(p, "/crates-io/");
}

void Dispatcher::Dispatch(HttpRequest req, const LoopExecutor& executor, Done done) {
  if (req.method == "HEAD") req.method = "GET";
  if (RunsOnLoop(req)) {
    HttpResponse res;
    api_->Handle(req, &res);
    return done(std::move(res));
  }
  if (pending_.fetch_add(1) >= max_pending_) {
    pending_.fetch_sub(1);
    HttpResponse busy = ErrorResponse(503, "the server is busy; try again shortly");
    busy.SetHeader("Retry-After", "1");
    return done(std::move(busy));
  }
  pool_->Submit([this, req = std::move(req), executor, done = std::move(done)]() mutable {
    HttpResponse res;
    api_->Handle(req, &res);
    pending_.fetch_sub(1);
    boost::asio::post(executor, [done = std::move(done), res = std::move(res)]() mutable {
      done(std::move(res));
    });
  });
}

std::optional<HttpResponse> Dispatcher::Preflight(const HttpRequest& req,
                                                  uint64_t content_length) const {
  return api_->Preflight(req, content_length);
}

void Dispatcher::Record(const ExchangeLog& log, const HttpResponse& res,
                        uint64_t body_bytes) const {
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - log.start).count();
  if (metrics_) {
    metrics_->RecordRequest(log.method, res.route, res.status, seconds);
    metrics_->RecordProtocol(log.protocol);
  }
  if (access_log_ == AccessLogFormat::kOff) return;
  AccessRecord record;
  record.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  record.addr = log.addr;
  record.method = log.method;
  record.path = log.path;
  record.protocol = log.protocol;
  record.status = res.status;
  record.bytes = body_bytes;
  record.ms = seconds * 1000;
  record.user = res.user;
  std::string line = FormatAccessLine(record, access_log_);
  // One write per line, so lines of concurrent requests never interleave.
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace registry
