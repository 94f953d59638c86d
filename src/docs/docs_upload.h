// Sending packed docs to a registry (PUT /api/v1/crates/NAME/VERSION/docs) and reading its
// answer, for `registry docs upload`.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "docs/docs_pack.h"

namespace registry {

struct DocsUploadRequest {
  std::string url;      // the registry: "https://crates.example.com[/PREFIX]"
  std::string ca_file;  // a PEM bundle for a private CA; "" = the system's
  std::string token;    // sent as cargo sends it: the raw token in Authorization
  std::string name;
  std::string version;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds io_timeout{300};  // each read or write; a big archive on a slow link
};

// The registry's 200 answer.
struct DocsUploaded {
  std::string url;  // where the docs are served: "https://HOST/docs/NAME/VERSION/"
  int64_t files = 0;
  int64_t bytes = 0;
  int64_t new_files = 0;  // files no earlier upload had stored
  int64_t new_bytes = 0;
  bool replaced = false;  // the version had docs before
};

// The environment variable cargo reads `registry`'s token from:
// CARGO_REGISTRIES_<NAME>_TOKEN, the name upper-cased with `-` as `_`.
std::string CargoTokenVariable(std::string_view registry);

// `body` of an answer with HTTP `status`: for 200, the reply's fields (BadGateway when one is
// missing: not the registry answering); otherwise the error the server gave in cargo's
// {"errors":[{"detail":...}]}, as "DETAIL (HTTP STATUS)" with the matching code (400 Invalid, 401
// Unauthorized, 403 Forbidden, 404 NotFound, 413 TooLarge, others Unavailable). A body that is not
// the registry's JSON (a proxy's page) is named as such.
Result<DocsUploaded> ParseDocsUploadReply(int status, std::string_view body);

// Called as the archive goes out: bytes sent so far, of `total`.
using DocsUploadProgress = std::function<void(uint64_t sent, uint64_t total)>;

// Invalid when the URL, crate name or version cannot make a request: checked by SendDocs, and
// worth checking before a big tree is packed.
Status CheckDocsUploadRequest(const DocsUploadRequest& request);

// PUTs `docs` as the body, streamed from its file, and parses the answer. Unavailable or
// Timeout, starting with the URL, when no answer came.
Result<DocsUploaded> SendDocs(const DocsUploadRequest& request, const PackedDocs& docs,
                              const DocsUploadProgress& progress);

}  // namespace registry
