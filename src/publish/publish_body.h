// Splits the binary body of `PUT /api/v1/crates/new` into its JSON and .crate parts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/status.h"

namespace registry {

// Views into the request body; valid while the body is.
struct PublishBody {
  std::string_view json;
  std::string_view crate;
};

// Body layout: u32 LE json_len | json | u32 LE crate_len | crate bytes, nothing after.
// Invalid for truncated or trailing bytes ("invalid publish body: ..."); TooLarge when the
// JSON exceeds `max_json` or the crate exceeds `max_crate`, with the limit in the message,
// e.g. "the crate is 12582912 bytes, over this registry's limit of 10485760 bytes (10 MiB)".
Result<PublishBody> SplitPublishBody(std::string_view body, size_t max_json, size_t max_crate);

// For a request whose body is `content_length` bytes, known before the body is read: TooLarge
// when it cannot fit within the limits, e.g. "the upload is 12582920 bytes, over this
// registry's limit of 10485760 bytes (10 MiB) per crate plus 1048576 bytes (1 MiB) of metadata".
Status CheckPublishBodySize(uint64_t content_length, size_t max_json, size_t max_crate);

}  // namespace registry
