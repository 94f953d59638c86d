// Plain and TLS transports over Asio.
#include "server/transport.h"

#include <boost/asio/write.hpp>

#include <sys/sendfile.h>
#include <unistd.h>

#include <array>
#include <cerrno>

namespace registry {

namespace asio = boost::asio;

static constexpr size_t kFileChunk = 64 << 10;

namespace {

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(Tcp::socket socket) : socket_(std::move(socket)) {}

  void AsyncReadSome(asio::mutable_buffer buffer, IoHandler handler) override {
    socket_.async_read_some(buffer, std::move(handler));
  }
  void AsyncWrite(asio::const_buffer buffer, IoHandler handler) override {
    asio::async_write(socket_, buffer, std::move(handler));
  }
  void Write(asio::const_buffer first, asio::const_buffer second, IoHandler handler) override {
    std::array<asio::const_buffer, 2> buffers{first, second};
    if (inline_depth_ >= kMaxInlineDepth) {
      return asio::async_write(socket_, buffers, std::move(handler));
    }
    ErrorCode ec;
    // Non-blocking as Asio sees it too: a synchronous write on a blocking socket would wait.
    if (!socket_.non_blocking()) socket_.non_blocking(true, ec);
    if (ec) return asio::async_write(socket_, buffers, std::move(handler));
    size_t total = first.size() + second.size();
    size_t n = socket_.write_some(buffers, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = ErrorCode();
      n = 0;
    }
    if (ec || n == total) {
      ++inline_depth_;
      handler(ec, n);
      --inline_depth_;
      return;
    }
    // The socket took part of it: the rest when it can take more.
    asio::const_buffer rest_first = n < first.size() ? first + n : asio::const_buffer();
    asio::const_buffer rest_second = n < first.size() ? second : second + (n - first.size());
    asio::async_write(socket_, std::array<asio::const_buffer, 2>{rest_first, rest_second},
                      [n, handler = std::move(handler)](const ErrorCode& ec, size_t m) {
                        handler(ec, n + m);
                      });
  }
  void AsyncSendFile(int fd, uint64_t offset, uint64_t length, IoHandler handler) override {
    SendFile(fd, offset, length, 0, std::move(handler));
  }
  bool HasBufferedInput() const override { return false; }
  bool is_tls() const override { return false; }
  void Close() override {
    ErrorCode ignored;
    socket_.shutdown(Tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  Tcp::socket& socket() override { return socket_; }

 private:
  // sendfile(2) on the non-blocking socket until done, waiting for writability in between.
  void SendFile(int fd, uint64_t offset, uint64_t left, uint64_t sent, IoHandler handler) {
    if (!socket_.is_open()) return handler(asio::error::operation_aborted, sent);
    if (!socket_.native_non_blocking()) {
      ErrorCode ec;
      socket_.native_non_blocking(true, ec);
    }
    while (left > 0) {
      off_t off = static_cast<off_t>(offset);
      ssize_t n = ::sendfile(socket_.native_handle(), fd, &off,
                             static_cast<size_t>(left < (1u << 30) ? left : (1u << 30)));
      if (n > 0) {
        offset += static_cast<uint64_t>(n);
        left -= static_cast<uint64_t>(n);
        sent += static_cast<uint64_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        socket_.async_wait(Tcp::socket::wait_write,
                           [this, fd, offset, left, sent, handler = std::move(handler)](
                               const ErrorCode& ec) mutable {
                             if (ec) return handler(ec, sent);
                             SendFile(fd, offset, left, sent, std::move(handler));
                           });
        return;
      }
      // 0: the file is shorter than promised; an error otherwise.
      ErrorCode ec = n == 0 ? asio::error::eof
                            : ErrorCode(errno, boost::system::system_category());
      return handler(ec, sent);
    }
    handler(ErrorCode(), sent);
  }

  // A pipelined burst of requests answered from the loop would otherwise recurse once per
  // request: Write -> handler -> the next request -> Write.
  static constexpr int kMaxInlineDepth = 4;

  Tcp::socket socket_;
  int inline_depth_ = 0;  // Write handlers running inside Write
};

}  // namespace

std::unique_ptr<Transport> NewPlainTransport(Tcp::socket socket) {
  return std::make_unique<PlainTransport>(std::move(socket));
}

TlsTransport::TlsTransport(Tcp::socket socket, std::shared_ptr<asio::ssl::context> context)
    : context_(std::move(context)), stream_(std::move(socket), *context_) {}

void TlsTransport::AsyncHandshake(std::function<void(const ErrorCode&)> handler) {
  stream_.async_handshake(asio::ssl::stream_base::server, std::move(handler));
}

std::string TlsTransport::AlpnProtocol() const {
  const unsigned char* data = nullptr;
  unsigned int len = 0;
  SSL_get0_alpn_selected(const_cast<asio::ssl::stream<Tcp::socket>&>(stream_).native_handle(),
                         &data, &len);
  return data ? std::string(reinterpret_cast<const char*>(data), len) : std::string();
}

void TlsTransport::AsyncReadSome(asio::mutable_buffer buffer, IoHandler handler) {
  stream_.async_read_some(buffer, std::move(handler));
}

void TlsTransport::AsyncWrite(asio::const_buffer buffer, IoHandler handler) {
  asio::async_write(stream_, buffer, std::move(handler));
}

void TlsTransport::Write(asio::const_buffer first, asio::const_buffer second,
                         IoHandler handler) {
  asio::async_write(stream_, std::array<asio::const_buffer, 2>{first, second}, std::move(handler));
}

void TlsTransport::AsyncSendFile(int fd, uint64_t offset, uint64_t length, IoHandler handler) {
  if (!file_buffer_) file_buffer_.reset(new char[kFileChunk]);
  SendFileChunk(fd, offset, length, 0, std::move(handler));
}

void TlsTransport::SendFileChunk(int fd, uint64_t offset, uint64_t left, uint64_t sent,
                                 IoHandler handler) {
  if (left == 0) return handler(ErrorCode(), sent);
  ssize_t n = ::pread(fd, file_buffer_.get(), left < kFileChunk ? left : kFileChunk,
                      static_cast<off_t>(offset));
  if (n <= 0) {
    return handler(n == 0 ? asio::error::eof : ErrorCode(errno, boost::system::system_category()),
                   sent);
  }
  asio::async_write(stream_, asio::buffer(file_buffer_.get(), static_cast<size_t>(n)),
                    [this, fd, offset, left, sent, handler = std::move(handler)](
                        const ErrorCode& ec, size_t written) mutable {
                      if (ec) return handler(ec, sent + written);
                      SendFileChunk(fd, offset + written, left - written, sent + written,
                                    std::move(handler));
                    });
}

bool TlsTransport::HasBufferedInput() const {
  return SSL_pending(const_cast<asio::ssl::stream<Tcp::socket>&>(stream_).native_handle()) > 0;
}

void TlsTransport::Close() {
  ErrorCode ignored;
  stream_.next_layer().shutdown(Tcp::socket::shutdown_both, ignored);
  stream_.next_layer().close(ignored);
}

}  // namespace registry
