// Token scopes (what a token may do) and crate-name patterns (which crates it may touch).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

// Bit flags. Every valid credential may read (index, downloads, search, owners list) within
// its crate patterns: cargo reads the index while publishing, so a publish-only token would
// be useless. A token whose only scope is kRead can do nothing else.
enum Scope : uint32_t {
  kScopeRead = 1u << 0,
  kScopePublishNew = 1u << 1,
  kScopePublishUpdate = 1u << 2,
  kScopeYank = 1u << 3,
  kScopeChangeOwners = 1u << 4,
  kScopeDocs = 1u << 5,  // upload and delete a version's hosted docs
};
using ScopeSet = uint32_t;
constexpr ScopeSet kAllScopes =
    kScopeRead | kScopePublishNew | kScopePublishUpdate | kScopeYank | kScopeChangeOwners |
    kScopeDocs;

// "read", "publish-new", "publish-update", "yank", "change-owners", "docs".
std::string_view ScopeName(Scope scope);
// Invalid for an unknown name, listing the known ones.
Result<Scope> ParseScope(std::string_view name);
// Space-separated names in a fixed order; "read" is always included.
std::string FormatScopes(ScopeSet scopes);
std::vector<std::string> ScopeNames(ScopeSet scopes);
// Inverse of FormatScopes (any order, any whitespace). Adds kScopeRead.
Result<ScopeSet> ParseScopes(std::string_view text);

// A crate name, optionally ending in `*` ("my-corp-*"), as crates.io allows; `*` alone is
// not a pattern (omit patterns for "any crate"). Invalid with the reason.
Status ValidateCratePattern(std::string_view pattern);
// True when `name` matches `pattern`, comparing canonical forms (case and `-`/`_` ignored).
bool CratePatternMatches(std::string_view pattern, std::string_view name);
// True when `patterns` is empty or one of them matches.
bool AnyCratePatternMatches(const std::vector<std::string>& patterns, std::string_view name);

}  // namespace registry
