// nghttp2's server session with the registry's bounds on every stream.
#include "server/http2_session.h"

#include <nghttp2/nghttp2.h>
#include <openssl/evp.h>

#include <boost/url/parse.hpp>

#include <cstring>

#include "base/ascii.h"

namespace registry {

using SteadyClock = std::chrono::steady_clock;

struct Http2Session::Stream {
  int32_t id = 0;
  HttpRequest request;
  ExchangeLog log;
  size_t header_bytes = 0;
  size_t header_fields = 0;
  std::string target;               // :path
  std::optional<uint64_t> declared;  // content-length
  BodyReservation reservation;
  uint64_t reserved = 0;
  uint64_t received = 0;
  bool refused = false;     // answered by the session (a limit); what follows is ignored
  bool remote_done = false;  // the client ended its side (END_STREAM received)
  bool reset_after_response = false;  // refused mid-body: RST_STREAM once the answer is out
  std::string range;        // the request's Range header, for a file response
  bool complete = false;    // the request was handed out (or refused)
  bool responded = false;
  bool head = false;
  SteadyClock::time_point deadline;
  // The response being sent.
  HttpResponse response;  // its body is sent from `body`; its headers are already submitted
  std::string body;
  size_t body_offset = 0;
  FileBody file;
  uint64_t sent = 0;
};

// Helpers nghttp2 calls back into; friends of the session.
struct Http2Callbacks {
  static Http2Session* Self(void* user_data) { return static_cast<Http2Session*>(user_data); }

  static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
    Http2Session* self = Self(user_data);
    auto stream = std::make_unique<Http2Session::Stream>();
    stream->id = frame->hd.stream_id;
    stream->log.protocol = "HTTP/2";
    stream->log.addr = self->remote_addr_;
    stream->log.start = SteadyClock::now();
    stream->deadline = stream->log.start + self->limits_.header_timeout;
    stream->request.remote_addr = self->remote_addr_;
    self->streams_[stream->id] = std::move(stream);
    return 0;
  }

