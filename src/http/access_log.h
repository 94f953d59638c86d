// One line per answered request, as plain text or a JSON object, for the server's stderr.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

enum class AccessLogFormat { kOff, kPlain, kJson };

// "plain", "json" or "off"; Invalid otherwise.
Result<AccessLogFormat> ParseAccessLogFormat(std::string_view text);

// What is logged of a request: never its headers (Authorization, cookies), query string or
// body.
struct AccessRecord {
  int64_t time_ms = 0;  // when the response was written, Unix milliseconds
  std::string addr;     // client address
  std::string method;
  std::string path;      // decoded path, without the query string
  std::string protocol;  // "HTTP/1.1", "HTTP/1.0" or "HTTP/2"
  int status = 0;
  uint64_t bytes = 0;  // response body bytes
  double ms = 0;       // from reading the headers to writing the response
  std::string user;    // login of the authenticated caller; "" when none or unknown
};

// The record as one line ending in '\n', or "" for kOff.
//   plain: 2026-11-20T10:00:00.123Z 127.0.0.1 alice GET /index/se/rd/serde HTTP/2 200 1532 0.4ms
//   json:  {"time":"2026-11-20T10:00:00.123Z","addr":"127.0.0.1","method":"GET",
//           "path":"/index/se/rd/serde","protocol":"HTTP/2","status":200,"bytes":1532,
//           "ms":0.4,"user":"alice"}
// In plain lines, bytes of the path outside printable ASCII, spaces and '%' are
// percent-encoded so one request is always one line of 9 fields, the user "-" when there is
// none; in JSON, strings are escaped and invalid UTF-8 is replaced, and "user" is omitted when
// empty.
std::string FormatAccessLine(const AccessRecord& record, AccessLogFormat format);

}  // namespace registry
