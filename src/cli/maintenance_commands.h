// Looking after a data directory from the command line: check, backup, restore, health.
#pragma once

#include <vector>

#include "cli/command.h"

namespace registry {

std::vector<Command> MaintenanceCommands();

}  // namespace registry
