// The sparse-index entry a publish (or an import from a bare .crate) produces.
#pragma once

#include <cstdint>
#include <string>

#include "index/index_line.h"
#include "publish/publish_metadata.h"

namespace registry {

// The entry for `meta` with checksum `cksum`, published at `now` (Unix seconds): a renamed
// dependency's alias becomes its `name` and the real name moves to `package`, as cargo expects.
IndexEntry IndexEntryForPublish(const PublishMetadata& meta, const std::string& cksum,
                                int64_t now);

}  // namespace registry
