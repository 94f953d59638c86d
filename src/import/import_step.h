// Importing one version from any source: the step every source kind (src/import/) shares.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "registry/registry.h"

namespace registry {

// What an import run shares. Pointers must outlive the run.
struct ImportContext {
  Registry* registry = nullptr;
  const Clock* clock = nullptr;
  Actor actor;                // who imports (the command line)
  std::string owner;          // login new crates get as owner
  bool dry_run = false;
  std::string source;         // shown in the audit log: the SOURCE argument
  // The source registry's own index URLs: a dependency whose `registry` is one of them
  // becomes a dependency on this registry (null).
  std::vector<std::string> source_registry_urls;
};

// One version a source offers. `index_line` empty: rebuilt from the .crate's Cargo.toml as a
// publish would (a plain .crate directory). `cksum` empty: the source has none.
struct SourceVersion {
  std::string label;       // "serde 1.0.0" or the file name, for messages
  // From the source's index, when it has one: a version already here is then skipped (or
  // reported) without loading its .crate again.
  std::string name, vers, cksum;
  std::string index_line;  // verbatim from the source
  std::function<Result<std::string>()> load;  // the exact .crate bytes
};

// Loads the .crate, reads README, description and search data from it and localizes the
// line's `registry` fields: the version ready for Registry::ImportVersions. nullopt when the
// version is already here with the source's checksum (not loaded then); Conflict when it is
// here with other bytes.
Result<std::optional<ImportedVersion>> PrepareImport(const ImportContext& context,
                                                     const SourceVersion& version);

// PrepareImport, then Registry::ImportVersion (which checks the bytes against the line's
// checksum and stores it).
Result<ImportOutcome> ImportOne(const ImportContext& context, const SourceVersion& version);

// `line` with every deps[].registry that names one of `source_urls` (ignoring a trailing
// "/" and "sparse+") set to null; the line's bytes unchanged when none does.
Result<std::string> LocalizeIndexLine(const std::string& line,
                                      const std::vector<std::string>& source_urls);

}  // namespace registry
