// Where a crate's file lives in the sparse index.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// The index path for `name`, lower-cased: "1/a", "2/ab", "3/a/abc", "ab/cd/abcd".
std::string IndexPath(std::string_view name);

// The crate name a request path (relative to the index root, e.g. "ca/rg/cargo") asks for,
// lower-cased. NotFound when the path is not a well-formed index path for that name
// (wrong prefix directories, bad characters, wrong depth).
Result<std::string> CrateNameFromIndexPath(std::string_view path);

}  // namespace registry
