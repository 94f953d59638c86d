// The registry's HTTP front end: one listener speaking HTTP/1.1, HTTP/2 over TLS (ALPN h2)
// and HTTP/2 over plain TCP (Upgrade: h2c or prior knowledge), on a few event-loop threads,
// with blocking handlers on a bounded worker pool. See docs/ARCHITECTURE.md.
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
  // Worker threads for the requests that may block (publish, sign-in, search...).
  int threads = 16;
  // Event-loop threads; 0: one per core, at most 4.
  int loops = 0;
  // One line per request on stderr.
  AccessLogFormat access_log = AccessLogFormat::kPlain;
  // Set: serve HTTPS with this PEM certificate chain and unencrypted PEM private key.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Counts every answered request; null: none. Not owned; must outlive the server.
  Metrics* metrics = nullptr;
  // Bodies larger than this are refused before they are read (Api::Preflight refuses
  // oversized publishes with a clearer message).
  uint64_t max_body_size = 64ull << 20;
  // Bytes of request bodies held in memory at once, over all connections; past it, 503.
  uint64_t max_body_memory = 256ull << 20;
  // Open connections from one client address, and in all (0: from the open-file limit).
  size_t max_connections_per_address = 256;
  size_t max_connections = 0;
  // Seconds: a request head (and TLS handshake) must arrive within header_timeout; an idle
  // keep-alive connection closes after idle_timeout.
  int header_timeout = 10;
  int idle_timeout = 60;
};

// Owns the listening socket, the loops and the worker pool.
class HttpServer {
 public:
  HttpServer(const Api* api, ServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS credentials and binds the socket; after Ok, port() is the bound port.
  // Invalid, naming the file, when the TLS certificate or key cannot be used.
  Status Bind();
  int port() const { return port_; }
  // Serves until Stop(), then lets the requests in flight finish (at most 10 s) and returns.
  Status Serve();
  // Thread-safe; may be called before Serve() starts serving.
  void Stop();
  // Reads the TLS certificate and key again (SIGHUP): new connections use them, open ones
  // keep theirs. When they cannot be used, the old ones stay and the error says why.
  Status ReloadTls();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace registry
