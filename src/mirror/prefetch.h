// Filling the mirror ahead of time with what lock files need (`registry mirror prefetch`).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "mirror/lockfile.h"
#include "mirror/mirror.h"

namespace registry {

struct PrefetchReport {
  int fetched = 0;                  // .crate files fetched from upstream now
  int cached = 0;                   // already there
  std::vector<std::string> errors;  // one line per crate that failed, naming it
};

// Fetches the index file and .crate of each of `crates` through `mirror`, as the operator
// (the confusion guard applies), one after another. A lock checksum that differs from the
// index's is an error for that crate (cargo would refuse the lock file). `progress` is called
// before each crate with its position (from 0) and the total.
PrefetchReport Prefetch(Mirror* mirror, const std::vector<LockedCrate>& crates,
                        const std::function<void(size_t, size_t, const LockedCrate&)>& progress);

}  // namespace registry
