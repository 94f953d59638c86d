// Converts a packaged Cargo.toml into publish metadata, the way cargo builds its publish JSON.
#include "publish/manifest_metadata.h"

#include <exception>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace registry {
namespace {

std::optional<std::string> OptionalString(const toml::node_view<const toml::node>& node) {
  if (auto value = node.value<std::string>()) return *value;
  return std::nullopt;
}

std::vector<std::string> Strings(const toml::node_view<const toml::node>& node) {
  std::vector<std::string> out;
  if (const toml::array* array = node.as_array()) {
    for (const toml::node& item : *array) {
      if (auto text = item.value<std::string>()) out.push_back(*text);
    }
  }
  return out;
}

// cargo writes a requirement as semver's VersionReq prints it: each comparator with its
// operator, a bare version meaning caret ("1.0" -> "^1.0"), joined by ", ".
std::string NormalizedReq(std::string_view req) {
  std::string out;
  size_t start = 0;
  while (start <= req.size()) {
    size_t comma = req.find(',', start);
    std::string_view part = req.substr(start, comma == std::string_view::npos ? std::string_view::npos
                                                                              : comma - start);
    std::string compact;
    for (char c : part) {
      if (c != ' ' && c != '\t') compact += c;
    }
    if (!compact.empty()) {
      if (!out.empty()) out += ", ";
      if (compact[0] >= '0' && compact[0] <= '9') out += '^';
      out += compact;
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out.empty() ? "*" : out;
}

void ReadDependencies(const toml::table* table, const std::string& kind,
                      const std::optional<std::string>& target,
                      std::vector<PublishDependency>* out) {
  if (table == nullptr) return;
  for (const auto& [key, node] : *table) {
    PublishDependency dep;
    dep.kind = kind;
    dep.target = target;
    std::string name(key.str());
    dep.name = name;
    if (auto req = node.value<std::string>()) {
      dep.version_req = NormalizedReq(*req);
    } else if (const toml::table* spec = node.as_table()) {
      toml::node_view<const toml::node> view(spec);
      dep.version_req = NormalizedReq(view["version"].value_or(std::string("*")));
      dep.features = Strings(view["features"]);
      dep.optional = view["optional"].value_or(false);
      dep.default_features =
          view["default-features"].value_or(view["default_features"].value_or(true));
      if (auto package = OptionalString(view["package"])) {
        dep.explicit_name_in_toml = name;
        dep.name = *package;
      }
      dep.registry = OptionalString(view["registry-index"]);
    } else {
      continue;
    }
    out->push_back(std::move(dep));
  }
}

void ReadAllDependencies(const toml::table& table, const std::optional<std::string>& target,
                         std::vector<PublishDependency>* out) {
  const std::pair<const char*, const char*> kinds[] = {
      {"dependencies", "normal"},           {"build-dependencies", "build"},
      {"build_dependencies", "build"},      {"dev-dependencies", "dev"},
      {"dev_dependencies", "dev"},
  };
  for (const auto& [key, kind] : kinds) ReadDependencies(table[key].as_table(), kind, target, out);
}

Result<PublishMetadata> Convert(std::string_view text, std::optional<std::string> readme) {
  toml::parse_result parsed = toml::parse(text, std::string_view("Cargo.toml"));
  if (!parsed) {
    return Status::Invalid("invalid crate file: Cargo.toml is not valid TOML: " +
                           std::string(parsed.error().description()));
  }
  const toml::table& manifest = parsed.table();
  toml::node_view<const toml::node> package = manifest["package"];
  PublishMetadata meta;
  meta.name = package["name"].value_or(std::string());
  meta.vers = package["version"].value_or(std::string());
  meta.authors = Strings(package["authors"]);
  meta.description = OptionalString(package["description"]);
  meta.documentation = OptionalString(package["documentation"]);
  meta.homepage = OptionalString(package["homepage"]);
  meta.readme_file = OptionalString(package["readme"]);
  if (meta.readme_file) meta.readme = std::move(readme);
  meta.keywords = Strings(package["keywords"]);
  meta.categories = Strings(package["categories"]);
  meta.license = OptionalString(package["license"]);
  meta.license_file = OptionalString(package["license-file"]);
  meta.repository = OptionalString(package["repository"]);
  meta.links = OptionalString(package["links"]);
  meta.rust_version = OptionalString(package["rust-version"]);
  if (const toml::table* features = manifest["features"].as_table()) {
    for (const auto& [feature, enables] : *features) {
      meta.features[std::string(feature.str())] =
          Strings(toml::node_view<const toml::node>(&enables));
    }
  }
  ReadAllDependencies(manifest, std::nullopt, &meta.deps);
  if (const toml::table* targets = manifest["target"].as_table()) {
    for (const auto& [target, table] : *targets) {
      if (const toml::table* t = table.as_table()) {
        ReadAllDependencies(*t, std::string(target.str()), &meta.deps);
      }
    }
  }
  return meta;
}

}  // namespace

Result<PublishMetadata> MetadataFromManifest(std::string_view cargo_toml,
                                             std::optional<std::string> readme) {
  try {
    return Convert(cargo_toml, std::move(readme));
  } catch (const std::exception& e) {
    return Status::Internal(std::string("reading Cargo.toml failed: ") + e.what());
  }
}

std::string PublishMetadataJson(const PublishMetadata& meta) {
  using Json = nlohmann::json;
  auto optional = [](const std::optional<std::string>& value) {
    return value ? Json(*value) : Json(nullptr);
  };
  Json deps = Json::array();
  for (const PublishDependency& d : meta.deps) {
    deps.push_back({{"name", d.name},
                    {"version_req", d.version_req},
                    {"features", d.features},
                    {"optional", d.optional},
                    {"default_features", d.default_features},
                    {"target", optional(d.target)},
                    {"kind", d.kind},
                    {"registry", optional(d.registry)},
                    {"explicit_name_in_toml", optional(d.explicit_name_in_toml)}});
  }
  Json features = Json::object();
  for (const auto& [name, enables] : meta.features) features[name] = enables;
  Json json = {{"name", meta.name},
               {"vers", meta.vers},
               {"deps", deps},
               {"features", features},
               {"authors", meta.authors},
               {"description", optional(meta.description)},
               {"documentation", optional(meta.documentation)},
               {"homepage", optional(meta.homepage)},
               {"readme", optional(meta.readme)},
               {"readme_file", optional(meta.readme_file)},
               {"keywords", meta.keywords},
               {"categories", meta.categories},
               {"license", optional(meta.license)},
               {"license_file", optional(meta.license_file)},
               {"repository", optional(meta.repository)},
               {"links", optional(meta.links)},
               {"rust_version", optional(meta.rust_version)},
               {"badges", Json::object()}};
  // Invalid UTF-8 (a hand-made Cargo.toml) is replaced rather than thrown on.
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace registry
