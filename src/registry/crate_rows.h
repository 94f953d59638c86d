// Row lookups shared by the registry operations (internal to src/registry/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/actor.h"
#include "base/status.h"
#include "db/sqlite.h"
#include "publish/crate_targets.h"

namespace registry {

struct CrateRow {
  int64_t id = 0;
  std::string name;
};

// The crate whose canonical name equals CanonicalCrateName(name), if any.
Result<std::optional<CrateRow>> FindCrateByCanonicalName(Database* db, std::string_view name);

// NotFound with "crate `NAME` does not exist" when absent.
Result<CrateRow> RequireCrate(Database* db, std::string_view name);

Result<bool> IsOwner(Database* db, int64_t crate_id, int64_t user_id);

// Forbidden unless `actor`'s user owns the crate (or, with `admin_may`, is an administrator or
// the operator at the command line: they can yank and change owners of any crate, e.g. when
// its owners have left).
Status RequireOwner(Database* db, const CrateRow& crate, const Actor& actor, std::string_view what,
                    bool admin_may = false);

// Rewrites the crate's full-text search row from its name, description and the keywords of
// its max_version. Call after the crate's summary changed, in the same transaction.
Status RefreshSearchIndex(Database* db, int64_t crate_id);

// Rebuilds the crate's stored sparse-index file (body, gzip, ETag) from its versions. Call
// after any change to them, in the same transaction.
Status RefreshIndexFile(Database* db, int64_t crate_id);

// Recomputes crates.max_version (highest non-yanked version, else highest) and updated_at.
Status RefreshCrateSummary(Database* db, int64_t crate_id, int64_t now);

// Records version `version_id`'s dependencies on crates of this registry (from its stored
// publish JSON) in the dependencies table. Call in the transaction that inserts the version.
Status RecordDependencies(Database* db, int64_t version_id);

// Binds versions.bin_names to parameter `first` and versions.has_lib to `first + 1` (NULL
// both when `targets` is not known).
void BindTargets(Statement* st, int first, const std::optional<CrateTargets>& targets);

// An SQL condition limiting `canonical` to the actor's crate patterns ("1" for none), binding
// its GLOB patterns from parameter `first` on with BindCratePatterns.
std::string CratePatternCondition(const Actor& actor, int first);
void BindCratePatterns(Statement* st, const Actor& actor, int first);

}  // namespace registry
