// What every connection shares: the dispatcher, the bounds, its loop's registry of live
// connections (so a shutdown reaches each one) and its slot in the connection caps.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>

#include "http/metrics.h"
#include "server/dispatcher.h"
#include "server/http1_head.h"
#include "server/http2_session.h"
#include "server/limits.h"

namespace registry {

// The bytes a connection asks its transport for in one read, HTTP/1.1 and HTTP/2 alike.
constexpr size_t kConnectionReadSize = 16 << 10;

struct FrontEndLimits {
  HeadLimits head;
  Http2Limits http2;
  uint64_t max_body_size = 64ull << 20;
  std::chrono::milliseconds header_timeout{10000};  // the request head (and TLS handshake)
  std::chrono::milliseconds idle_timeout{60000};    // between keep-alive requests
  uint64_t body_min_rate = 16 << 10;                // bytes a second, for bodies and replies
};

// Shared by all connections; lives as long as the server. Read-only but for `stopping`.
struct FrontEnd {
  Dispatcher* dispatcher = nullptr;
  BodyBudget* budget = nullptr;
  Metrics* metrics = nullptr;  // may be null
  FrontEndLimits limits;
  std::atomic<bool> stopping{false};
};

// A live connection, as its loop's registry sees it.
class Connection {
 public:
  virtual ~Connection() = default;
  // The server is stopping: finish what is in flight, take no new requests, close. Called
  // on the connection's loop thread.
  virtual void Shutdown() = 0;
};

// The connections of one loop. Touched only on that loop's thread.
using LiveConnections = std::unordered_set<Connection*>;

// A connection's place in the caps and in its loop's registry, released when destroyed.
// Moves from the HTTP/1.1 connection to the HTTP/2 one on an upgrade.
class ConnectionSlot {
 public:
  ConnectionSlot(ConnectionLimits* limits, std::string address, LiveConnections* live)
      : limits_(limits), address_(std::move(address)), live_(live) {}
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot() {
    if (owner_) live_->erase(owner_);
    limits_->Release(address_);
  }
  // Registers `owner` (in place of any earlier one) for shutdowns.
  void Register(Connection* owner) {
    if (owner_) live_->erase(owner_);
    owner_ = owner;
    live_->insert(owner);
  }
  void Unregister(Connection* owner) {
    if (owner_ == owner) {
      live_->erase(owner);
      owner_ = nullptr;
    }
  }
  const std::string& address() const { return address_; }

 private:
  ConnectionLimits* limits_;
  std::string address_;
  LiveConnections* live_;
  Connection* owner_ = nullptr;
};

}  // namespace registry
