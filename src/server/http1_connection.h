// An HTTP/1.1 connection: requests read one at a time (pipelined ones wait in the buffer and
// are answered in order), each head within the header timeout, each body at a minimum rate
// and within the body budget; `Upgrade: h2c` and the HTTP/2 preface hand the connection to
// Http2Connection.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "server/connection.h"
#include "server/file_body.h"
#include "server/transport.h"

namespace registry {

class Http1Connection : public Connection, public std::enable_shared_from_this<Http1Connection> {
 public:
  // `sniff_preface`: a plain connection, where a client with prior knowledge may start
  // HTTP/2 at once.
  Http1Connection(FrontEnd* front, std::unique_ptr<Transport> transport,
                  std::unique_ptr<ConnectionSlot> slot, const LoopExecutor& executor,
                  bool sniff_preface);
  ~Http1Connection() override;

  void Start();
  void Shutdown() override;

 private:
  enum class Phase { kIdle, kHead, kBody, kHandling, kWriting, kLinger, kClosed };

  void ReadHead();
  void ReadHeadMore();
  void OnHeadBytes();
  void HandleHead(RequestHead head);
  void ReadBody();
  void Handle();
  void Reply(HttpResponse res);
  void Finish();
  void ReplyAndClose(int status, const std::string& detail);
  void LingerClose();
  void Drain();
  void SwitchToHttp2(std::unique_ptr<struct Http2Upgrade> upgrade);
  void ArmTimer(std::chrono::steady_clock::duration timeout);
  void WaitForDeadline();
  void StopDeadline();
  void Close();

  FrontEnd* front_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<ConnectionSlot> slot_;
  LoopExecutor executor_;
  bool sniff_preface_;
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;  // the current phase's; close when passed
  bool timer_waiting_ = false;
  Phase phase_ = Phase::kIdle;
  bool shutting_down_ = false;
  std::string in_;  // received and not yet parsed
  std::unique_ptr<char[]> read_buffer_;

  // The request being served.
  RequestHead head_;
  ExchangeLog log_;
  BodyReservation reservation_;
  bool is_head_ = false;
  std::string range_;  // the request's Range header
  bool close_after_ = false;
  HttpResponse response_;
  std::string out_;
  FileBody file_;
  uint64_t body_bytes_ = 0;
};

}  // namespace registry
