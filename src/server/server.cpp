// Listener, loops, admission and graceful stop.
#include "server/server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "http/error_reply.h"
#include "server/connection.h"
#include "server/dispatcher.h"
#include "server/http1_connection.h"
#include "server/http2_connection.h"
#include "server/limits.h"
#include "server/tls.h"
#include "server/transport.h"
#include "server/worker_pool.h"

namespace registry {

namespace asio = boost::asio;
using SslContext = asio::ssl::context;

// One event loop: an io_context run by one thread, and the connections living on it.
// Declared so that the connections the context still holds go before `live`.
struct Loop {
  LiveConnections live;
  asio::io_context context{1};
  asio::executor_work_guard<asio::io_context::executor_type> work{context.get_executor()};
  std::thread thread;
};

struct HttpServer::Impl {
  const Api* api;
  ServerOptions options;
  std::unique_ptr<WorkerPool> pool;
  std::unique_ptr<Dispatcher> dispatcher;
  std::unique_ptr<ConnectionLimits> limits;
  BodyBudget budget{0};
  FrontEnd front;
  std::vector<std::unique_ptr<Loop>> loops;
  std::unique_ptr<Tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> accept_pause;
  size_t next_loop = 0;

  std::mutex tls_mu;
  std::shared_ptr<SslContext> tls;  // guarded by tls_mu; null without TLS

  std::mutex stop_mu;
  std::condition_variable stop_cv;
  bool stop_requested = false;  // guarded by stop_mu

  Impl(const Api* a, ServerOptions o) : api(a), options(std::move(o)), budget(options.max_body_memory) {}

  void Accept();
  void Admit(Tcp::socket socket, Loop* loop);
  void StartConnection(Tcp::socket socket, Loop* loop, std::string address);
};

static Result<std::shared_ptr<SslContext>> NewTlsContext(const ServerOptions& options) {
  auto context = std::make_shared<SslContext>(SslContext::tls_server);
  SSL_CTX* native = context->native_handle();
  RETURN_IF_ERROR(LoadTlsCredentials(native, options.tls_cert_file, options.tls_key_file));
  // TLS 1.2 renegotiation costs the server a handshake each time the client asks.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  EnableAlpn(native);
  return context;
}

// The open-file limit, less a margin for the database, blobs and logs.
static size_t ConnectionsTheFileLimitAllows() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 16384;
  return limit.rlim_cur > 256 ? static_cast<size_t>(limit.rlim_cur - 128) : 64;
}

HttpServer::HttpServer(const Api* api, ServerOptions options)
    : impl_(new Impl(api, std::move(options))) {
  ServerOptions& o = impl_->options;
  WorkerPoolOptions pool;
  pool.min_threads = 2;
  pool.max_threads = static_cast<size_t>(std::max(1, o.threads));
  impl_->pool = std::make_unique<WorkerPool>(pool);
  // At most 64 waiting requests per worker; past that the client hears 503 at once.
  impl_->dispatcher = std::make_unique<Dispatcher>(api, impl_->pool.get(), pool.max_threads * 64,
                                                   o.metrics, o.access_log);
  size_t total = o.max_connections ? o.max_connections : ConnectionsTheFileLimitAllows();
  impl_->limits = std::make_unique<ConnectionLimits>(
      std::max<size_t>(1, o.max_connections_per_address), total);
  FrontEnd& front = impl_->front;
  front.dispatcher = impl_->dispatcher.get();
  front.budget = &impl_->budget;
  front.metrics = o.metrics;
  front.limits.max_body_size = o.max_body_size;
  front.limits.header_timeout = std::chrono::seconds(o.header_timeout);
  front.limits.idle_timeout = std::chrono::seconds(o.idle_timeout);
  front.limits.http2.max_body_size = o.max_body_size;
  front.limits.http2.header_timeout = front.limits.header_timeout;
  front.limits.http2.idle_timeout = front.limits.idle_timeout;
  front.limits.http2.settings_timeout = front.limits.header_timeout;
  int loops = o.loops;
  if (loops <= 0) loops = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
  for (int i = 0; i < loops; ++i) impl_->loops.push_back(std::make_unique<Loop>());
}

HttpServer::~HttpServer() {
  impl_->pool->Shutdown();
  for (auto& loop : impl_->loops) {
    loop->context.stop();
    if (loop->thread.joinable()) loop->thread.join();
  }
}

