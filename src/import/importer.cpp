// The import loop and its summary.
#include "import/importer.h"

namespace registry {

ImportSummary RunImport(const ImportContext& context, const std::vector<SourceVersion>& versions,
                        const ImportProgress& progress) {
  ImportSummary summary;
  for (size_t i = 0; i < versions.size(); ++i) {
    Result<ImportOutcome> outcome = ImportOne(context, versions[i]);
    if (!outcome.ok()) {
      summary.refused.emplace_back(versions[i].label, outcome.status().message());
    } else if (*outcome == ImportOutcome::kImported) {
      ++summary.imported;
    } else {
      ++summary.skipped;
    }
    if (progress) progress(i + 1, versions.size());
  }
  return summary;
}

std::string FormatImportSummary(const ImportSummary& summary, bool dry_run) {
  std::string text = std::string(dry_run ? "dry run: would import " : "imported ") +
                     std::to_string(summary.imported) + ", skipped " +
                     std::to_string(summary.skipped) + " (already here), refused " +
                     std::to_string(summary.refused.size());
  text += summary.refused.empty() ? "\n" : ":\n";
  for (const auto& [label, reason] : summary.refused) text += "  " + label + ": " + reason + "\n";
  return text;
}

}  // namespace registry
