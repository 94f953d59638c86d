// Fuzzes the index line made from publish metadata: whatever metadata is accepted, its line is
// valid JSON naming the same crate and version (cargo reads every line of the file).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "index/index_line.h"
#include "publish/publish_metadata.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::Result<registry::PublishMetadata> meta =
      registry::ParsePublishMetadata(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!meta.ok()) return 0;
  registry::IndexEntry entry;
  entry.name = meta->name;
  entry.vers = meta->vers;
  entry.cksum = std::string(64, 'a');
  entry.features = meta->features;
  entry.links = meta->links;
  entry.rust_version = meta->rust_version;
  entry.pubtime = 1790000000;
  for (const registry::PublishDependency& d : meta->deps) {
    registry::IndexDependency dep;
    dep.name = d.explicit_name_in_toml ? *d.explicit_name_in_toml : d.name;
    if (d.explicit_name_in_toml) dep.package = d.name;
    dep.req = d.version_req;
    dep.features = d.features;
    dep.optional = d.optional;
    dep.default_features = d.default_features;
    dep.target = d.target;
    dep.kind = d.kind;
    dep.registry = d.registry;
    entry.deps.push_back(dep);
  }
  std::string line = registry::IndexLineJson(entry);
  if (line.find('\n') != std::string::npos) __builtin_trap();
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object()) __builtin_trap();
  if (j["name"] != meta->name || j["vers"] != meta->vers) __builtin_trap();
  return 0;
}
