// The shared "import one version" step: verify, derive what a publish would have sent, store.
#include "import/import_step.h"

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/untrusted_json.h"
#include "index/index_line.h"
#include "publish/crate_file.h"
#include "publish/index_entry.h"
#include "publish/manifest_metadata.h"

namespace registry {
namespace {

constexpr uint64_t kMaxReadme = 1ull << 20;

std::string UrlKey(std::string_view url) {
  if (url.rfind("sparse+", 0) == 0) url.remove_prefix(7);
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

// The line's "pubtime" ("2026-11-24T02:56:00Z") as Unix seconds, or 0.
int64_t PubtimeOf(const std::string& line) {
  nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
  if (!json.is_object()) return 0;
  auto it = json.find("pubtime");
  if (it == json.end() || !it->is_string()) return 0;
  std::string text = it->get<std::string>();
  std::tm tm{};
  if (text.size() < 19 || strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace

Result<std::string> LocalizeIndexLine(const std::string& line,
                                      const std::vector<std::string>& source_urls) {
  nlohmann::ordered_json json = nlohmann::ordered_json::parse(line, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return Status::Invalid("the source's index line is not a JSON object");
  }
  bool changed = false;
  auto deps = json.find("deps");
  if (deps != json.end() && deps->is_array()) {
    for (auto& dep : *deps) {
      if (!dep.is_object()) continue;
      auto registry = dep.find("registry");
      if (registry == dep.end() || !registry->is_string()) continue;
      std::string key = UrlKey(registry->get<std::string>());
      for (const std::string& url : source_urls) {
        if (UrlKey(url) == key) {
          *registry = nullptr;
          changed = true;
          break;
        }
      }
    }
  }
  if (!changed) return line;
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Result<std::optional<ImportedVersion>> PrepareImport(const ImportContext& context,
                                                     const SourceVersion& version) {
  if (!version.name.empty() && !version.vers.empty() && !version.cksum.empty()) {
    Result<std::optional<std::string>> here =
        context.registry->VersionChecksum(version.name, version.vers);
    if (!here.ok()) return here.status();
    if (*here == version.cksum) return std::optional<ImportedVersion>();
    if (here->has_value()) {
      return Status::Conflict(version.name + " " + version.vers +
                              " is already here with other bytes (sha256 " + **here +
                              ", the source has " + version.cksum + "); it is not overwritten");
    }
  }
  Result<std::string> crate = version.load();
  if (!crate.ok()) return crate.status();
  Result<CrateManifest> manifest = ReadCrateManifest(*crate);
  if (!manifest.ok()) return manifest.status();
  // The README's path comes from the manifest; read without it first, then with it.
  Result<PublishMetadata> meta = MetadataFromManifest(manifest->text, std::nullopt);
  if (!meta.ok()) return meta.status();
  if (meta->readme_file && !meta->readme_file->empty()) {
    Result<std::optional<std::string>> readme =
        ReadCrateFile(*crate, manifest->root + "/" + *meta->readme_file, kMaxReadme);
    if (!readme.ok()) return readme.status();
    meta->readme = std::move(*readme);
  }

  ImportedVersion imported;
  if (version.index_line.empty()) {
    // A bare .crate: its line as a publish of it would write it.
    imported.published_at = context.clock->Now();
    imported.index_line =
        IndexLineJson(IndexEntryForPublish(*meta, Sha256Hex(*crate), imported.published_at));
  } else {
    Result<std::string> line = LocalizeIndexLine(version.index_line, context.source_registry_urls);
    if (!line.ok()) return line.status();
    imported.index_line = std::move(*line);
    imported.published_at = PubtimeOf(version.index_line);
  }
  imported.crate = std::move(*crate);
  imported.metadata_json = PublishMetadataJson(*meta);
  imported.readme = meta->readme;
  imported.description = meta->description;
  imported.owner = context.owner;
  imported.source = context.source;
  imported.dry_run = context.dry_run;
  return std::optional<ImportedVersion>(std::move(imported));
}

Result<ImportOutcome> ImportOne(const ImportContext& context, const SourceVersion& version) {
  Result<std::optional<ImportedVersion>> prepared = PrepareImport(context, version);
  if (!prepared.ok()) return prepared.status();
  if (!prepared->has_value()) return ImportOutcome::kAlreadyPresent;
  return context.registry->ImportVersion(context.actor, **prepared);
}

}  // namespace registry
