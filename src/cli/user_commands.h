// `registry user ...`: accounts from the command line.
#pragma once

#include <vector>

#include "cli/command.h"

namespace registry {

// user add, passwd, disable, enable, role, list.
std::vector<Command> UserCommands();

}  // namespace registry
