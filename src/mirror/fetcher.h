// GET requests to the upstream registry, behind an interface so tests fake the upstream.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

struct FetchRequest {
  std::string url;            // absolute http:// or https:// URL
  std::string if_none_match;  // sent when not empty
  std::string authorization;  // sent as Authorization when not empty (a registry token)
};

struct FetchResponse {
  int status = 0;
  std::string body;  // the bytes as sent (no Accept-Encoding is offered, so never compressed)
  std::string etag;
  std::string last_modified;
};

// Thread-safe implementations only: the mirror calls Get from many threads.
class Fetcher {
 public:
  virtual ~Fetcher() = default;
  // Any HTTP answer is a response (the caller judges the status); Unavailable when no answer
  // came (cannot resolve or connect, TLS failure, broken connection), Timeout when the
  // upstream was too slow, TooLarge past the size limit. Messages name the URL.
  virtual Result<FetchResponse> Get(const FetchRequest& request) = 0;
};

struct HttpFetcherOptions {
  std::string ca_file;  // CA certificates (PEM) to trust instead of the system's; empty: those
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds read_timeout{30};
  uint64_t max_body = 64ull << 20;
  // Looks up environment variables (HTTPS_PROXY and friends); tests replace it.
  std::function<std::string(const char*)> getenv;
};

// The proxy ("host:port") to use for `url` given the environment lookup `env`, or "" for a
// direct connection: https URLs use HTTPS_PROXY/https_proxy, http ones HTTP_PROXY/http_proxy;
// NO_PROXY/no_proxy lists hosts (and domain suffixes, with or without a leading dot) to reach
// directly, or "*" for all.
std::string ProxyFor(std::string_view url, const std::function<std::string(const char*)>& env);

// Upstream fetches with cpp-httplib: a new connection per request, TLS verified.
class HttpFetcher : public Fetcher {
 public:
  explicit HttpFetcher(HttpFetcherOptions options);
  Result<FetchResponse> Get(const FetchRequest& request) override;

 private:
  HttpFetcherOptions options_;
};

}  // namespace registry
