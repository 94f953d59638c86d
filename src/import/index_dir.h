// Import sources laid out as a registry index on disk: a checked-out git index (config.json
// and JSON-lines files in prefix directories) and a `cargo local-registry` directory
// (index/ plus {name}-{version}.crate files beside it).
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "import/crate_loaders.h"
#include "import/import_step.h"

namespace registry {

// Every line of every index file under `index_root` (not .git/, not config.json), files in
// path order and lines in file order, each loading its .crate through `loader`. Invalid
// naming the file and line when a line has no string name, vers or cksum.
Result<std::vector<SourceVersion>> ListIndexDir(const std::string& index_root,
                                                const CrateLoader& loader);

// The version `line` (one JSON object of a registry's index) offers, loading its .crate
// through `loader`. Invalid when the line has no string name, vers and cksum.
Result<SourceVersion> VersionFromIndexLine(const std::string& line, const CrateLoader& loader);

// config.json's "dl" under `index_root`; "" when it has none. NotFound without config.json.
Result<std::string> ReadIndexDl(const std::string& index_root);

// The URL of the checkout's `origin` remote (from .git/config), or "" when there is none:
// the URL consumers named the index by, so dependencies on it become local.
std::string GitOriginUrl(const std::string& checkout);

}  // namespace registry
