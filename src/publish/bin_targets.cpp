// BinTargetNames: cargo's target discovery for binaries, from a manifest and a file list.
#include "publish/bin_targets.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "base/untrusted_json.h"

namespace registry {

// "./src/main.rs" and "src/main.rs" name one file.
static std::string NormalPath(std::string path) {
  while (path.rfind("./", 0) == 0) path.erase(0, 2);
  return path;
}

// The binary name cargo gives a discovered source file.
static std::string DiscoveredName(const std::string& path, const std::string& package) {
  if (path == "src/main.rs") return package;
  std::string rest = path.substr(std::string_view("src/bin/").size());
  size_t slash = rest.find('/');
  if (slash != std::string::npos) return rest.substr(0, slash);  // src/bin/NAME/main.rs
  return rest.substr(0, rest.size() - 3);                         // src/bin/NAME.rs
}

static Result<std::vector<std::string>> Names(std::string_view cargo_toml,
                                              const std::vector<std::string>& bin_sources) {
  toml::parse_result parsed = toml::parse(cargo_toml, std::string_view("Cargo.toml"));
  if (!parsed) {
    return Status::Invalid("Cargo.toml is not valid TOML: " +
                           std::string(parsed.error().description()));
  }
  const toml::table& manifest = parsed.table();
  const std::string package = manifest["package"]["name"].value_or(std::string());
  const std::string edition = manifest["package"]["edition"].value_or(std::string("2015"));
  const std::optional<bool> autobins = manifest["package"]["autobins"].value<bool>();

  std::set<std::string> names, paths;
  bool has_tables = false;
  if (const toml::array* bins = manifest["bin"].as_array()) {
    for (const toml::node& node : *bins) {
      const toml::table* bin = node.as_table();
      if (bin == nullptr) continue;
      has_tables = true;
      if (std::optional<std::string> name = (*bin)["name"].value<std::string>()) {
        names.insert(*name);
      }
      if (std::optional<std::string> path = (*bin)["path"].value<std::string>()) {
        paths.insert(NormalPath(*path));
      }
    }
  }
  const bool discover = autobins.value_or(!(has_tables && edition == "2015"));
  std::set<std::string> out = names;
  if (discover) {
    for (const std::string& source : bin_sources) {
      std::string name = DiscoveredName(source, package);
      if (name.empty() || names.count(name) || paths.count(source)) continue;
      out.insert(name);
    }
  }
  return std::vector<std::string>(out.begin(), out.end());
}

Result<std::vector<std::string>> BinTargetNames(std::string_view cargo_toml,
                                                const std::vector<std::string>& bin_sources) {
  // toml++ may still throw (bad_alloc); nothing escapes this module.
  try {
    return Names(cargo_toml, bin_sources);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("reading the binary targets failed: ") + e.what());
  }
}

std::string BinNamesJson(const std::vector<std::string>& names) {
  // Invalid UTF-8 in a name becomes U+FFFD instead of an exception.
  return nlohmann::json(names).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> ParseBinNamesJson(std::string_view json) {
  std::vector<std::string> names;
  Result<nlohmann::json> parsed = ParseUntrustedJson(json);
  if (!parsed.ok() || !parsed->is_array()) return names;
  for (const nlohmann::json& name : *parsed) {
    if (name.is_string()) names.push_back(name.get<std::string>());
  }
  return names;
}

}  // namespace registry
