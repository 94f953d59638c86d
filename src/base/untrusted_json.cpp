// ParseUntrustedJson: a linear depth pre-scan, then nlohmann's parser without exceptions.
#include "base/untrusted_json.h"

#include <exception>
#include <new>
#include <string>

namespace registry {

size_t JsonNestingDepth(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > max_depth) return max_depth + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

Result<nlohmann::json> ParseUntrustedJson(std::string_view text, size_t max_depth) {
  if (JsonNestingDepth(text, max_depth) > max_depth) {
    return Status::Invalid("JSON nested deeper than " + std::to_string(max_depth) + " levels");
  }
  // With allow_exceptions=false the parser reports errors as a discarded value; what is left to
  // throw is the allocator, and that text is no client's business.
  try {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::Invalid("not valid JSON");
    return j;
  } catch (const std::bad_alloc&) {
    return Status::TooLarge("JSON too large to parse");
  } catch (const std::exception&) {
    return Status::Invalid("not valid JSON");
  }
}

}  // namespace registry
