// One version's line in a sparse-index file, as cargo reads it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct IndexDependency {
  std::string name;  // the name used in Cargo.toml: the alias when renamed
  std::string req;
  std::vector<std::string> features;
  bool optional = false;
  bool default_features = true;
  std::optional<std::string> target;    // cfg string or target triple
  std::string kind = "normal";          // normal, build, dev
  std::optional<std::string> registry;  // null: this registry; else the dependency's index URL
  std::optional<std::string> package;   // the real crate name when renamed
};

struct IndexEntry {
  std::string name;
  std::string vers;
  std::vector<IndexDependency> deps;
  std::string cksum;  // lower-case hex SHA-256 of the .crate
  std::map<std::string, std::vector<std::string>> features;
  bool yanked = false;
  std::optional<std::string> links;
  std::optional<std::string> rust_version;
  int64_t pubtime = 0;  // Unix seconds, UTC
};

// The JSON line (no trailing newline). Features whose values use "dep:" or "?/" syntax go
// to "features2" and the line gets "v": 2; "features", "optional", "default_features" are
// always present; "pubtime" is "YYYY-MM-DDTHH:MM:SSZ".
std::string IndexLineJson(const IndexEntry& entry);

// "2026-11-24T02:56:00Z"
std::string FormatPubtime(int64_t unix_seconds);

}  // namespace registry
