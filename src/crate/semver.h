// Semantic versions (semver 2.0.0) and Cargo version requirements.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct Version {
  uint64_t major = 0;
  uint64_t minor = 0;
  uint64_t patch = 0;
  std::vector<std::string> pre;  // dot-separated pre-release identifiers
  std::string build;             // build metadata after '+', without the '+'

  // "1.2.3-alpha.1+build.5"
  std::string ToString() const;
  // "1.2.3-alpha.1": two versions that differ only in build metadata are the same version.
  std::string WithoutBuild() const;
};

// Strict semver 2.0.0: no leading zeros in numeric parts, no 'v' prefix, at most 150 chars.
// Invalid with e.g. "invalid version `1.2`: expected major.minor.patch".
Result<Version> ParseVersion(std::string_view text);

// Semver precedence (build metadata ignored): <0, 0, >0.
int CompareVersions(const Version& a, const Version& b);

// A Cargo dependency requirement: comma-separated comparators, each an optional operator
// (=, >, >=, <, <=, ~, ^) and a partial version (1, 1.2, 1.2.3, 1.2.3-pre, with * or x
// wildcards after the first part). The bare wildcard "*" is refused as crates.io does.
Status ValidateVersionReq(std::string_view req);

}  // namespace registry
