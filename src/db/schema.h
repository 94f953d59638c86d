// The database schema and its versioned migrations.
#pragma once

#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

// The schema version this binary writes.
int LatestSchemaVersion();

// Brings the database up to LatestSchemaVersion(), one migration per transaction.
// Refuses (Invalid) a database whose version is newer than this binary knows, touching nothing.
Status Migrate(Database* db);
// Migrates only up to `version` (<= LatestSchemaVersion()); tests build old databases with it.
Status MigrateTo(Database* db, int version);

}  // namespace registry
