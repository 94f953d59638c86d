// `registry serve`: the HTTP server over a data directory.
#pragma once

#include <vector>

#include "cli/command.h"

namespace registry {

std::vector<Command> ServeCommands();

}  // namespace registry
