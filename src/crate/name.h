// Crate-name rules as crates.io enforces them, and the canonical form used for uniqueness.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// Ok when `name` is 1-64 chars, starts with an ASCII letter, continues with ASCII
// alphanumerics, '-' or '_', and is not reserved (alloc, core, std, proc_macro, test, ...,
// and Windows device names such as nul, con, com1). Otherwise Invalid with a message that
// names the rule broken, e.g. "invalid crate name `1abc`: the first character must be an
// ASCII letter".
Status ValidateCrateName(std::string_view name);

// The form two names must differ in to be distinct crates: ASCII lower-case with '-' -> '_'.
std::string CanonicalCrateName(std::string_view name);

}  // namespace registry
