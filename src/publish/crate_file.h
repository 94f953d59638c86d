// Reads single files out of a .crate (gzip tar) without unpacking it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

struct CrateManifest {
  std::string root;  // "{name}-{vers}", the directory every entry lies under
  std::string text;  // root + "/Cargo.toml"
};

// The first "X/Cargo.toml" (X a single path component) in `crate`, at most 10 MiB. Invalid
// when the archive is not a gzip tar or has none. For a .crate whose name and version are not
// known yet; CheckTarball then checks the whole archive against them.
Result<CrateManifest> ReadCrateManifest(std::string_view crate);

// The regular file at `path` (relative to the archive's top) if present and at most `max`
// bytes; nullopt when absent or bigger. Invalid when the archive cannot be read.
Result<std::optional<std::string>> ReadCrateFile(std::string_view crate, std::string_view path,
                                                 uint64_t max);

}  // namespace registry
