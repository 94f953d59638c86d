// Fuzzes ValidateCrateName, CanonicalCrateName and the sparse-index path of a name: a valid
// name's index path must lead back to it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crate/name.h"
#include "index/sparse_path.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)registry::CrateNameFromIndexPath(text);
  std::string canonical = registry::CanonicalCrateName(text);
  if (canonical.size() != text.size()) __builtin_trap();
  if (!registry::ValidateCrateName(text).ok()) return 0;
  if (registry::CanonicalCrateName(canonical) != canonical) __builtin_trap();
  registry::Result<std::string> back = registry::CrateNameFromIndexPath(registry::IndexPath(text));
  if (!back.ok()) __builtin_trap();
  return 0;
}
