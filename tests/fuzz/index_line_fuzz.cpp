// Fuzzes the index line made from publish metadata: whatever metadata is accepted, its line is
// valid JSON naming the same crate and version (cargo reads every line of the file).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "index/index_line.h"
#include "publish/index_entry.h"
#include "publish/publish_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::Result<registry::PublishMetadata> meta =
      registry::ParsePublishMetadata(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!meta.ok()) return 0;
  // The entry a publish of this metadata writes.
  registry::IndexEntry entry =
      registry::IndexEntryForPublish(*meta, std::string(64, 'a'), 1790000000);
  std::string line = registry::IndexLineJson(entry);
  if (line.find('\n') != std::string::npos) __builtin_trap();
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) __builtin_trap();
  if (j["name"] != meta->name || j["vers"] != meta->vers) __builtin_trap();
  return 0;
}
