// One HTTP/2 server session over nghttp2, with no I/O of its own: bytes received go in,
// bytes to send come out, complete requests come out and responses go in. The connection
// (http2_connection.h) moves the bytes; the fuzz target feeds it directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.h"
#include "server/dispatcher.h"
#include "server/error_response.h"
#include "server/file_body.h"
#include "server/limits.h"

typedef struct nghttp2_session nghttp2_session;

namespace registry {

struct Http2Limits {
  uint32_t max_concurrent_streams = 100;
  size_t max_target = 8 << 10;
  size_t max_header_bytes = 16 << 10;  // the header list, counted as RFC 9113 section 6.5.2 does
  size_t max_header_fields = 100;
  uint64_t max_body_size = 64ull << 20;
  uint32_t stream_window = 1 << 20;       // per stream, for uploads
  uint32_t connection_window = 16 << 20;  // for the whole connection
  // Rapid reset (CVE-2023-44487): streams a client may reset, as a token bucket.
  uint64_t reset_burst = 1000;
  uint64_t reset_rate = 33;  // per second
  std::chrono::milliseconds settings_timeout{10000};
  std::chrono::milliseconds header_timeout{10000};  // a stream's request head and body start
  std::chrono::milliseconds idle_timeout{60000};    // no stream open: GOAWAY
  uint64_t body_min_rate = 16 << 10;                // bytes a second a body must keep up
};

// Not thread-safe: one connection's loop thread calls everything.
class Http2Session {
 public:
  struct Request {
    int32_t stream_id;
    HttpRequest request;
    bool head;  // a HEAD: answer with the GET's headers and no body
  };
  using PreflightFn = std::function<std::optional<HttpResponse>(const HttpRequest&, uint64_t)>;
  // Each response once its stream closes: the log of the exchange, the response (without its
  // body) and the body bytes sent.
  using RecordFn = std::function<void(const ExchangeLog&, const HttpResponse&, uint64_t)>;

  // `budget` must outlive the session.
  Http2Session(const Http2Limits& limits, BodyBudget* budget, std::string remote_addr,
               PreflightFn preflight, RecordFn record);
  ~Http2Session();
  Http2Session(const Http2Session&) = delete;
  Http2Session& operator=(const Http2Session&) = delete;

  // For an HTTP/1.1 `Upgrade: h2c` request: the HTTP2-Settings value (base64url) and the
  // request itself, which becomes stream 1 (RFC 7540 section 3.2). False when the settings
  // are malformed.
  bool Upgrade(std::string_view settings_base64url, HttpRequest request);

  // Bytes from the client. False: the session is over (a protocol error, a flood); send what
  // TakeOutput still gives (the GOAWAY), then close.
  bool Receive(const uint8_t* data, size_t size);

  // Requests that are complete and not yet handed out.
  std::vector<Request> TakeRequests();

  // The response for `stream_id`; dropped when the stream is gone (the client reset it).
  void Respond(int32_t stream_id, HttpResponse response);

  // Appends up to `max` bytes to send to *out; returns how many.
  size_t TakeOutput(std::string* out, size_t max);

  // Neither side has anything left to say: close the connection.
  bool Done() const;

  // Deadlines: the SETTINGS acknowledgement, slow request heads and bodies, idleness.
  void Tick(std::chrono::steady_clock::time_point now);

  // Graceful: GOAWAY, finish the streams already open, take no new ones.
  void Shutdown();

  size_t open_streams() const { return streams_.size(); }

 private:
  struct Stream;
  friend struct Http2Callbacks;

  Stream* Find(int32_t stream_id);
  void Refuse(Stream* stream, int status, const std::string& detail);
  void HeadersDone(Stream* stream, bool end_stream);
  void Complete(Stream* stream);
  void Submit(Stream* stream, HttpResponse response);

  const Http2Limits limits_;
  BodyBudget* budget_;
  const std::string remote_addr_;
  PreflightFn preflight_;
  RecordFn record_;
  nghttp2_session* session_ = nullptr;
  std::unordered_map<int32_t, std::unique_ptr<Stream>> streams_;
  std::vector<Request> ready_;
  bool settings_acked_ = false;
  bool shutting_down_ = false;
  std::chrono::steady_clock::time_point created_;
  std::chrono::steady_clock::time_point last_active_;
};

}  // namespace registry
