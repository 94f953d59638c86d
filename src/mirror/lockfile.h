// The crates.io packages a Cargo.lock pins, for `registry mirror prefetch`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct LockedCrate {
  std::string name;
  std::string version;
  std::string checksum;  // "" when the lock file has none (format v1 keeps them elsewhere)
};

// The [[package]] entries of Cargo.lock text `text` whose source is crates.io (its git or
// sparse index URL), in file order. Invalid, naming `path` and the line, for text that is not
// TOML or a package entry without a string name or version.
Result<std::vector<LockedCrate>> CratesIoPackages(std::string_view text, const std::string& path);

}  // namespace registry
