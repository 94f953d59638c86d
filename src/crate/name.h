// Crate-name rules as crates.io enforces them, and the canonical form used for uniqueness.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace registry {

// Ok when `name` is 1-64 chars, starts with an ASCII letter and continues with ASCII
// alphanumerics, '-' or '_'. Otherwise Invalid with a message that names the rule broken,
// e.g. "invalid crate name `1abc`: the first character must be an ASCII letter". The rule for
// any name: a dependency, a crate that exists, a mirrored one.
Status ValidateCrateName(std::string_view name);

// ValidateCrateName, and not one of the names crates.io reserves (alloc, core, std,
// proc_macro, test, rustc, ..., and the Windows device names nul, con, prn, aux, com0-com9,
// lpt0-lpt9), compared in canonical form. The rule for a crate's first publish only.
Status ValidateNewCrateName(std::string_view name);

// The form two names must differ in to be distinct crates: ASCII lower-case with '-' -> '_'.
std::string CanonicalCrateName(std::string_view name);

}  // namespace registry
