// The import loop and its summary.
#include "import/importer.h"

namespace registry {

ImportSummary RunImport(const ImportContext& context, const std::vector<SourceVersion>& versions,
                        const ImportProgress& progress) {
  constexpr size_t kMaxBatch = 512;
  constexpr uint64_t kMaxBatchBytes = 64ull << 20;
  ImportSummary summary;
  auto count = [&](size_t i, const Result<ImportOutcome>& outcome) {
    if (!outcome.ok()) {
      summary.refused.emplace_back(versions[i].label, outcome.status().message());
    } else if (*outcome == ImportOutcome::kImported) {
      ++summary.imported;
    } else {
      ++summary.skipped;
    }
  };
  std::vector<ImportedVersion> batch;
  std::vector<size_t> batch_index;  // position in `versions` of each batch entry
  uint64_t batch_bytes = 0;
  auto flush = [&]() {
    if (!batch.empty()) {
      std::vector<Result<ImportOutcome>> outcomes =
          context.registry->ImportVersions(context.actor, batch);
      for (size_t j = 0; j < outcomes.size(); ++j) count(batch_index[j], outcomes[j]);
      batch.clear();
      batch_index.clear();
      batch_bytes = 0;
    }
  };
  for (size_t i = 0; i < versions.size(); ++i) {
    Result<std::optional<ImportedVersion>> prepared = PrepareImport(context, versions[i]);
    if (!prepared.ok()) {
      count(i, prepared.status());
    } else if (!prepared->has_value()) {
      count(i, ImportOutcome::kAlreadyPresent);
    } else {
      batch_bytes += (*prepared)->crate.size();
      batch.push_back(std::move(**prepared));
      batch_index.push_back(i);
    }
    if (batch.size() >= kMaxBatch || batch_bytes >= kMaxBatchBytes) flush();
    if (progress && i + 1 < versions.size()) progress(i + 1, versions.size());
  }
  flush();
  if (progress) progress(versions.size(), versions.size());
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
