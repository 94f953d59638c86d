// The audit log's retention: rows older than a date are removed only by an explicit,
// audited prune (`registry audit prune --before DATE`); between prunes the log is append-only.
#pragma once

#include <cstdint>

#include "auth/actor.h"
#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

// Removes every audit row with `at` before `before` and appends an "audit-prune" row by `by`
// saying how many and up to when, all in one transaction: the delete trigger is lifted for
// this transaction only. Invalid when `before` is not in the past (`now`). Sets `*removed`.
Status PruneAudit(Database* db, const Actor& by, int64_t before, int64_t now, int64_t* removed);

}  // namespace registry
