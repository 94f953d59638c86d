// Runs an import: every version a source lists through ImportOne, counted for the summary.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "import/import_step.h"

namespace registry {

struct ImportSummary {
  size_t imported = 0;  // or, on a dry run, would be
  size_t skipped = 0;   // already here with the same bytes
  std::vector<std::pair<std::string, std::string>> refused;  // label, reason
};

// Called after each version with (done, total).
using ImportProgress = std::function<void(size_t, size_t)>;

// Imports `versions` in order, in batches (Registry::ImportVersions) of at most 512 versions
// or 64 MiB of .crate files; a refused version is recorded and the run goes on, so a second
// run after fixing the cause imports only what is missing.
ImportSummary RunImport(const ImportContext& context, const std::vector<SourceVersion>& versions,
                        const ImportProgress& progress);

// "imported 12, skipped 3 (already here), refused 1:\n  foo 1.0.0: checksum mismatch..."
std::string FormatImportSummary(const ImportSummary& summary, bool dry_run);

}  // namespace registry
