// `registry audit` and `registry audit prune`: the audit log from the command line.
#pragma once

#include <vector>

#include "cli/command.h"

namespace registry {

// audit (print, oldest first), audit prune (the retention).
std::vector<Command> AuditCommands();

}  // namespace registry
