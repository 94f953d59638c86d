// Import source: a Kellnr data directory, its index rows in db.sqlite (table crate_index)
// and the original .crate files in crates/{name}-{version}.crate.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "import/import_step.h"

namespace registry {

// One SourceVersion per crate_index row, in row order, its line rebuilt from the row's
// columns in index order (name, vers, deps, cksum, features, yanked, links, v, and pubtime
// when the table has it). db.sqlite is opened read-only. Invalid when the table is missing.
Result<std::vector<SourceVersion>> ListKellnrDir(const std::string& data_dir);

// True when `dir` looks like a Kellnr data directory (db.sqlite and crates/).
bool IsKellnrDir(const std::string& dir);

}  // namespace registry
