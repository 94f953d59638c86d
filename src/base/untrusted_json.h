// Parsing JSON that came from a client: bounded nesting, no exceptions, no library text in errors.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace registry {

// Deep nesting costs memory per level (one heap node each): 12 MB of `[` held 400 MB. No
// request the registry accepts nests deeper than a handful of levels.
constexpr size_t kMaxJsonDepth = 64;

// `text` parsed; Invalid("not valid JSON") when it is not JSON, Invalid("JSON nested deeper than
// N levels") when arrays and objects nest deeper than `max_depth` (checked before any node is
// built), TooLarge when memory runs out. Never throws.
Result<nlohmann::json> ParseUntrustedJson(std::string_view text, size_t max_depth = kMaxJsonDepth);

// The deepest nesting of arrays and objects in `text` (0 for a scalar), counting only brackets
// outside strings; stops counting and returns max_depth + 1 as soon as that is exceeded.
size_t JsonNestingDepth(std::string_view text, size_t max_depth);

}  // namespace registry
