// Fuzzes ParseRequestHead, the front end's HTTP/1.1 head parser (Beast's parser plus the
// framing checks). Checks what must hold for every input: a refusal is a 4xx/5xx with a
// detail, and an accepted head consumed no more bytes than it was given, ends in the blank
// line, and obeys every bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "server/http1_head.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  registry::HeadLimits limits;
  limits.max_target = 256;  // small bounds, so the fuzzer reaches them
  limits.max_head = 1024;
  limits.max_fields = 16;
  registry::RequestHead head;
  registry::HeadError error;
  size_t consumed = 0;
  switch (registry::ParseRequestHead(bytes, limits, &head, &consumed, &error)) {
    case registry::HeadParse::kNeedMore:
      if (size >= limits.max_head + 4 && bytes.find("\r\n\r\n") != std::string_view::npos &&
          bytes.find("\r\n\r\n") < limits.max_head) {
        __builtin_trap();  // a complete head within bounds must be decided
      }
      break;
    case registry::HeadParse::kError:
      if (error.status < 400 || error.status > 599 || error.detail.empty()) __builtin_trap();
      break;
    case registry::HeadParse::kDone:
      if (consumed > size || consumed < 4 || bytes.substr(consumed - 4, 4) != "\r\n\r\n") {
        __builtin_trap();
      }
      if (head.request.headers.size() > limits.max_fields) __builtin_trap();
      if (head.request.headers.count("transfer-encoding")) __builtin_trap();
      if (head.h2c_upgrade && head.content_length != 0) __builtin_trap();
      break;
  }
  return 0;
}
