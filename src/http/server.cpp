// cpp-httplib adapter: converts httplib's request/response to the transport-neutral ones.
#include "http/server.h"

#include <httplib.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "http/error_reply.h"
#include "http/tls.h"
#include "http/worker_pool.h"

namespace registry {

// httplib hands each accepted connection to a task queue; the connection keeps its worker for
// as long as it stays open (keep-alive included). A fixed pool of N workers is therefore
// blocked by N idle connections; the elastic pool grows instead.
class ElasticTaskQueue : public httplib::TaskQueue {
 public:
  explicit ElasticTaskQueue(WorkerPoolOptions options) : pool_(options) {}
  void enqueue(std::function<void()> fn) override { pool_.Submit(std::move(fn)); }
  void shutdown() override { pool_.Shutdown(); }

 private:
  WorkerPool pool_;
};

struct HttpServer::Impl {
  const Api* api;
  std::unique_ptr<httplib::Server> server;  // an httplib::SSLServer with TLS
  Status tls_status;                        // why the TLS credentials could not be used
};

// What the access log and metrics need beyond the request and response httplib hands its
// logger: when the request's headers were read, the route that answered and the caller.
// httplib serves a connection, request after request, on one thread of its pool, and calls
// the logger on that thread right after writing the response; so each worker keeps the trace
// of its current request here, and the logger resets it.
struct RequestTrace {
  std::chrono::steady_clock::time_point start;
  bool started = false;
  std::string route;
  std::string user;
  uint64_t streamed_bytes = 0;  // the size of a body streamed from a file
};
static thread_local RequestTrace t_trace;

static HttpRequest ConvertRequest(const httplib::Request& in, bool with_body) {
  HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  for (const auto& [k, v] : in.params) out.query.emplace(k, v);
  for (const auto& [k, v] : in.headers) {
    std::string key = k;
    for (char& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace(std::move(key), v);
  }
  if (with_body) out.body = in.body;
  out.remote_addr = in.remote_addr;
  return out;
}

// Sends the first `size` bytes of `path` in 64 KiB reads, never holding the whole file.
static void StreamFile(const std::string& path, uint64_t size, const std::string& type,
                       httplib::Response* out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    std::fprintf(stderr, "error: cannot open %s to send it: %s\n", path.c_str(),
                 std::strerror(errno));
    out->status = 500;
    out->set_content(ErrorBody("the stored file could not be read; the server log has the details"),
                     "application/json");
    return;
  }
  out->set_content_provider(
      static_cast<size_t>(size), type,
      [fd](size_t offset, size_t length, httplib::DataSink& sink) {
        char buf[64 << 10];
        ssize_t n = ::pread(fd, buf, std::min(length, sizeof buf), static_cast<off_t>(offset));
        return n > 0 && sink.write(buf, static_cast<size_t>(n));
      },
      [fd](bool) { ::close(fd); });
}

static void ConvertResponse(HttpResponse&& in, httplib::Response* out) {
  t_trace.route = std::move(in.route);
  t_trace.user = std::move(in.user);
  out->status = in.status;
  for (auto& [k, v] : in.headers) out->set_header(k, v);
  if (in.status == 304 || in.content_type.empty()) {
    out->body.clear();
  } else if (!in.file_path.empty()) {
    StreamFile(in.file_path, in.file_size, in.content_type, out);
    t_trace.streamed_bytes = in.file_size;
  } else {
    out->set_content(std::move(in.body), in.content_type);
  }
}

HttpServer::HttpServer(const Api* api, ServerOptions options)
    : impl_(new Impl), options_(std::move(options)) {
  impl_->api = api;
  if (options_.tls_cert_file.empty() && options_.tls_key_file.empty()) {
    impl_->server = std::make_unique<httplib::Server>();
  } else {
    impl_->server = std::make_unique<httplib::SSLServer>([this](SSL_CTX& ctx) {
      impl_->tls_status = LoadTlsCredentials(&ctx, options_.tls_cert_file, options_.tls_key_file);
      return impl_->tls_status.ok();
    });
  }
  httplib::Server& svr = *impl_->server;
  WorkerPoolOptions pool;
  pool.max_threads = static_cast<size_t>(options_.threads);
  svr.new_task_queue = [pool] { return new ElasticTaskQueue(pool); };
  svr.set_keep_alive_max_count(1000);
  svr.set_keep_alive_timeout(5);
  svr.set_read_timeout(30, 0);
  svr.set_write_timeout(30, 0);
  svr.set_payload_max_length(options_.max_body_size);

  // Runs once the headers are parsed, before httplib reads any body.
  svr.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    t_trace = RequestTrace();
    t_trace.start = std::chrono::steady_clock::now();
    t_trace.started = true;
    // httplib 0.11 bounds a body by set_payload_max_length only when it comes with a
    // Content-Length: a chunked body, or one it inflates for Content-Encoding: gzip/deflate/br,
    // is read into memory whatever its size, before any handler checks the token (a 300 KB
    // gzip of zeros made the server allocate over 600 MB). Cargo sends neither: refuse both.
    std::string encoding = req.get_header_value("Content-Encoding");
    if (req.has_header("Transfer-Encoding") || (!encoding.empty() && encoding != "identity")) {
      bool chunked = req.has_header("Transfer-Encoding");
      res.status = chunked ? 411 : 415;
      res.set_header("Connection", "close");
      res.set_content(ErrorBody(chunked ? "request bodies must be sent with a Content-Length, "
                                          "not with Transfer-Encoding"
                                        : "compressed request bodies (Content-Encoding: " +
                                              encoding + ") are not accepted"),
                      "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    // Only a request that may carry a body has anything to check before the body is read.
    if (req.method != "PUT" && req.method != "POST" && req.method != "PATCH") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    uint64_t length = 0;
    if (req.has_header("Content-Length")) {
      length = std::strtoull(req.get_header_value("Content-Length").c_str(), nullptr, 10);
    }
    std::optional<HttpResponse> early = impl_->api->Preflight(ConvertRequest(req, false), length);
    if (early) {
      early->SetHeader("Connection", "close");
      ConvertResponse(std::move(*early), &res);
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!req.has_header("Content-Length")) {
      // httplib 0.11 reads such a body until the client closes the connection (it special-cases
      // only DELETE), so e.g. `curl -X PUT .../unyank` hung for the whole read timeout. Without
      // Content-Length or Transfer-Encoding there is no body (RFC 9112 section 6.3).
      HttpResponse out;
      impl_->api->Handle(ConvertRequest(req, false), &out);
      ConvertResponse(std::move(out), &res);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    HttpResponse out;
    impl_->api->Handle(ConvertRequest(req, true), &out);
    ConvertResponse(std::move(out), &res);
  };
  svr.Get(".*", handler);
  svr.Put(".*", handler);
  svr.Post(".*", handler);
  svr.Delete(".*", handler);
  svr.Patch(".*", handler);
  svr.Options(".*", handler);

  // Errors raised by httplib itself (bad request line, payload too large) get cargo's shape.
  svr.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        res.set_content(
            ErrorBody("the request was refused with HTTP status " + std::to_string(res.status)),
            "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));

  // After each response is written: one access-log line (never the Authorization header,
  // cookies, the query string or a body) and the request's metrics.
  svr.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    RequestTrace trace = std::move(t_trace);
    t_trace = RequestTrace();
    // Requests httplib refuses itself (a malformed request line) never reached the
    // pre-routing handler: they took no time worth measuring.
    double seconds =
        trace.started
            ? std::chrono::duration<double>(std::chrono::steady_clock::now() - trace.start).count()
            : 0.0;
    if (options_.metrics) {
      options_.metrics->RecordRequest(req.method, trace.route, res.status, seconds);
    }
    if (options_.access_log == AccessLogFormat::kOff) return;
    AccessRecord record;
    record.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    record.addr = req.remote_addr;
    record.method = req.method;
    record.path = req.path;
    record.status = res.status;
    record.bytes = res.body.empty() ? trace.streamed_bytes : res.body.size();
    record.ms = seconds * 1000;
    record.user = std::move(trace.user);
    std::string line = FormatAccessLine(record, options_.access_log);
    // One write per line, so lines of concurrent requests never interleave.
    std::fwrite(line.data(), 1, line.size(), stderr);
  });
}

HttpServer::~HttpServer() = default;

Status HttpServer::Bind() {
  if (!impl_->server->is_valid()) {
    if (!impl_->tls_status.ok()) return impl_->tls_status;
    return Status::Internal("the HTTP server could not be set up");
  }
  httplib::Server& svr = *impl_->server;
  if (options_.port == 0) {
    int port = svr.bind_to_any_port(options_.host);
    if (port < 0) return Status::Io("cannot listen on " + options_.host + ": bind failed");
    port_ = port;
    return Status::Ok();
  }
  if (!svr.bind_to_port(options_.host, options_.port)) {
    return Status::Io("cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
                      ": the address is in use or not available");
  }
  port_ = options_.port;
  return Status::Ok();
}

Status HttpServer::Serve() {
  if (!impl_->server->listen_after_bind())
    return Status::Io("the HTTP server stopped with an error");
  return Status::Ok();
}

void HttpServer::Stop() { impl_->server->stop(); }

}  // namespace registry
