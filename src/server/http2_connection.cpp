// Driving an Http2Session over a socket.
#include "server/http2_connection.h"

namespace registry {

static constexpr size_t kWriteChunk = 64 << 10;

Http2Connection::Http2Connection(FrontEnd* front, std::unique_ptr<Transport> transport,
                                 std::unique_ptr<ConnectionSlot> slot,
                                 const LoopExecutor& executor)
    : front_(front), transport_(std::move(transport)), slot_(std::move(slot)),
      executor_(executor), ticker_(executor), read_buffer_(new char[kConnectionReadSize]) {
  slot_->Register(this);
}

Http2Connection::~Http2Connection() { slot_->Unregister(this); }

void Http2Connection::Start(std::string received, std::unique_ptr<Upgrade> upgrade) {
  if (front_->metrics) front_->metrics->RecordConnection(true);
  Dispatcher* dispatcher = front_->dispatcher;
  session_ = std::make_unique<Http2Session>(
      front_->limits.http2, front_->budget, slot_->address(),
      [dispatcher](const HttpRequest& req, uint64_t length) {
        return dispatcher->Preflight(req, length);
      },
      [dispatcher](const ExchangeLog& log, const HttpResponse& res, uint64_t bytes) {
        dispatcher->Record(log, res, bytes);
      });
  if (upgrade && !session_->Upgrade(upgrade->settings, std::move(upgrade->request))) {
    return Close();
  }
  if (front_->stopping) session_->Shutdown();
  Tick();
  Feed(reinterpret_cast<const uint8_t*>(received.data()), received.size());
  if (!closed_ && !failed_) Read();
}

void Http2Connection::Shutdown() {
  if (closed_ || !session_) return;
  session_->Shutdown();
  Flush();
}

void Http2Connection::Read() {
  auto self = shared_from_this();
  transport_->AsyncReadSome(boost::asio::buffer(read_buffer_.get(), kConnectionReadSize),
                            [self](const ErrorCode& ec, size_t n) {
                              if (self->closed_) return;
                              if (ec) return self->Close();
                              self->Feed(reinterpret_cast<const uint8_t*>(self->read_buffer_.get()),
                                         n);
                              if (!self->closed_ && !self->failed_) self->Read();
                            });
}

void Http2Connection::Feed(const uint8_t* data, size_t size) {
  // After a protocol error the session reads nothing more: send its GOAWAY, then close.
  if (size > 0 && !session_->Receive(data, size)) failed_ = true;
  DispatchReady();
  Flush();
}

void Http2Connection::DispatchReady() {
  for (Http2Session::Request& ready : session_->TakeRequests()) {
    std::weak_ptr<Http2Connection> weak = weak_from_this();
    int32_t id = ready.stream_id;
    front_->dispatcher->Dispatch(std::move(ready.request), executor_,
                                 [weak, id](HttpResponse res) {
                                   auto self = weak.lock();
                                   if (!self || self->closed_) return;
                                   self->session_->Respond(id, std::move(res));
                                   self->Flush();
                                 });
  }
}

void Http2Connection::Flush() {
  if (writing_ || closed_) return;
  out_.clear();
  session_->TakeOutput(&out_, kWriteChunk);
  if (out_.empty()) {
    if (failed_ || session_->Done()) Close();
    return;
  }
  writing_ = true;
  write_started_ = std::chrono::steady_clock::now();
  auto self = shared_from_this();
  transport_->AsyncWrite(boost::asio::buffer(out_), [self](const ErrorCode& ec, size_t) {
    self->writing_ = false;
    if (self->closed_) return;
    if (ec) return self->Close();
    self->DispatchReady();
    self->Flush();
  });
}

void Http2Connection::Tick() {
  if (closed_) return;
  auto now = std::chrono::steady_clock::now();
  // A client that stops reading holds its answers' memory: it gets the idle timeout, then
  // the connection closes.
  if (writing_ && now - write_started_ > front_->limits.idle_timeout) return Close();
  session_->Tick(now);
  Flush();
  ticker_.expires_after(std::chrono::seconds(1));
  std::weak_ptr<Http2Connection> weak = weak_from_this();
  ticker_.async_wait([weak](const ErrorCode& ec) {
    auto self = weak.lock();
    if (!ec && self) self->Tick();
  });
}

void Http2Connection::Close() {
  if (closed_) return;
  closed_ = true;
  ticker_.cancel();
  transport_->Close();
}

}  // namespace registry
