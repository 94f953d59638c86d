// Fuzzes ParsePublishMetadata with raw JSON text (the publish body's first part).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "publish/publish_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)registry::ParsePublishMetadata(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
