// Tests for the metrics counters and their exposition text.
#include "http/metrics.h"

#include <doctest/doctest.h>

#include <thread>
#include <vector>

namespace registry {

TEST_CASE("metrics: the exposition text of a few recordings is exact") {
  Metrics m(1700000000, {0.1, 1});
  m.RecordRequest("GET", "/index/{*path}", 200, 0.05);
  m.RecordRequest("GET", "/index/{*path}", 200, 0.1);  // on a bound: counts in le="0.1"
  m.RecordRequest("GET", "/index/{*path}", 401, 2.5);
  m.RecordRequest("PUT", "/api/v1/crates/new", 200, 0.5);
  m.RecordPublish();
  m.RecordDownload();
  m.RecordDownload();
  m.set_disk_usage_source([] { return DiskUsage{12345, 4096}; });
  CHECK(m.Render() ==
        "# HELP registry_http_requests_total HTTP requests answered, by method, route pattern "
        "and status code.\n"
        "# TYPE registry_http_requests_total counter\n"
        "registry_http_requests_total{method=\"GET\",route=\"/index/{*path}\",status=\"200\"} 2\n"
        "registry_http_requests_total{method=\"GET\",route=\"/index/{*path}\",status=\"401\"} 1\n"
        "registry_http_requests_total{method=\"PUT\",route=\"/api/v1/crates/new\",status=\"200\"} "
        "1\n"
        "# HELP registry_http_request_duration_seconds Time from reading a request's headers to "
        "writing its response, by method and route pattern.\n"
        "# TYPE registry_http_request_duration_seconds histogram\n"
        "registry_http_request_duration_seconds_bucket{method=\"GET\",route=\"/index/{*path}\","
        "le=\"0.1\"} 2\n"
        "registry_http_request_duration_seconds_bucket{method=\"GET\",route=\"/index/{*path}\","
        "le=\"1\"} 2\n"
        "registry_http_request_duration_seconds_bucket{method=\"GET\",route=\"/index/{*path}\","
        "le=\"+Inf\"} 3\n"
        "registry_http_request_duration_seconds_sum{method=\"GET\",route=\"/index/{*path}\"} "
        "2.65\n"
        "registry_http_request_duration_seconds_count{method=\"GET\",route=\"/index/{*path}\"} "
        "3\n"
        "registry_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/api/v1/crates/"
        "new\",le=\"0.1\"} 0\n"
        "registry_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/api/v1/crates/"
        "new\",le=\"1\"} 1\n"
        "registry_http_request_duration_seconds_bucket{method=\"PUT\",route=\"/api/v1/crates/"
        "new\",le=\"+Inf\"} 1\n"
        "registry_http_request_duration_seconds_sum{method=\"PUT\",route=\"/api/v1/crates/new\"} "
        "0.5\n"
        "registry_http_request_duration_seconds_count{method=\"PUT\",route=\"/api/v1/crates/"
        "new\"} 1\n"
        "# HELP registry_publishes_total Crate versions published.\n"
        "# TYPE registry_publishes_total counter\n"
        "registry_publishes_total 1\n"
        "# HELP registry_downloads_total .crate files downloaded.\n"
        "# TYPE registry_downloads_total counter\n"
        "registry_downloads_total 2\n"
        "# HELP registry_http_requests_by_protocol_total HTTP requests answered, by protocol (an "
        "HTTP/2 request is one stream).\n"
        "# TYPE registry_http_requests_by_protocol_total counter\n"
        "registry_http_requests_by_protocol_total{protocol=\"HTTP/1.1\"} 0\n"
        "registry_http_requests_by_protocol_total{protocol=\"HTTP/2\"} 0\n"
        "# HELP registry_http_connections_total Connections accepted.\n"
        "# TYPE registry_http_connections_total counter\n"
        "registry_http_connections_total 0\n"
        "# HELP registry_http2_connections_total Connections that went on in HTTP/2 (ALPN h2, "
        "prior knowledge or an h2c upgrade).\n"
        "# TYPE registry_http2_connections_total counter\n"
        "registry_http2_connections_total 0\n"
        "# HELP registry_blob_bytes Bytes of stored .crate files.\n"
        "# TYPE registry_blob_bytes gauge\n"
        "registry_blob_bytes 12345\n"
        "# HELP registry_database_bytes Bytes of the SQLite database with its write-ahead log.\n"
        "# TYPE registry_database_bytes gauge\n"
        "registry_database_bytes 4096\n"
        "# HELP process_start_time_seconds Start time of the process since unix epoch in "
        "seconds.\n"
        "# TYPE process_start_time_seconds gauge\n"
        "process_start_time_seconds 1700000000\n");
}

// The lines of `text` that start with `prefix`.
static std::vector<std::string> LinesStartingWith(const std::string& text,
                                                  const std::string& prefix) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

TEST_CASE("metrics: histogram buckets are cumulative and end with the total count") {
  Metrics m(0);  // the default buckets: 1 ms .. 10 s
  for (double s : {0.0005, 0.003, 0.003, 0.2, 7.0, 60.0}) m.RecordRequest("GET", "/health", 200, s);
  std::vector<std::string> buckets =
      LinesStartingWith(m.Render(), "registry_http_request_duration_seconds_bucket");
  REQUIRE(buckets.size() == Metrics::DefaultBuckets().size() + 1);
  CHECK(buckets[0] ==
        "registry_http_request_duration_seconds_bucket{method=\"GET\","
        "route=\"/health\",le=\"0.001\"} 1");
  CHECK(buckets[1].ends_with(",le=\"0.005\"} 3"));
  CHECK(buckets[6].ends_with(",le=\"0.25\"} 4"));
  CHECK(buckets[11].ends_with(",le=\"10\"} 5"));
  CHECK(buckets[12].ends_with(",le=\"+Inf\"} 6"));
  uint64_t previous = 0;
  for (const std::string& line : buckets) {
    uint64_t n = std::stoull(line.substr(line.rfind(' ') + 1));
    CHECK(n >= previous);
    previous = n;
  }
}

TEST_CASE("metrics: unknown methods and unmatched requests get fixed labels") {
  Metrics m(0, {1});
  m.RecordRequest("BREW", "", 400, 0);
  m.RecordRequest("GET", "", 404, 0);
  std::string text = m.Render();
  CHECK(text.find("registry_http_requests_total{method=\"OTHER\",route=\"unmatched\","
                  "status=\"400\"} 1\n") != std::string::npos);
  CHECK(text.find("registry_http_requests_total{method=\"GET\",route=\"unmatched\","
                  "status=\"404\"} 1\n") != std::string::npos);
  CHECK(text.find("BREW") == std::string::npos);
}

TEST_CASE("metrics: disk gauges are left out without a source") {
  Metrics m(0);
  CHECK(m.Render().find("registry_blob_bytes") == std::string::npos);
  m.set_disk_usage_source([] { return std::optional<DiskUsage>(); });
  CHECK(m.Render().find("registry_database_bytes") == std::string::npos);
}

TEST_CASE("metrics: concurrent recordings are all counted") {
  Metrics m(0, {1});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < 1000; ++i) {
        m.RecordRequest("GET", "/health", 200, 0.01);
        m.RecordDownload();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::string text = m.Render();
  CHECK(text.find("route=\"/health\",status=\"200\"} 4000\n") != std::string::npos);
  CHECK(text.find("registry_downloads_total 4000\n") != std::string::npos);
}

TEST_CASE("metrics: --metrics values parse, others are refused with the choices") {
  CHECK(*ParseMetricsAccess("loopback") == MetricsAccess::kLoopback);
  CHECK(*ParseMetricsAccess("token") == MetricsAccess::kToken);
  CHECK(*ParseMetricsAccess("public") == MetricsAccess::kPublic);
  CHECK(*ParseMetricsAccess("off") == MetricsAccess::kOff);
  CHECK(ParseMetricsAccess("yes").status().message() ==
        "invalid --metrics `yes`: use loopback, token, public or off");
}

}  // namespace registry
