// `registry audit prune`: the audit log's retention, from the command line.
#pragma once

#include "cli/args.h"

namespace registry {

// registry audit prune --data DIR --before 90d|2026-01-01|2026-01-01T00:00:00Z
int AuditPruneCommand(const ParsedArgs& args);

}  // namespace registry
