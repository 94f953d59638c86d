// An HTTP/1.1 request head, parsed by Boost.Beast's parser and held to the front end's bounds
// and framing rules: what a request may carry before anything else reads it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/message.h"

namespace registry {

struct HeadLimits {
  size_t max_target = 8 << 10;  // request target; longer: 414
  size_t max_head = 16 << 10;   // request line and header fields; larger: 431
  size_t max_fields = 100;      // header lines; more: 431
};

// A head that passed every check. The body, if any, is `content_length` bytes that follow.
struct RequestHead {
  HttpRequest request;  // method, decoded path, query and lower-cased headers; no body yet
  uint64_t content_length = 0;
  int version = 11;             // 11 or 10
  bool keep_alive = true;       // HTTP/1.1 without `Connection: close`, or 1.0 with keep-alive
  bool expect_continue = false;  // `Expect: 100-continue`
  // `Upgrade: h2c` with an HTTP2-Settings header and no body (RFC 7540 section 3.2).
  bool h2c_upgrade = false;
  std::string http2_settings;  // that header's value (base64url)
};

// Why a head is refused: the status and cargo's error detail. The connection closes after
// the reply: whatever follows a refused head is never read as a request.
struct HeadError {
  int status = 400;
  std::string detail;
};

enum class HeadParse { kNeedMore, kDone, kError };

// Parses the head at the start of `data` (every byte received so far). kNeedMore: the head is
// not complete yet (call again with more bytes). kDone: *head is set and *consumed is the
// head's length; the body, if any, follows. kError: *error says why; the connection must be
// closed after the reply, as where the request ends is not known.
HeadParse ParseRequestHead(std::string_view data, const HeadLimits& limits, RequestHead* head,
                           size_t* consumed, HeadError* error);

}  // namespace registry
