// Reading Cargo.lock with toml++, without exceptions.
#include "mirror/lockfile.h"

#include <toml++/toml.h>

namespace registry {

static bool IsCratesIo(std::string_view source) {
  return source == "registry+https://github.com/rust-lang/crates.io-index" ||
         source == "sparse+https://index.crates.io/";
}

Result<std::vector<LockedCrate>> CratesIoPackages(std::string_view text, const std::string& path) {
  toml::parse_result parsed = toml::parse(text, path);
  if (!parsed) {
    const toml::parse_error& error = parsed.error();
    return Status::Invalid("`" + path + "` is not valid TOML: " + std::string(error.description()) +
                           " (line " + std::to_string(error.source().begin.line) + ")");
  }
  std::vector<LockedCrate> out;
  const toml::array* packages = parsed.table()["package"].as_array();
  if (!packages) return out;
  for (const toml::node& node : *packages) {
    const toml::table* pkg = node.as_table();
    if (!pkg) continue;
    std::optional<std::string> source = (*pkg)["source"].value<std::string>();
    if (!source || !IsCratesIo(*source)) continue;
    std::optional<std::string> name = (*pkg)["name"].value<std::string>();
    std::optional<std::string> version = (*pkg)["version"].value<std::string>();
    if (!name || !version) {
      return Status::Invalid("`" + path +
                             "`: a crates.io package without a name or version (line " +
                             std::to_string(node.source().begin.line) + ")");
    }
    out.push_back({*name, *version, (*pkg)["checksum"].value_or(std::string())});
  }
  return out;
}

}  // namespace registry