  static int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name,
                      size_t name_len, const uint8_t* value, size_t value_len, uint8_t,
                      void* user_data) {
    Http2Session* self = Self(user_data);
    Http2Session::Stream* s = self->Find(frame->hd.stream_id);
    if (!s || s->refused) return 0;
    std::string_view n(reinterpret_cast<const char*>(name), name_len);
    std::string_view v(reinterpret_cast<const char*>(value), value_len);
    s->header_bytes += name_len + value_len + 32;
    if (s->header_bytes > self->limits_.max_header_bytes ||
        ++s->header_fields > self->limits_.max_header_fields) {
      self->Refuse(s, 431, "the request's header fields are larger than " +
                               std::to_string(self->limits_.max_header_bytes) + " bytes or more than " +
                               std::to_string(self->limits_.max_header_fields) + " lines");
      return 0;
    }
    if (n == ":method") {
      s->request.method = std::string(v);
    } else if (n == ":path") {
      if (v.size() > self->limits_.max_target) {
        self->Refuse(s, 414, "the request target is longer than " +
                                 std::to_string(self->limits_.max_target) + " bytes");
        return 0;
      }
      s->target = std::string(v);
    } else if (n == ":authority") {
      s->request.headers.emplace("host", std::string(v));
    } else if (!n.empty() && n[0] != ':') {
      auto [it, inserted] = s->request.headers.emplace(std::string(n), std::string(v));
      if (!inserted && n == "cookie") it->second += "; " + std::string(v);
      if (n == "content-length") {
        uint64_t length = 0;
        if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != v.npos ||
            !inserted) {
          self->Refuse(s, 400, "the request has an invalid or repeated content-length");
          return 0;
        }
        for (char c : v) length = length * 10 + static_cast<uint64_t>(c - '0');
        s->declared = length;
      }
    }
    return 0;
  }

  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
    Http2Session* self = Self(user_data);
    self->last_active_ = SteadyClock::now();
    switch (frame->hd.type) {
      case NGHTTP2_SETTINGS:
        if (frame->hd.flags & NGHTTP2_FLAG_ACK) self->settings_acked_ = true;
        break;
      case NGHTTP2_HEADERS: {
        Http2Session::Stream* s = self->Find(frame->hd.stream_id);
        if (!s) break;
        bool end = frame->hd.flags & NGHTTP2_FLAG_END_STREAM;
        if (end) s->remote_done = true;
        if (frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
          self->HeadersDone(s, end);
        } else if (end && !s->complete) {
          self->Complete(s);  // trailers end the request
        }
        break;
      }
      case NGHTTP2_DATA: {
        Http2Session::Stream* s = self->Find(frame->hd.stream_id);
        if (!s || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) break;
        s->remote_done = true;
        if (!s->complete) self->Complete(s);
        break;
      }
      default:
        break;
    }
    return 0;
  }

  static int OnDataChunk(nghttp2_session*, uint8_t, int32_t stream_id, const uint8_t* data,
                         size_t len, void* user_data) {
    Http2Session* self = Self(user_data);
    Http2Session::Stream* s = self->Find(stream_id);
    if (!s || s->refused || s->complete) return 0;
    s->received += len;
    uint64_t limit = s->declared ? *s->declared : self->limits_.max_body_size;
    if (s->received > limit) {
      self->Refuse(s, s->declared ? 400 : 413,
                   s->declared ? "the request body is longer than its content-length"
                               : "the request body is larger than " +
                                     std::to_string(self->limits_.max_body_size) + " bytes");
      return 0;
    }
    if (s->received > s->reserved) {  // no content-length: reserve as the body arrives
      uint64_t more = s->received - s->reserved;
      if (!self->budget_->TryReserve(more)) {
        self->Refuse(s, 503, "the server is receiving too many request bodies; try again shortly");
        return 0;
      }
      s->reserved += more;
      s->reservation.Add(self->budget_, more);
    }
    s->request.body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }

  // Once the answer to a request refused mid-body is out, the rest of its body is refused too
  // (a RST_STREAM sent earlier would overtake the answer in nghttp2's queues).
  static int OnFrameSend(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
    if (!(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) return 0;
    Http2Session::Stream* s = Self(user_data)->Find(frame->hd.stream_id);
    if (s && s->reset_after_response && !s->remote_done) {
      nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_NO_ERROR);
    }
    return 0;
  }

  static int OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user_data) {
    Http2Session* self = Self(user_data);
    auto it = self->streams_.find(stream_id);
    if (it == self->streams_.end()) return 0;
    Http2Session::Stream* s = it->second.get();
    if (s->responded && self->record_) self->record_(s->log, s->response, s->sent);
    self->streams_.erase(it);
    return 0;
  }

  static ssize_t ReadBody(nghttp2_session*, int32_t stream_id, uint8_t* buf, size_t length,
                          uint32_t* data_flags, nghttp2_data_source*, void* user_data) {
    Http2Session::Stream* s = Self(user_data)->Find(stream_id);
    if (!s) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    size_t n = 0;
    if (s->file.open()) {
      size_t want = s->file.length() < length ? static_cast<size_t>(s->file.length()) : length;
      ssize_t got = want ? ::pread(s->file.fd(), buf, want, static_cast<off_t>(s->file.offset())) : 0;
      if (got < 0 || (got == 0 && want > 0)) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
      n = static_cast<size_t>(got);
      s->file.Advance(n);
      if (s->file.length() == 0) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    } else {
      n = std::min(length, s->body.size() - s->body_offset);
      std::memcpy(buf, s->body.data() + s->body_offset, n);
      s->body_offset += n;
      if (s->body_offset == s->body.size()) *data_flags |= NGHTTP2_DATA_FLAG_EOF;
    }
    s->sent += n;
    return static_cast<ssize_t>(n);
  }
};

Http2Session::Http2Session(const Http2Limits& limits, BodyBudget* budget, std::string remote_addr,
                           PreflightFn preflight, RecordFn record)
    : limits_(limits), budget_(budget), remote_addr_(std::move(remote_addr)),
      preflight_(std::move(preflight)), record_(std::move(record)), created_(SteadyClock::now()),
      last_active_(created_) {
  nghttp2_session_callbacks* callbacks;
  nghttp2_session_callbacks_new(&callbacks);
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, Http2Callbacks::OnBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, Http2Callbacks::OnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, Http2Callbacks::OnFrameRecv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, Http2Callbacks::OnDataChunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, Http2Callbacks::OnStreamClose);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, Http2Callbacks::OnFrameSend);
  nghttp2_option* option;
  nghttp2_option_new(&option);
  nghttp2_option_set_stream_reset_rate_limit(option, limits_.reset_burst, limits_.reset_rate);
  nghttp2_option_set_max_settings(option, 32);
  nghttp2_session_server_new2(&session_, callbacks, this, option);
  nghttp2_option_del(option);
  nghttp2_session_callbacks_del(callbacks);

  nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, limits_.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, limits_.stream_window},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, static_cast<uint32_t>(limits_.max_header_bytes)},
      {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
  };
  nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                        static_cast<int32_t>(limits_.connection_window));
}

