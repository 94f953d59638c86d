// The HTTP/1.1 front end: cpp-httplib carrying requests to an Api.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/status.h"
#include "http/access_log.h"
#include "http/api.h"
#include "http/metrics.h"

namespace registry {

struct ServerOptions {
  std::string host = "0.0.0.0";
  int port = 8000;  // 0: any free port
  // The most worker threads; each open connection holds one (see ElasticTaskQueue).
  int threads = 1500;
  // One line per request on stderr.
  AccessLogFormat access_log = AccessLogFormat::kPlain;
  // Set: serve HTTPS with this PEM certificate chain and unencrypted PEM private key.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Counts every answered request by route pattern, status and duration; null: none. Not
  // owned; must outlive the server.
  Metrics* metrics = nullptr;
  // Bodies larger than this are refused by the transport (Api::Preflight refuses oversized
  // publishes earlier, with a clearer message).
  uint64_t max_body_size = 64ull << 20;
};

// Owns the listening socket. Listen() blocks until Stop() is called from another thread
// (or a signal handler's helper thread).
class HttpServer {
 public:
  HttpServer(const Api* api, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds the socket; after Ok, port() is the bound port. Invalid, naming the file, when the
  // TLS certificate or key cannot be used.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop().
  Status Serve();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ServerOptions options_;
  int port_ = 0;
};

}  // namespace registry
