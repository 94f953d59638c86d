// The JSON metadata cargo sends with a publish, parsed and checked without exceptions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct PublishDependency {
  std::string name;  // the real crate name
  std::string version_req;
  std::vector<std::string> features;
  bool optional = false;
  bool default_features = true;
  std::optional<std::string> target;
  std::string kind = "normal";                       // normal, build, dev
  std::optional<std::string> registry;               // absent: this registry
  std::optional<std::string> explicit_name_in_toml;  // the alias when renamed
};

struct PublishMetadata {
  std::string name;
  std::string vers;
  std::vector<PublishDependency> deps;
  std::map<std::string, std::vector<std::string>> features;
  std::vector<std::string> authors;
  std::optional<std::string> description;
  std::optional<std::string> documentation;
  std::optional<std::string> homepage;
  std::optional<std::string> readme;       // file content
  std::optional<std::string> readme_file;  // path
  std::vector<std::string> keywords;
  std::vector<std::string> categories;
  std::optional<std::string> license;
  std::optional<std::string> license_file;
  std::optional<std::string> repository;
  std::optional<std::string> links;
  std::optional<std::string> rust_version;
};

// Parses and validates the publish JSON: types of every known field (unknown keys ignored),
// crate name (ValidateCrateName: reserved names are the registry's check, for new crates
// only), version (ParseVersion), dependency names and requirements (ValidateVersionReq, so "*"
// is refused), dependency kind, at most 500 deps, 5 keywords, 5 categories. The feature count
// is the registry's per-crate limit, not checked here. Invalid with an exact message, e.g.
// "invalid publish metadata: `vers` must be a string".
Result<PublishMetadata> ParsePublishMetadata(std::string_view json);

}  // namespace registry