Status HttpServer::Bind() {
  ServerOptions& o = impl_->options;
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    Result<std::shared_ptr<SslContext>> tls = NewTlsContext(o);
    if (!tls.ok()) return tls.status();
    impl_->tls = *tls;
  }
  std::string where = o.host + ":" + std::to_string(o.port);
  ErrorCode ec;
  Tcp::endpoint endpoint(asio::ip::make_address(o.host == "localhost" ? "127.0.0.1" : o.host, ec),
                         static_cast<unsigned short>(o.port));
  if (ec) return Status::Invalid("cannot listen on " + where + ": not an IP address");
  auto acceptor = std::make_unique<Tcp::acceptor>(impl_->loops[0]->context);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(Tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(4096, ec);
  if (ec) {
    return Status::Io("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor->local_endpoint().port();
  impl_->acceptor = std::move(acceptor);
  impl_->accept_pause = std::make_unique<asio::steady_timer>(impl_->loops[0]->context);
  return Status::Ok();
}

void HttpServer::Impl::Accept() {
  Loop* loop = loops[next_loop++ % loops.size()].get();
  acceptor->async_accept(loop->context, [this, loop](const ErrorCode& ec, Tcp::socket socket) {
    if (!acceptor->is_open()) return;
    if (ec) {
      // Out of descriptors, most likely: pause rather than spin.
      accept_pause->expires_after(std::chrono::milliseconds(50));
      accept_pause->async_wait([this](const ErrorCode& e) {
        if (!e && acceptor->is_open()) Accept();
      });
      return;
    }
    Admit(std::move(socket), loop);
    Accept();
  });
}

// Writes a 503 on a socket turned away by the caps, as far as the socket takes it at once.
static void TurnAway(Tcp::socket& socket, const std::string& detail) {
  std::string body = ErrorBody(detail);
  std::string reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                      "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body;
  ::send(socket.native_handle(), reply.data(), reply.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  ErrorCode ignored;
  socket.shutdown(Tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

void HttpServer::Impl::Admit(Tcp::socket socket, Loop* loop) {
  ErrorCode ec;
  Tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;
  std::string address = peer.address().to_string();
  switch (limits->TryAdmit(address)) {
    case ConnectionLimits::Admit::kOk:
      break;
    case ConnectionLimits::Admit::kAddressFull:
      if (!tls) TurnAway(socket, "too many connections from your address; close some and retry");
      return;
    case ConnectionLimits::Admit::kServerFull:
      if (!tls) TurnAway(socket, "the server has too many open connections; try again shortly");
      return;
  }
  asio::post(loop->context, [this, loop, address = std::move(address),
                             socket = std::make_shared<Tcp::socket>(std::move(socket))]() mutable {
    StartConnection(std::move(*socket), loop, std::move(address));
  });
}

void HttpServer::Impl::StartConnection(Tcp::socket socket, Loop* loop, std::string address) {
  ErrorCode ignored;
  socket.set_option(Tcp::no_delay(true), ignored);
  auto slot = std::make_unique<ConnectionSlot>(limits.get(), address, &loop->live);
  LoopExecutor executor = loop->context.get_executor();
  std::shared_ptr<SslContext> context;
  {
    std::lock_guard<std::mutex> lock(tls_mu);
    context = tls;
  }
  if (!context) {
    auto conn = std::make_shared<Http1Connection>(&front, NewPlainTransport(std::move(socket)),
                                                  std::move(slot), executor, true);
    conn->Start();
    return;
  }
  // TLS: the handshake within the header timeout, then HTTP/2 or HTTP/1.1 as ALPN chose.
  auto transport = std::make_shared<std::unique_ptr<TlsTransport>>(
      std::make_unique<TlsTransport>(std::move(socket), context));
  auto shared_slot = std::make_shared<std::unique_ptr<ConnectionSlot>>(std::move(slot));
  auto timer = std::make_shared<asio::steady_timer>(loop->context);
  timer->expires_after(front.limits.header_timeout);
  TlsTransport* raw = transport->get();
  timer->async_wait([raw, transport](const ErrorCode& ec) {
    if (!ec && *transport) raw->Close();
  });
  raw->AsyncHandshake([this, transport, shared_slot, timer, executor](const ErrorCode& ec) {
    timer->cancel();
    if (ec) {
      (*transport)->Close();
      return;
    }
    bool h2 = (*transport)->AlpnProtocol() == "h2";
    std::unique_ptr<Transport> t = std::move(*transport);
    if (h2) {
      auto conn = std::make_shared<Http2Connection>(&front, std::move(t), std::move(*shared_slot),
                                                    executor);
      conn->Start("", nullptr);
    } else {
      auto conn = std::make_shared<Http1Connection>(&front, std::move(t), std::move(*shared_slot),
                                                    executor, false);
      conn->Start();
    }
  });
}

Status HttpServer::Serve() {
  if (!impl_->acceptor) return Status::Internal("Serve() before Bind()");
  // sendfile(2) to a client that went away raises SIGPIPE, whose default action ends the
  // process; the error comes back as EPIPE instead.
  ::signal(SIGPIPE, SIG_IGN);
  for (auto& loop : impl_->loops) {
    Loop* l = loop.get();
    l->thread = std::thread([l] { l->context.run(); });
  }
  asio::post(impl_->loops[0]->context, [this] { impl_->Accept(); });
  {
    std::unique_lock<std::mutex> lock(impl_->stop_mu);
    impl_->stop_cv.wait(lock, [this] { return impl_->stop_requested; });
  }
  // Stop taking connections, ask every open one to finish, and wait for them (bounded).
  impl_->front.stopping = true;
  asio::post(impl_->loops[0]->context, [this] {
    ErrorCode ignored;
    impl_->acceptor->close(ignored);
    impl_->accept_pause->cancel();
  });
  for (auto& loop : impl_->loops) {
    Loop* l = loop.get();
    asio::post(l->context, [l] {
      std::vector<Connection*> open(l->live.begin(), l->live.end());
      for (Connection* c : open) {
        if (l->live.count(c)) c->Shutdown();
      }
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (impl_->limits->open() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  impl_->pool->Shutdown();
  for (auto& loop : impl_->loops) {
    loop->work.reset();
    loop->context.stop();
    if (loop->thread.joinable()) loop->thread.join();
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  std::lock_guard<std::mutex> lock(impl_->stop_mu);
  impl_->stop_requested = true;
  impl_->stop_cv.notify_all();
}

Status HttpServer::ReloadTls() {
  if (!impl_->tls) return Status::Invalid("the server does not serve TLS");
  Result<std::shared_ptr<SslContext>> tls = NewTlsContext(impl_->options);
  if (!tls.ok()) return tls.status();
  std::lock_guard<std::mutex> lock(impl_->tls_mu);
  impl_->tls = *tls;
  return Status::Ok();
}

}  // namespace registry
