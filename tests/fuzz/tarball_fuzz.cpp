// Fuzzes CheckTarball: a .crate (gzip tar) checked against the name and version of the seeds,
// and, when it passes, the target discovery publish runs on its manifest and files.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "publish/crate_targets.h"
#include "publish/tarball.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::TarballLimits limits;
  limits.max_unpacked = 8 << 20;  // keeps each run fast; the checks are the same
  registry::Result<registry::TarballInfo> info = registry::CheckTarball(
      std::string_view(reinterpret_cast<const char*>(data), size), "foo", "0.1.0", limits);
  if (info.ok()) (void)registry::FindCrateTargets(info->manifest, info->target_sources);
  return 0;
}
