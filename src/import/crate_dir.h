// Import source: a plain directory of .crate files, their index lines rebuilt from each
// Cargo.toml exactly as a publish of them would write them.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "import/import_step.h"

namespace registry {

// Every *.crate directly in `dir` (not below), in name order. NotFound when `dir` is not a
// directory.
Result<std::vector<SourceVersion>> ListCrateDir(const std::string& dir);

}  // namespace registry
