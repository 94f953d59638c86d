// Fuzzes SplitPublishBody and then ParsePublishMetadata on the JSON part: the bytes of
// `PUT /api/v1/crates/new` up to the tarball.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "publish/publish_body.h"
#include "publish/publish_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  registry::Result<registry::PublishBody> parts =
      registry::SplitPublishBody(body, 1 << 20, 1 << 20);
  if (!parts.ok()) return 0;
  // The views must lie inside the body.
  if (parts->json.data() < body.data() ||
      parts->crate.data() + parts->crate.size() > body.data() + body.size()) {
    __builtin_trap();
  }
  (void)registry::ParsePublishMetadata(parts->json);
  return 0;
}
