// The sparse-index entry of a published version, from its publish metadata.
#include "publish/index_entry.h"

namespace registry {

// The alias becomes the dependency's name and the real name
// moves to `package`, as cargo expects.
IndexEntry IndexEntryForPublish(const PublishMetadata& meta, const std::string& cksum,
                                int64_t now) {
  IndexEntry entry;
  entry.name = meta.name;
  entry.vers = meta.vers;
  entry.cksum = cksum;
  entry.features = meta.features;
  entry.links = meta.links;
  entry.rust_version = meta.rust_version;
  entry.pubtime = now;
  for (const PublishDependency& d : meta.deps) {
    IndexDependency dep;
    if (d.explicit_name_in_toml) {
      dep.name = *d.explicit_name_in_toml;
      dep.package = d.name;
    } else {
      dep.name = d.name;
    }
    dep.req = d.version_req;
    dep.features = d.features;
    dep.optional = d.optional;
    dep.default_features = d.default_features;
    dep.target = d.target;
    dep.kind = d.kind;
    dep.registry = d.registry;
    entry.deps.push_back(std::move(dep));
  }
  return entry;
}

}  // namespace registry
