// Fuzzes Http2Session, the front end's nghttp2 server session, with a client's bytes split in
// two reads, answering each complete request at once, and draining the output as a connection
// would. Under ASan/UBSan: no crash, leak or overflow whatever the client sends, and the body
// budget is fully released once the session is gone.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "server/http2_session.h"

static constexpr std::string_view kPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::BodyBudget budget(1 << 20);
  {
    registry::Http2Limits limits;
    limits.max_body_size = 64 << 10;
    limits.max_concurrent_streams = 8;
    registry::Http2Session session(limits, &budget, "127.0.0.1", nullptr, nullptr);
    // Most inputs start with the preface, so the fuzzer spends its time on frames.
    std::string input(kPreface);
    input.append(reinterpret_cast<const char*>(data), size);
    size_t half = input.size() / 2;
    std::string out;
    for (auto [from, len] : {std::pair{size_t{0}, half}, std::pair{half, input.size() - half}}) {
      bool alive =
          session.Receive(reinterpret_cast<const uint8_t*>(input.data()) + from, len);
      for (registry::Http2Session::Request& r : session.TakeRequests()) {
        registry::HttpResponse res;
        res.body = r.request.path + " " + std::to_string(r.request.body.size());
        res.content_type = "text/plain";
        session.Respond(r.stream_id, std::move(res));
      }
      out.clear();
      while (session.TakeOutput(&out, 1 << 16) > 0) out.clear();
      if (!alive) break;
    }
    session.Tick(std::chrono::steady_clock::now() + std::chrono::hours(1));
    while (session.TakeOutput(&out, 1 << 16) > 0) out.clear();
  }
  if (budget.used() != 0) __builtin_trap();
  return 0;
}
