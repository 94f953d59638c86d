// Asking a running registry whether it is up (GET URL/health), for `registry health`: a
// container HEALTHCHECK with no curl in the image.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

struct ProbeUrl {
  std::string origin;  // "https://host:port", as given
  std::string host;    // "host" (an IPv6 address without its brackets)
  std::string prefix;  // the path before /health: "" or "/registry" (no trailing slash)
};

// "http(s)://HOST[:PORT][/PREFIX]" -> its parts. Invalid, quoting the URL, otherwise.
Result<ProbeUrl> ParseProbeUrl(std::string_view url);

// Ok when GET url + "/health" answers 200 within `timeout`; Io otherwise, starting with the
// URL asked and saying what happened. For https, the server's certificate is checked against
// `ca_file` (a PEM bundle) or, when empty, the system's CAs.
Status ProbeHealth(const std::string& url, const std::string& ca_file,
                   std::chrono::milliseconds timeout);

}  // namespace registry
