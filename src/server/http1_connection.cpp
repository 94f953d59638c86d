// The HTTP/1.1 state machine: idle -> head -> body -> handling -> writing -> idle (or closed).
#include "server/http1_connection.h"

#include <boost/beast/http/status.hpp>

#include <ctime>

#include "http/http_date.h"
#include "server/http2_connection.h"

namespace registry {

using SteadyClock = std::chrono::steady_clock;

static constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
// After a reply that closes the connection, how long the rest of a refused request is read
// and dropped, so the client gets the reply rather than a reset.
static constexpr auto kLingerTime = std::chrono::seconds(2);
// Files up to this size are read and sent with the head; larger ones by sendfile.
static constexpr uint64_t kInlineFileBytes = 32 << 10;

struct Http2Upgrade {
  std::string settings;
  HttpRequest request;
};

// The Date header's value, formatted once a second per loop thread.
static const std::string& DateNow() {
  thread_local int64_t second = -1;
  thread_local std::string text;
  int64_t now = static_cast<int64_t>(std::time(nullptr));
  if (now != second) {
    second = now;
    text = FormatHttpDate(now);
  }
  return text;
}

// Whether `text` holds a CR or LF (or, for a name, a colon). A byte loop: find_first_of
// calls memchr once per byte, which a dozen headers per response made a measurable cost.
static bool HasLineBreak(std::string_view text, bool colon) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || (colon && c == ':')) return true;
  }
  return false;
}

