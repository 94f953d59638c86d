// Checks a .crate (gzip tar) the way crates.io does before accepting it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct TarballLimits {
  uint64_t max_unpacked = 512ull << 20;  // bytes, sum of regular files
  uint64_t max_entries = 20000;          // files and directories (large crates hold ~5,000)
};

struct TarballInfo {
  uint64_t unpacked_size = 0;
  uint64_t file_count = 0;
  std::string manifest;  // the text of "{name}-{vers}/Cargo.toml"
  // The files cargo's target discovery looks at, relative to "{name}-{vers}/": src/lib.rs,
  // src/main.rs, src/bin/*.rs and src/bin/*/main.rs (see publish/crate_targets.h).
  std::vector<std::string> target_sources;
};

// Ok when `crate` is a gzip-compressed tar whose every entry lies under "{name}-{vers}/",
// holds no "..", absolute path, symlink, hard link or device (only files and directories),
// no two entries whose paths differ only in ASCII case or `/` versus `\` (and no file twice),
// no path over 1024 bytes, unpacks within `limits`, and contains exactly one
// "{name}-{vers}/Cargo.toml" whose [package] name and version equal `name` and `vers`. Invalid with
// an exact message otherwise, e.g. "invalid crate file: entry `x/y` is not under `foo-0.1.0/`".
Result<TarballInfo> CheckTarball(std::string_view crate, std::string_view name,
                                 std::string_view vers, const TarballLimits& limits);

}  // namespace registry
