// `registry check`: verifies a data directory (database integrity, schema version, every
// blob against its checksum, every index line against its version, every hosted docs file)
// and optionally repairs
// what can be repaired without guessing.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "app/app.h"
#include "base/status.h"

namespace registry {

struct CheckOptions {
  bool repair = false;
  // Unreferenced blobs younger than this may belong to a publish in flight: they are counted
  // but not reported (nor removed).
  int64_t orphan_grace_seconds = 3600;
};

struct CheckProblem {
  std::string what;
  bool repairable = false;
  bool repaired = false;
};

struct CheckReport {
  int schema_version = 0;
  int64_t versions = 0;
  int64_t blobs = 0;
  int64_t blob_bytes = 0;
  int64_t doc_files = 0;       // hosted docs: files of all versions
  int64_t doc_blobs = 0;       // the distinct stored files they share
  int64_t doc_blob_bytes = 0;
  int64_t recent_orphans = 0;  // within the grace period
  int temp_files_removed = 0;
  std::vector<CheckProblem> problems;
  // True when nothing is wrong, or everything wrong was repaired.
  bool Clean() const;
};

// Called as the check advances, e.g. to draw a progress bar: ("blobs", 120, 1000).
using CheckProgress = std::function<void(std::string_view phase, int64_t done, int64_t total)>;

// Problems found are in the report, not in the Status; the Status fails only when the check
// itself cannot run (database unreadable).
Result<CheckReport> CheckDataDir(App* app, const CheckOptions& options,
                                 const CheckProgress& progress);

// The human summary: one line per problem, then the counts.
std::string FormatCheckReport(const CheckReport& report);

}  // namespace registry
