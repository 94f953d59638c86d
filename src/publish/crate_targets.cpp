// FindCrateTargets: cargo's target discovery for the library and binaries, from a manifest
// and a file list.
#include "publish/crate_targets.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>

#include <toml++/toml.h>
#include <nlohmann/json.hpp>

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
  return rest.substr(0, rest.size() - 3);                        // src/bin/NAME.rs
}

static Result<CrateTargets> Find(std::string_view cargo_toml,
                                 const std::vector<std::string>& sources) {
  toml::parse_result parsed = toml::parse(cargo_toml, std::string_view("Cargo.toml"));
  if (!parsed) {
    return Status::Invalid("Cargo.toml is not valid TOML: " +
                           std::string(parsed.error().description()));
  }
  const toml::table& manifest = parsed.table();
  const std::string package = manifest["package"]["name"].value_or(std::string());
  const std::string edition = manifest["package"]["edition"].value_or(std::string("2015"));
  const std::optional<bool> autobins = manifest["package"]["autobins"].value<bool>();
  const bool autolib = manifest["package"]["autolib"].value_or(true);
  CrateTargets out;
  out.lib = manifest["lib"].is_table() ||
            (autolib && std::find(sources.begin(), sources.end(), "src/lib.rs") != sources.end());

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
  std::set<std::string> bins = names;
  if (discover) {
    for (const std::string& source : sources) {
      if (source == "src/lib.rs") continue;
      std::string name = DiscoveredName(source, package);
      if (name.empty() || names.count(name) || paths.count(source)) continue;
      bins.insert(name);
    }
  }
  out.bins.assign(bins.begin(), bins.end());
  return out;
}

Result<CrateTargets> FindCrateTargets(std::string_view cargo_toml,
                                      const std::vector<std::string>& sources) {
  // toml++ may still throw (bad_alloc); nothing escapes this module.
  try {
    return Find(cargo_toml, sources);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("reading the crate's targets failed: ") + e.what());
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
