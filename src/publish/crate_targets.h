// The library and binary targets of a packaged crate, as cargo would build them: whether it
// can be a dependency, and what `cargo install` of it installs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct CrateTargets {
  bool lib = false;               // a [lib] table, or src/lib.rs unless autolib = false
  std::vector<std::string> bins;  // sorted
};

// The crate's targets: each `[[bin]]` table's `name`, plus the binaries cargo discovers
// (src/main.rs as the package's name, src/bin/NAME.rs and src/bin/NAME/main.rs as NAME) unless
// `package.autobins = false`, or the edition is 2015 and `[[bin]]` tables exist (cargo's
// rule). A discovered binary whose name or path a `[[bin]]` table has is not added again.
// `sources` are paths relative to the package root (TarballInfo::target_sources). Invalid
// when the manifest is not TOML.
Result<CrateTargets> FindCrateTargets(std::string_view cargo_toml,
                                      const std::vector<std::string>& sources);

// The binary names as stored in versions.bin_names (a JSON array), and back; a stored value
// that is not an array of strings reads as no names.
std::string BinNamesJson(const std::vector<std::string>& names);
std::vector<std::string> ParseBinNamesJson(std::string_view json);

}  // namespace registry
