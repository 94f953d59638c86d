// `registry token ...`: API tokens from the command line.
#pragma once

#include <vector>

#include "cli/command.h"

namespace registry {

// token create, list, revoke.
std::vector<Command> TokenCommands();

}  // namespace registry
