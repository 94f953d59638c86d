// The binary targets of a packaged crate, as cargo would build them: what `cargo install`
// of the crate installs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

// The names of the crate's binaries, sorted: each `[[bin]]` table's `name`, plus the ones
// cargo discovers (src/main.rs as the package's name, src/bin/NAME.rs and src/bin/NAME/main.rs
// as NAME) unless `package.autobins = false`, or the edition is 2015 and `[[bin]]` tables
// exist (cargo's rule). A discovered binary whose name or path a `[[bin]]` table has is not
// added again. `bin_sources` are paths relative to the package root (TarballInfo). Invalid
// when the manifest is not TOML.
Result<std::vector<std::string>> BinTargetNames(std::string_view cargo_toml,
                                                const std::vector<std::string>& bin_sources);

// The names as stored in versions.bin_names (a JSON array), and back; a stored value that is
// not an array of strings reads as no names.
std::string BinNamesJson(const std::vector<std::string>& names);
std::vector<std::string> ParseBinNamesJson(std::string_view json);

}  // namespace registry
