// The product version (the VERSION file) and the git commit it was built from, set at build time.
#pragma once

namespace registry {

extern const char kVersion[];  // "0.1.0"
extern const char kCommit[];   // a short commit hash, or "unknown" when built outside git

}  // namespace registry
