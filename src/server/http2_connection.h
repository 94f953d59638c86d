// An HTTP/2 connection: moves bytes between a Transport and an Http2Session, hands complete
// requests to the dispatcher and their answers back to the session.
#pragma once

#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

#include "server/connection.h"
#include "server/transport.h"

namespace registry {

class Http2Connection : public Connection, public std::enable_shared_from_this<Http2Connection> {
 public:
  Http2Connection(FrontEnd* front, std::unique_ptr<Transport> transport,
                  std::unique_ptr<ConnectionSlot> slot, const LoopExecutor& executor);
  ~Http2Connection() override;

  // Starts with `received` (bytes already read: the client preface, or what followed an
  // upgrade request). With `upgrade`, the request of an `Upgrade: h2c` becomes stream 1.
  struct Upgrade {
    std::string settings;
    HttpRequest request;
  };
  void Start(std::string received, std::unique_ptr<Upgrade> upgrade);
  void Shutdown() override;

 private:
  void Read();
  void Feed(const uint8_t* data, size_t size);
  void DispatchReady();
  void Flush();
  void Tick();
  void Close();

  FrontEnd* front_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<ConnectionSlot> slot_;
  LoopExecutor executor_;
  std::unique_ptr<Http2Session> session_;
  boost::asio::steady_timer ticker_;
  std::unique_ptr<char[]> read_buffer_;
  std::string out_;
  bool writing_ = false;
  std::chrono::steady_clock::time_point write_started_;
  bool closed_ = false;
  bool failed_ = false;  // the client broke the protocol: flush the GOAWAY, then close
};

}  // namespace registry
