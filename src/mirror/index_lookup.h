// Reading what the mirror needs from an upstream index file without re-serializing it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

// The `cksum` of version `vers` in the sparse-index file `body` (JSON lines). Versions compare
// exactly, as cargo asks for them. NotFound when no line has that version; lines that are not
// JSON objects are skipped (a future format must not break the versions we can read).
Result<std::string> FindIndexCksum(std::string_view body, std::string_view vers);

// The number of lines of `body` that name a version.
int CountIndexVersions(std::string_view body);

struct IndexVersion {
  std::string name;
  std::string vers;
  bool yanked = false;
};
// Every line of `body` with a string `name` and `vers`, in file order.
std::vector<IndexVersion> ListIndexVersions(std::string_view body);

}  // namespace registry
