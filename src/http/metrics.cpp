// Counting requests and rendering the Prometheus text format.
#include "http/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace registry {

Result<MetricsAccess> ParseMetricsAccess(std::string_view text) {
  if (text == "loopback") return MetricsAccess::kLoopback;
  if (text == "token") return MetricsAccess::kToken;
  if (text == "public") return MetricsAccess::kPublic;
  if (text == "off") return MetricsAccess::kOff;
  return Status::Invalid("invalid --metrics `" + std::string(text) +
                         "`: use loopback, token, public or off");
}

const std::vector<double>& Metrics::DefaultBuckets() {
  static const std::vector<double> buckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                              0.25,  0.5,   1,    2.5,   5,    10};
  return buckets;
}

Metrics::Metrics(int64_t start_time_unix, std::vector<double> buckets)
    : start_time_(start_time_unix), buckets_(std::move(buckets)) {}

// The method as a label value: one of a fixed set, so a client cannot add series.
static std::string_view MethodLabel(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET",    "HEAD",  "PUT",    "POST",
                                                "DELETE", "PATCH", "OPTIONS"};
  for (std::string_view m : kKnown) {
    if (m == method) return m;
  }
  return "OTHER";
}

void Metrics::RecordRequest(std::string_view method, std::string_view route, int status,
                            double seconds) {
  std::string method_label(MethodLabel(method));
  std::string route_label(route.empty() ? std::string_view("unmatched") : route);
  if (!(seconds >= 0)) seconds = 0;  // also NaN
  size_t bucket = std::lower_bound(buckets_.begin(), buckets_.end(), seconds) - buckets_.begin();
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[RequestKey(method_label, route_label, status)];
  Histogram& h = latency_[RouteKey(std::move(method_label), std::move(route_label))];
  if (h.counts.empty()) h.counts.assign(buckets_.size() + 1, 0);
  ++h.counts[bucket];
  h.sum += seconds;
  ++h.count;
}

void Metrics::RecordPublish() { publishes_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::RecordDownload() { downloads_.fetch_add(1, std::memory_order_relaxed); }
void Metrics::RecordProtocol(std::string_view protocol) {
  (protocol == "HTTP/2" ? http2_streams_ : http1_requests_).fetch_add(1, std::memory_order_relaxed);
}
void Metrics::RecordConnection(bool http2) {
  (http2 ? http2_connections_ : connections_).fetch_add(1, std::memory_order_relaxed);
}

// A sample value as Prometheus reads it: the shortest decimal that round-trips.
static std::string FormatValue(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  if (std::isnan(v)) return "NaN";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : "NaN";
}

// Escapes a label value: backslash, double quote and line feed.
static std::string LabelValue(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

static void Header(std::string* out, const char* name, const char* type, const char* help) {
  *out += "# HELP ";
  *out += name;
  *out += ' ';
  *out += help;
  *out += "\n# TYPE ";
  *out += name;
  *out += ' ';
  *out += type;
  *out += '\n';
}

static void Sample(std::string* out, const std::string& name, const std::string& labels,
                   const std::string& value) {
  *out += name;
  if (!labels.empty()) *out += "{" + labels + "}";
  *out += ' ';
  *out += value;
  *out += '\n';
}

std::string Metrics::Render() const {
  std::map<RequestKey, uint64_t> requests;
  std::map<RouteKey, Histogram> latency;
  {
    std::lock_guard<std::mutex> lock(mu_);
    requests = requests_;
    latency = latency_;
  }
  std::string out;
  Header(&out, "registry_http_requests_total", "counter",
         "HTTP requests answered, by method, route pattern and status code.");
  for (const auto& [key, n] : requests) {
    const auto& [method, route, status] = key;
    Sample(&out, "registry_http_requests_total",
           "method=\"" + method + "\",route=\"" + LabelValue(route) + "\",status=\"" +
               std::to_string(status) + "\"",
           std::to_string(n));
  }

  Header(&out, "registry_http_request_duration_seconds", "histogram",
         "Time from reading a request's headers to writing its response, by method and route "
         "pattern.");
  for (const auto& [key, h] : latency) {
    const auto& [method, route] = key;
    std::string labels = "method=\"" + method + "\",route=\"" + LabelValue(route) + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= buckets_.size(); ++i) {
      cumulative += h.counts[i];
      std::string le = i < buckets_.size() ? FormatValue(buckets_[i]) : "+Inf";
      Sample(&out, "registry_http_request_duration_seconds_bucket", labels + ",le=\"" + le + "\"",
             std::to_string(cumulative));
    }
    Sample(&out, "registry_http_request_duration_seconds_sum", labels, FormatValue(h.sum));
    Sample(&out, "registry_http_request_duration_seconds_count", labels, std::to_string(h.count));
  }

  Header(&out, "registry_publishes_total", "counter", "Crate versions published.");
  Sample(&out, "registry_publishes_total", "",
         std::to_string(publishes_.load(std::memory_order_relaxed)));
  Header(&out, "registry_downloads_total", "counter", ".crate files downloaded.");
  Sample(&out, "registry_downloads_total", "",
         std::to_string(downloads_.load(std::memory_order_relaxed)));

  auto load = [](const std::atomic<uint64_t>& n) {
    return std::to_string(n.load(std::memory_order_relaxed));
  };
  Header(&out, "registry_http_requests_by_protocol_total", "counter",
         "HTTP requests answered, by protocol (an HTTP/2 request is one stream).");
  Sample(&out, "registry_http_requests_by_protocol_total", "protocol=\"HTTP/1.1\"",
         load(http1_requests_));
  Sample(&out, "registry_http_requests_by_protocol_total", "protocol=\"HTTP/2\"",
         load(http2_streams_));
  Header(&out, "registry_http_connections_total", "counter", "Connections accepted.");
  Sample(&out, "registry_http_connections_total", "", load(connections_));
  Header(&out, "registry_http2_connections_total", "counter",
         "Connections that went on in HTTP/2 (ALPN h2, prior knowledge or an h2c upgrade).");
  Sample(&out, "registry_http2_connections_total", "", load(http2_connections_));

  std::optional<DiskUsage> disk;
  if (disk_usage_source_) disk = disk_usage_source_();
  if (disk) {
    Header(&out, "registry_blob_bytes", "gauge", "Bytes of stored .crate files.");
    Sample(&out, "registry_blob_bytes", "", std::to_string(disk->blob_bytes));
    Header(&out, "registry_database_bytes", "gauge",
           "Bytes of the SQLite database with its write-ahead log.");
    Sample(&out, "registry_database_bytes", "", std::to_string(disk->database_bytes));
  }

  Header(&out, "process_start_time_seconds", "gauge",
         "Start time of the process since unix epoch in seconds.");
  Sample(&out, "process_start_time_seconds", "", std::to_string(start_time_));
  if (extra_source_) out += extra_source_();
  return out;
}

}  // namespace registry