Http2Session::~Http2Session() {
  // nghttp2_session_del calls no stream-close callbacks; the streams go with the map.
  nghttp2_session_del(session_);
}

// base64url (RFC 4648 section 5, unpadded) to bytes; nullopt when malformed.
static std::optional<std::string> DecodeBase64Url(std::string_view text) {
  if (text.size() > 4096) return std::nullopt;
  std::string b64(text);
  for (char& c : b64) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  size_t padding = (4 - b64.size() % 4) % 4;
  if (padding == 3) return std::nullopt;
  b64.append(padding, '=');
  std::string out(b64.size() / 4 * 3, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n < 0) return std::nullopt;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

bool Http2Session::Upgrade(std::string_view settings_base64url, HttpRequest request) {
  std::optional<std::string> settings = DecodeBase64Url(settings_base64url);
  if (!settings) return false;
  bool head = request.method == "HEAD";
  if (nghttp2_session_upgrade2(session_, reinterpret_cast<const uint8_t*>(settings->data()),
                               settings->size(), head ? 1 : 0, nullptr) != 0) {
    return false;
  }
  auto stream = std::make_unique<Stream>();
  stream->id = 1;
  stream->log.protocol = "HTTP/2";
  stream->log.addr = remote_addr_;
  stream->log.method = request.method;
  stream->log.path = request.path;
  stream->log.start = SteadyClock::now();
  stream->head = head;
  stream->complete = true;
  stream->remote_done = true;
  stream->range = std::string(request.Header("range"));
  ready_.push_back(Request{1, std::move(request), head});
  streams_[1] = std::move(stream);
  return true;
}

bool Http2Session::Receive(const uint8_t* data, size_t size) {
  ssize_t n = nghttp2_session_mem_recv(session_, data, size);
  return n >= 0;
}

std::vector<Http2Session::Request> Http2Session::TakeRequests() {
  std::vector<Request> out;
  out.swap(ready_);
  return out;
}

Http2Session::Stream* Http2Session::Find(int32_t stream_id) {
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? nullptr : it->second.get();
}

void Http2Session::Refuse(Stream* s, int status, const std::string& detail) {
  s->refused = true;
  s->complete = true;
  s->request.body.clear();
  s->request.body.shrink_to_fit();
  s->reservation.Reset();
  s->reserved = 0;
  if (s->log.method.empty()) s->log.method = s->request.method;
  if (s->log.path.empty()) s->log.path = s->target.substr(0, s->target.find('?'));
  s->reset_after_response = true;
  Submit(s, ErrorResponse(status, detail));
}

void Http2Session::HeadersDone(Stream* s, bool end_stream) {
  if (s->refused) return;
  HttpRequest& req = s->request;
  auto url = boost::urls::parse_origin_form(s->target);
  if (req.method.empty() || !url) {
    return Refuse(s, 400, "the request has no method or an invalid :path");
  }
  req.path = url->path();
  for (const auto& param : url->params()) req.query.emplace(param.key, param.value);
  s->log.method = req.method;
  s->log.path = req.path;
  s->head = req.method == "HEAD";
  if (end_stream) return Complete(s);
  // A body follows.
  uint64_t length = s->declared.value_or(0);
  if (preflight_) {
    std::optional<HttpResponse> early = preflight_(req, length);
    if (early) {
      s->refused = true;
      s->complete = true;
      s->reset_after_response = true;
      Submit(s, std::move(*early));
      return;
    }
  }
  if (length > limits_.max_body_size) {
    return Refuse(s, 413, "the request body is larger than " +
                              std::to_string(limits_.max_body_size) + " bytes");
  }
  if (length > 0) {
    if (!budget_->TryReserve(length)) {
      return Refuse(s, 503, "the server is receiving too many request bodies; try again shortly");
    }
    s->reserved = length;
    s->reservation = BodyReservation(budget_, length);
    req.body.reserve(length);
  }
  // The body must keep moving: its whole length at the minimum rate, after the head's time.
  s->deadline = SteadyClock::now() + limits_.header_timeout +
                std::chrono::seconds(length / (limits_.body_min_rate ? limits_.body_min_rate : 1));
}

void Http2Session::Complete(Stream* s) {
  if (s->refused || s->complete) return;
  if (s->declared && s->received != *s->declared) {
    return Refuse(s, 400, "the request body is shorter than its content-length");
  }
  s->complete = true;
  s->range = std::string(s->request.Header("range"));
  ready_.push_back(Request{s->id, std::move(s->request), s->head});
  s->request = HttpRequest();
}

void Http2Session::Respond(int32_t stream_id, HttpResponse response) {
  Stream* s = Find(stream_id);
  if (!s || s->responded) return;
  Submit(s, std::move(response));
}

static bool IsConnectionHeader(const std::string& lower) {
  return lower == "connection" || lower == "keep-alive" || lower == "transfer-encoding" ||
         lower == "upgrade" || lower == "proxy-connection" || lower == "content-length";
}

void Http2Session::Submit(Stream* s, HttpResponse res) {
  s->responded = true;
  s->reservation.Reset();
  bool has_body = res.status != 304 && res.status != 204 && !res.content_type.empty();
  if (has_body && !res.file_path.empty()) {
    s->file = FileBody::Open(&res, s->range);
    if (!s->file.open()) s->body = std::move(res.body);
  } else if (has_body) {
    s->body = std::move(res.body);
  }
  uint64_t length = s->file.open() ? s->file.length() : s->body.size();

  std::vector<std::pair<std::string, std::string>> fields;
  fields.emplace_back(":status", std::to_string(res.status));
  if (has_body) {
    fields.emplace_back("content-type", res.content_type);
    fields.emplace_back("content-length", std::to_string(length));
  }
  for (const auto& [name, value] : res.headers) {
    std::string lower = AsciiLower(name);
    if (IsConnectionHeader(lower)) continue;
    fields.emplace_back(std::move(lower), value);
  }
  std::vector<nghttp2_nv> nva;
  nva.reserve(fields.size());
  for (auto& [name, value] : fields) {
    nva.push_back(nghttp2_nv{reinterpret_cast<uint8_t*>(name.data()),
                             reinterpret_cast<uint8_t*>(value.data()), name.size(), value.size(),
                             NGHTTP2_NV_FLAG_NONE});
  }
  res.body.clear();
  s->response = std::move(res);
  if (!has_body || s->head || length == 0) {
    s->body.clear();
    s->file = FileBody();
    nghttp2_submit_response(session_, s->id, nva.data(), nva.size(), nullptr);
    return;
  }
  nghttp2_data_provider provider{};
  provider.read_callback = Http2Callbacks::ReadBody;
  nghttp2_submit_response(session_, s->id, nva.data(), nva.size(), &provider);
}

size_t Http2Session::TakeOutput(std::string* out, size_t max) {
  size_t taken = 0;
  while (taken < max) {
    const uint8_t* data = nullptr;
    ssize_t n = nghttp2_session_mem_send(session_, &data);
    if (n <= 0) break;
    out->append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    taken += static_cast<size_t>(n);
  }
  return taken;
}

bool Http2Session::Done() const {
  if (nghttp2_session_want_write(session_)) return false;
  return !nghttp2_session_want_read(session_) || (shutting_down_ && streams_.empty());
}

void Http2Session::Tick(SteadyClock::time_point now) {
  if (!settings_acked_ && now - created_ > limits_.settings_timeout) {
    nghttp2_session_terminate_session(session_, NGHTTP2_SETTINGS_TIMEOUT);
    return;
  }
  for (auto& [id, s] : streams_) {
    if (!s->complete && now > s->deadline) {
      s->complete = true;
      s->refused = true;
      s->request.body.clear();
      s->reservation.Reset();
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    }
  }
  if (streams_.empty() && now - last_active_ > limits_.idle_timeout) {
    nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
  }
}

void Http2Session::Shutdown() {
  nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                        nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                        nullptr, 0);
  shutting_down_ = true;  // Done() once the streams already open are answered
}

}  // namespace registry
