// Fuzzes ParseVersion, CompareVersions and ValidateVersionReq. Checks what must hold for every
// accepted version: it prints back as given, and compares equal to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crate/semver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)registry::ValidateVersionReq(text);
  registry::Result<registry::Version> v = registry::ParseVersion(text);
  if (!v.ok()) return 0;
  if (v->ToString() != text) __builtin_trap();
  if (registry::CompareVersions(*v, *v) != 0) __builtin_trap();
  registry::Result<registry::Version> again = registry::ParseVersion(v->WithoutBuild());
  if (!again.ok() || registry::CompareVersions(*v, *again) != 0) __builtin_trap();
  return 0;
}
