// A connection's byte stream, plain TCP or TLS, behind one small interface so the HTTP/1.1
// and HTTP/2 code is written once. Every method is called on the connection's loop thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace registry {

using Tcp = boost::asio::ip::tcp;
using ErrorCode = boost::system::error_code;
using IoHandler = std::function<void(const ErrorCode&, size_t)>;

class Transport {
 public:
  virtual ~Transport() = default;
  // Reads at least one byte into `buffer` (which must stay alive until the handler runs).
  virtual void AsyncReadSome(boost::asio::mutable_buffer buffer, IoHandler handler) = 0;
  // Writes all of `buffer` (alive until the handler runs).
  virtual void AsyncWrite(boost::asio::const_buffer buffer, IoHandler handler) = 0;
  // Writes all of `first`, then all of `second`, in one gathered write where it can. Unlike
  // AsyncWrite, the handler may run before this returns: on plain TCP, when the socket takes
  // it all at once (a round through the loop per response was a measurable cost), up to a
  // few such calls deep; past that, and under TLS, it runs from the loop.
  virtual void Write(boost::asio::const_buffer first, boost::asio::const_buffer second,
                     IoHandler handler) = 0;
  // Sends `length` bytes of the open file `fd` from `offset`: sendfile(2) on plain TCP, a
  // 64 KiB buffer at a time under TLS. The handler gets the bytes sent. `fd` stays the
  // caller's.
  virtual void AsyncSendFile(int fd, uint64_t offset, uint64_t length, IoHandler handler) = 0;
  // Whether bytes already received wait inside the transport (TLS records decrypted but not
  // yet read), so a read would complete at once.
  virtual bool HasBufferedInput() const = 0;
  virtual bool is_tls() const = 0;
  // Closes the socket: pending operations complete with an error.
  virtual void Close() = 0;
  virtual Tcp::socket& socket() = 0;
};

// Plain TCP.
std::unique_ptr<Transport> NewPlainTransport(Tcp::socket socket);

// TLS over `socket`; Handshake() first. Keeps `context` alive for the connection's life.
class TlsTransport : public Transport {
 public:
  TlsTransport(Tcp::socket socket, std::shared_ptr<boost::asio::ssl::context> context);
  void AsyncHandshake(std::function<void(const ErrorCode&)> handler);
  // The protocol ALPN chose ("h2", "http/1.1"), or "" when the client offered none.
  std::string AlpnProtocol() const;

  void AsyncReadSome(boost::asio::mutable_buffer buffer, IoHandler handler) override;
  void AsyncWrite(boost::asio::const_buffer buffer, IoHandler handler) override;
  void Write(boost::asio::const_buffer first, boost::asio::const_buffer second,
             IoHandler handler) override;
  void AsyncSendFile(int fd, uint64_t offset, uint64_t length, IoHandler handler) override;
  bool HasBufferedInput() const override;
  bool is_tls() const override { return true; }
  void Close() override;
  Tcp::socket& socket() override { return stream_.next_layer(); }

 private:
  void SendFileChunk(int fd, uint64_t offset, uint64_t left, uint64_t sent, IoHandler handler);
  std::shared_ptr<boost::asio::ssl::context> context_;
  boost::asio::ssl::stream<Tcp::socket> stream_;
  std::unique_ptr<char[]> file_buffer_;  // 64 KiB, allocated on the first file sent
};

}  // namespace registry
