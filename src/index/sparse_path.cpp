// Mapping between crate names and their file paths in the sparse index, both ways.
#include "index/sparse_path.h"

#include <string>
#include <string_view>

#include "base/ascii.h"

namespace registry {
namespace {

constexpr size_t kMaxNameLength = 64;

bool IsIndexNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

// `name` is expected to be a valid crate name; an empty one gives an empty path.
std::string IndexPath(std::string_view name) {
  std::string lower = AsciiLower(name);
  switch (lower.size()) {
    case 0:
      return "";
    case 1:
      return "1/" + lower;
    case 2:
      return "2/" + lower;
    case 3:
      return "3/" + lower.substr(0, 1) + "/" + lower;
    default:
      return lower.substr(0, 2) + "/" + lower.substr(2, 2) + "/" + lower;
  }
}

// The name is the last path segment; the path is well formed exactly when it is the name's
// own IndexPath, which rejects wrong prefixes, wrong depth and stray or empty segments at once.
Result<std::string> CrateNameFromIndexPath(std::string_view path) {
  std::string lower_path = AsciiLower(path);
  size_t slash = lower_path.rfind('/');
  std::string name = slash == std::string::npos ? lower_path : lower_path.substr(slash + 1);
  bool name_ok = !name.empty() && name.size() <= kMaxNameLength;
  for (char c : name) name_ok = name_ok && IsIndexNameChar(c);
  if (!name_ok || IndexPath(name) != lower_path) {
    return Status::NotFound("no such crate in the index");
  }
  return name;
}

}  // namespace registry
