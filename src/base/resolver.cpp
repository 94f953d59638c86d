// Name resolution with c-ares, bounded by a deadline, polled without select() (fd numbers in a
// busy server pass FD_SETSIZE).
#include "base/resolver.h"

#include <arpa/inet.h>
#include <ares.h>
#include <netinet/in.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <mutex>

namespace registry {

namespace {

bool IsNumeric(const std::string& host) {
  in6_addr buf;
  return inet_pton(AF_INET, host.c_str(), &buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), &buf) == 1;
}

// What one ares_getaddrinfo call answered; written by its callback only.
struct Lookup {
  bool done = false;
  int status = ARES_ENOTFOUND;
  std::string v4;
  std::string v6;
};

void OnAnswer(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
  auto* lookup = static_cast<Lookup*>(arg);
  lookup->done = true;
  lookup->status = status;
  if (result == nullptr) return;
  for (ares_addrinfo_node* node = result->nodes; node != nullptr; node = node->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    if (node->ai_family == AF_INET && lookup->v4.empty()) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(node->ai_addr);
      if (inet_ntop(AF_INET, &sin->sin_addr, text, sizeof text)) lookup->v4 = text;
    } else if (node->ai_family == AF_INET6 && lookup->v6.empty()) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(node->ai_addr);
      if (inet_ntop(AF_INET6, &sin6->sin6_addr, text, sizeof text)) lookup->v6 = text;
    }
  }
  ares_freeaddrinfo(result);
}

// Owns a c-ares channel; destroying it runs pending callbacks with ARES_EDESTRUCTION.
class Channel {
 public:
  Channel() = default;
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;
  ~Channel() {
    if (channel_ != nullptr) ares_destroy(channel_);
  }
  ares_channel* out() { return &channel_; }
  ares_channel get() const { return channel_; }

 private:
  ares_channel channel_ = nullptr;
};

int InitLibrary() {
  static std::once_flag once;
  static int status = ARES_SUCCESS;
  std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
  return status;
}

// Waits for the channel's sockets (or its next retry) and lets c-ares process them, at most
// until `deadline`.
void Step(ares_channel channel, std::chrono::steady_clock::time_point deadline) {
  ares_socket_t socks[ARES_GETSOCK_MAXNUM];
  int bits = ares_getsock(channel, socks, ARES_GETSOCK_MAXNUM);
  pollfd fds[ARES_GETSOCK_MAXNUM];
  int count = 0;
  for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
    short events = 0;
    if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
    if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
    if (events == 0) continue;
    fds[count++] = pollfd{socks[i], events, 0};
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  timeval max_wait{static_cast<time_t>(left.count() / 1000),
                   static_cast<suseconds_t>(left.count() % 1000 * 1000)};
  timeval wait_tv;
  timeval* next = ares_timeout(channel, &max_wait, &wait_tv);
  int wait_ms = static_cast<int>(next->tv_sec * 1000 + next->tv_usec / 1000);
  int ready = poll(fds, count, std::max(wait_ms, 1));
  if (ready <= 0) {
    // Nothing arrived: let c-ares retry or give up the queries whose time is out.
    if (ready == 0 || errno == EINTR) ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
    return;
  }
  for (int i = 0; i < count; ++i) {
    bool readable = fds[i].revents & (POLLIN | POLLERR | POLLHUP);
    bool writable = fds[i].revents & POLLOUT;
    if (!readable && !writable) continue;
    ares_process_fd(channel, readable ? fds[i].fd : ARES_SOCKET_BAD,
                    writable ? fds[i].fd : ARES_SOCKET_BAD);
  }
}

}  // namespace

Result<std::string> ResolveHost(const std::string& host, std::chrono::milliseconds timeout) {
  if (host.empty()) return Status::Invalid("cannot resolve an empty host name");
  if (IsNumeric(host)) return host;
  auto fail = [&](const std::string& why) {
    return Status::Unavailable("cannot resolve " + host + ": " + why);
  };
  int rc = InitLibrary();
  if (rc != ARES_SUCCESS) return fail(ares_strerror(rc));

  // One try per server within half the budget, a second try within the rest.
  ares_options options{};
  options.timeout = static_cast<int>(std::max<int64_t>(timeout.count() / 2, 50));
  options.tries = 2;
  Lookup lookup;  // outlives the channel, whose destruction may still call OnAnswer
  Channel channel;
  rc = ares_init_options(channel.out(), &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
  if (rc != ARES_SUCCESS) return fail(ares_strerror(rc));

  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  ares_getaddrinfo(channel.get(), host.c_str(), nullptr, &hints, OnAnswer, &lookup);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!lookup.done && std::chrono::steady_clock::now() < deadline) Step(channel.get(), deadline);

  if (!lookup.done) {
    return Status::Timeout("cannot resolve " + host + ": no answer within " +
                           std::to_string(timeout.count()) + " ms");
  }
  if (lookup.status != ARES_SUCCESS) return fail(ares_strerror(lookup.status));
  if (!lookup.v4.empty()) return lookup.v4;
  if (!lookup.v6.empty()) return lookup.v6;
  return fail("no IPv4 or IPv6 address");
}

}  // namespace registry
