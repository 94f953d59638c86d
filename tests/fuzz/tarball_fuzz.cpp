// Fuzzes CheckTarball: a .crate (gzip tar) checked against the name and version of the seeds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "publish/tarball.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::TarballLimits limits;
  limits.max_unpacked = 8 << 20;  // keeps each run fast; the checks are the same
  (void)registry::CheckTarball(std::string_view(reinterpret_cast<const char*>(data), size), "foo",
                               "0.1.0", limits);
  return 0;
}