// `name` equals the lower-case `lower`, ignoring ASCII case.
static bool NameIs(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// A header the handler set that may be sent as it is: the transport writes the framing ones,
// and nothing with a line break in it goes out (no response splitting).
static bool Sendable(std::string_view name, std::string_view value) {
  if (HasLineBreak(name, true) || HasLineBreak(value, false)) return false;
  return !(NameIs(name, "content-length") || NameIs(name, "connection") ||
           NameIs(name, "transfer-encoding"));
}

Http1Connection::Http1Connection(FrontEnd* front, std::unique_ptr<Transport> transport,
                                 std::unique_ptr<ConnectionSlot> slot,
                                 const LoopExecutor& executor, bool sniff_preface)
    : front_(front), transport_(std::move(transport)), slot_(std::move(slot)),
      executor_(executor), sniff_preface_(sniff_preface), timer_(executor),
      read_buffer_(new char[kConnectionReadSize]) {
  slot_->Register(this);
}

Http1Connection::~Http1Connection() {
  if (slot_) slot_->Unregister(this);
}

void Http1Connection::Start() {
  if (front_->metrics) front_->metrics->RecordConnection(false);
  ArmTimer(front_->limits.header_timeout);
  phase_ = Phase::kHead;  // the first request's head is due within the header timeout
  ReadHead();
}

void Http1Connection::Shutdown() {
  shutting_down_ = true;
  if (phase_ == Phase::kIdle) Close();
}

// Moving a deadline only writes deadline_; the timer is re-armed when the new deadline is
// earlier than the one it waits for, or when it fires early. (Re-arming on every request
// cost a cancelled wait and a handler call each time.)
void Http1Connection::ArmTimer(SteadyClock::duration timeout) {
  deadline_ = SteadyClock::now() + timeout;
  if (timer_waiting_ && timer_.expiry() <= deadline_) return;
  WaitForDeadline();
}

void Http1Connection::WaitForDeadline() {
  timer_.expires_at(deadline_);
  timer_waiting_ = true;
  std::weak_ptr<Http1Connection> weak = weak_from_this();
  timer_.async_wait([weak](const ErrorCode& ec) {
    auto self = weak.lock();
    if (!self || ec) return;  // re-armed (a newer wait is pending) or cancelled
    self->timer_waiting_ = false;
    // No deadline while a handler runs: Reply() sets the next one.
    if (self->phase_ == Phase::kClosed || self->phase_ == Phase::kHandling) return;
    if (SteadyClock::now() >= self->deadline_) return self->Close();
    self->WaitForDeadline();
  });
}

void Http1Connection::StopDeadline() {
  // The pending wait stays; it finds the connection handling a request and lapses.
  deadline_ = SteadyClock::time_point::max();
}

void Http1Connection::ReadHead() {
  if (!in_.empty()) {  // a pipelined request: its head is due within the header timeout
    ArmTimer(front_->limits.header_timeout);
    return OnHeadBytes();
  }
  if (phase_ == Phase::kIdle && shutting_down_) return Close();
  ReadHeadMore();
}

void Http1Connection::OnHeadBytes() {
  phase_ = Phase::kHead;
  if (sniff_preface_) {
    size_t n = std::min(in_.size(), kPreface.size());
    if (in_.compare(0, n, kPreface.substr(0, n)) != 0) {
      sniff_preface_ = false;
    } else if (n < kPreface.size()) {
      return ReadHeadMore();
    } else {
      return SwitchToHttp2(nullptr);
    }
  }
  RequestHead head;
  size_t consumed = 0;
  HeadError error;
  switch (ParseRequestHead(in_, front_->limits.head, &head, &consumed, &error)) {
    case HeadParse::kNeedMore:
      return ReadHeadMore();
    case HeadParse::kError:
      log_ = ExchangeLog{"HTTP/1.1", slot_->address(), "", "", SteadyClock::now()};
      in_.clear();
      return ReplyAndClose(error.status, error.detail);
    case HeadParse::kDone:
      in_.erase(0, consumed);
      sniff_preface_ = false;
      return HandleHead(std::move(head));
  }
}

void Http1Connection::ReadHeadMore() {
  auto self = shared_from_this();
  transport_->AsyncReadSome(
      boost::asio::buffer(read_buffer_.get(), kConnectionReadSize), [self](const ErrorCode& ec, size_t n) {
        if (self->phase_ == Phase::kClosed) return;
        if (ec) return self->Close();
        self->in_.append(self->read_buffer_.get(), n);
        if (self->phase_ == Phase::kIdle) {  // the first byte of a head: its clock starts
          self->phase_ = Phase::kHead;
          self->ArmTimer(self->front_->limits.header_timeout);
        }
        self->OnHeadBytes();
      });
}

void Http1Connection::HandleHead(RequestHead head) {
  head_ = std::move(head);
  HttpRequest& req = head_.request;
  req.remote_addr = slot_->address();
  log_ = ExchangeLog{head_.version == 10 ? "HTTP/1.0" : "HTTP/1.1", slot_->address(), req.method,
                     req.path, SteadyClock::now()};
  is_head_ = req.method == "HEAD";
  close_after_ = !head_.keep_alive || shutting_down_ || front_->stopping;
  range_ = std::string(req.Header("range"));

  if (head_.h2c_upgrade && !transport_->is_tls() && !close_after_) {
    auto upgrade = std::make_unique<Http2Upgrade>();
    upgrade->settings = std::move(head_.http2_settings);
    upgrade->request = std::move(req);
    return SwitchToHttp2(std::move(upgrade));
  }
  uint64_t length = head_.content_length;
  if (length == 0) return Handle();
  // The Api's refusal first: it says why in the terms of the route (a publish's limits).
  if (std::optional<HttpResponse> early = front_->dispatcher->Preflight(req, length)) {
    close_after_ = true;
    return Reply(std::move(*early));
  }
  if (length > front_->limits.max_body_size) {
    return ReplyAndClose(413, "the request body is larger than " +
                                  std::to_string(front_->limits.max_body_size) + " bytes");
  }
  if (!front_->budget->TryReserve(length)) {
    return ReplyAndClose(503, "the server is receiving too many request bodies; try again shortly");
  }
  reservation_ = BodyReservation(front_->budget, length);
  size_t from_buffer = static_cast<size_t>(std::min<uint64_t>(length, in_.size()));
  req.body.reserve(length);
  req.body.assign(in_, 0, from_buffer);
  in_.erase(0, from_buffer);
  // The whole body must arrive at the minimum rate, after the time a head gets.
  phase_ = Phase::kBody;
  ArmTimer(front_->limits.header_timeout +
           std::chrono::seconds(length / std::max<uint64_t>(front_->limits.body_min_rate, 1)));
  if (head_.expect_continue && req.body.size() < length) {
    static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
    auto self = shared_from_this();
    transport_->AsyncWrite(boost::asio::buffer(kContinue.data(), kContinue.size()),
                           [self](const ErrorCode& ec, size_t) {
                             if (self->phase_ == Phase::kClosed) return;
                             if (ec) return self->Close();
                             self->ReadBody();
                           });
    return;
  }
  ReadBody();
}

void Http1Connection::ReadBody() {
  std::string& body = head_.request.body;
  if (body.size() >= head_.content_length) return Handle();
  size_t want = static_cast<size_t>(std::min<uint64_t>(head_.content_length - body.size(), kConnectionReadSize));
  auto self = shared_from_this();
  transport_->AsyncReadSome(boost::asio::buffer(read_buffer_.get(), want),
                            [self](const ErrorCode& ec, size_t n) {
                              if (self->phase_ == Phase::kClosed) return;
                              if (ec) return self->Close();
                              self->head_.request.body.append(self->read_buffer_.get(), n);
                              self->ReadBody();
                            });
}

void Http1Connection::Handle() {
  phase_ = Phase::kHandling;
  StopDeadline();
  // The answer holds the connection: no read is pending while the request is handled.
  auto self = shared_from_this();
  front_->dispatcher->Dispatch(std::move(head_.request), executor_, [self](HttpResponse res) {
    if (self->phase_ != Phase::kClosed) self->Reply(std::move(res));
  });
}

void Http1Connection::ReplyAndClose(int status, const std::string& detail) {
  close_after_ = true;
  Reply(ErrorResponse(status, detail));
}

void Http1Connection::Reply(HttpResponse res) {
  phase_ = Phase::kWriting;
  reservation_.Reset();
  head_.request = HttpRequest();
  response_ = std::move(res);
  bool has_body =
      response_.status != 304 && response_.status != 204 && !response_.content_type.empty();
  if (has_body && !response_.file_path.empty()) {
    file_ = FileBody::Open(&response_, range_);
    // A small file goes out in the head's write, one segment as with nginx's tcp_nopush,
    // rather than by sendfile after it (a docs page load is a dozen such files).
    if (file_.open() && !is_head_ && file_.length() <= kInlineFileBytes &&
        file_.ReadAll(&response_.body)) {
      file_ = FileBody();
    }
  }
  uint64_t length = file_.open() ? file_.length() : (has_body ? response_.body.size() : 0);

  namespace http = boost::beast::http;
  std::string_view reason = http::obsolete_reason(http::int_to_status(response_.status));
  out_.clear();
  out_ += "HTTP/1.1 ";
  out_ += std::to_string(response_.status);
  out_ += ' ';
  out_.append(reason.data(), reason.size());
  out_ += "\r\nDate: ";
  out_ += DateNow();
  if (has_body) {
    out_ += "\r\nContent-Type: ";
    out_ += response_.content_type;
  }
  if (response_.status != 304 && response_.status != 204) {
    out_ += "\r\nContent-Length: ";
    out_ += std::to_string(length);
  }
  for (const auto& [name, value] : response_.headers) {
    if (!Sendable(name, value)) continue;
    out_ += "\r\n";
    out_ += name;
    out_ += ": ";
    out_ += value;
  }
  if (close_after_) out_ += "\r\nConnection: close";
  out_ += "\r\n\r\n";
  body_bytes_ = is_head_ || !has_body ? 0 : length;
  if (!has_body || is_head_ || file_.open()) response_.body.clear();

  ArmTimer(front_->limits.idle_timeout +
           std::chrono::seconds(length / std::max<uint64_t>(front_->limits.body_min_rate, 1)));
  // The head and a body from memory go out in one gathered write.
  auto self = shared_from_this();
  transport_->Write(boost::asio::buffer(out_), boost::asio::buffer(response_.body),
                         [self](const ErrorCode& ec, size_t) {
    if (self->phase_ == Phase::kClosed) return;
    if (ec) return self->Close();
    if (!self->file_.open() || self->is_head_) return self->Finish();
    self->transport_->AsyncSendFile(self->file_.fd(), self->file_.offset(), self->file_.length(),
                                    [self](const ErrorCode& ec, size_t) {
                                      if (self->phase_ == Phase::kClosed) return;
                                      if (ec) return self->Close();
                                      self->Finish();
                                    });
  });
}

void Http1Connection::Finish() {
  front_->dispatcher->Record(log_, response_, body_bytes_);
  file_ = FileBody();
  response_ = HttpResponse();
  range_.clear();
  is_head_ = false;
  out_.clear();
  if (out_.capacity() > (64 << 10)) out_.shrink_to_fit();
  if (close_after_ || shutting_down_) return LingerClose();
  phase_ = Phase::kIdle;
  ArmTimer(front_->limits.idle_timeout);
  ReadHead();
}

void Http1Connection::LingerClose() {
  phase_ = Phase::kLinger;
  ErrorCode ignored;
  transport_->socket().shutdown(Tcp::socket::shutdown_send, ignored);
  ArmTimer(kLingerTime);
  Drain();
}

void Http1Connection::Drain() {
  auto self = shared_from_this();
  transport_->AsyncReadSome(boost::asio::buffer(read_buffer_.get(), kConnectionReadSize),
                            [self](const ErrorCode& ec, size_t) {
                              if (self->phase_ == Phase::kClosed) return;
                              if (ec) return self->Close();
                              self->Drain();
                            });
}

void Http1Connection::SwitchToHttp2(std::unique_ptr<Http2Upgrade> upgrade) {
  phase_ = Phase::kClosed;  // this object is done; the HTTP/2 connection takes the socket
  timer_.cancel();
  auto start = [front = front_, executor = executor_](std::unique_ptr<Transport> transport,
                                                      std::unique_ptr<ConnectionSlot> slot,
                                                      std::string received,
                                                      std::unique_ptr<Http2Upgrade> upgrade) {
    auto h2 = std::make_shared<Http2Connection>(front, std::move(transport), std::move(slot),
                                                executor);
    std::unique_ptr<Http2Connection::Upgrade> up;
    if (upgrade) {
      up = std::make_unique<Http2Connection::Upgrade>();
      up->settings = std::move(upgrade->settings);
      up->request = std::move(upgrade->request);
    }
    h2->Start(std::move(received), std::move(up));
  };
  if (!upgrade) return start(std::move(transport_), std::move(slot_), std::move(in_), nullptr);
  static constexpr std::string_view kSwitching =
      "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n";
  auto self = shared_from_this();
  transport_->AsyncWrite(
      boost::asio::buffer(kSwitching.data(), kSwitching.size()),
      [self, start, up = std::shared_ptr<Http2Upgrade>(std::move(upgrade))](const ErrorCode& ec,
                                                                           size_t) {
        if (ec) return self->transport_->Close();
        start(std::move(self->transport_), std::move(self->slot_), std::move(self->in_),
              std::make_unique<Http2Upgrade>(std::move(*up)));
      });
}

void Http1Connection::Close() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  timer_.cancel();
  transport_->Close();
}

}  // namespace registry
