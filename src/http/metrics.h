// Prometheus metrics of a running server: requests by route and status, latency histograms,
// publishes, downloads, disk usage and the start time, in text exposition format 0.0.4.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/status.h"

namespace registry {

// Who may read GET /metrics (`serve --metrics`).
enum class MetricsAccess {
  kLoopback,  // clients connecting from 127.0.0.0/8 or ::1 (the default)
  kToken,     // any valid token or web session
  kPublic,    // anyone
  kOff,       // nobody: 404
};

// "loopback", "token", "public" or "off"; Invalid otherwise.
Result<MetricsAccess> ParseMetricsAccess(std::string_view text);

// Bytes on disk, measured when the metrics are read.
struct DiskUsage {
  uint64_t blob_bytes = 0;
  uint64_t database_bytes = 0;
};

// Thread-safe: every method may be called from any thread. One mutex guards the request
// series (a request costs one short lock and a lookup in a map of at most routes x methods x
// statuses entries); the publish and download counters are atomics.
class Metrics {
 public:
  // Upper bounds, in seconds, of the latency histogram's buckets (ascending; +Inf is implied).
  static const std::vector<double>& DefaultBuckets();

  explicit Metrics(int64_t start_time_unix, std::vector<double> buckets = DefaultBuckets());

  // One answered request. `route` is the route pattern that handled it ("" when none did),
  // never the raw path, so the number of series stays bounded; unknown methods count as
  // "OTHER".
  void RecordRequest(std::string_view method, std::string_view route, int status, double seconds);
  void RecordPublish();
  void RecordDownload();
  // The protocol of one answered request: "HTTP/2" (one stream), anything else counts as
  // HTTP/1.x.
  void RecordProtocol(std::string_view protocol);
  // A connection accepted, and whether it speaks HTTP/2 (by ALPN, prior knowledge or h2c
  // upgrade: then it is counted twice, once as each).
  void RecordConnection(bool http2);

  // Called by Render for the disk gauges; they are left out when unset or when it returns
  // nothing. Set before the server starts.
  void set_disk_usage_source(std::function<std::optional<DiskUsage>()> source) {
    disk_usage_source_ = std::move(source);
  }

  // Called by Render for more metrics in the exposition format (the crates.io mirror's),
  // appended as they are. Set before the server starts.
  void set_extra_source(std::function<std::string()> source) { extra_source_ = std::move(source); }

  // Every metric in the text exposition format, version 0.0.4.
  std::string Render() const;

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Histogram {
    std::vector<uint64_t> counts;  // per bucket, not cumulative; the last is +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  using RouteKey = std::tuple<std::string, std::string>;         // method, route
  using RequestKey = std::tuple<std::string, std::string, int>;  // method, route, status

  int64_t start_time_;
  std::vector<double> buckets_;
  std::function<std::optional<DiskUsage>()> disk_usage_source_;
  std::function<std::string()> extra_source_;
  mutable std::mutex mu_;
  std::map<RequestKey, uint64_t> requests_;  // guarded by mu_
  std::map<RouteKey, Histogram> latency_;    // guarded by mu_
  std::atomic<uint64_t> publishes_{0};
  std::atomic<uint64_t> downloads_{0};
  std::atomic<uint64_t> http1_requests_{0};
  std::atomic<uint64_t> http2_streams_{0};
  std::atomic<uint64_t> connections_{0};
  std::atomic<uint64_t> http2_connections_{0};
};

}  // namespace registry
