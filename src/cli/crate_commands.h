// `registry crate limits`: a crate's own publish limits, from the command line.
#pragma once

#include "cli/args.h"
#include "cli/command.h"

namespace registry {

// registry crate limits --data DIR NAME [--max-features N|default] [--max-size SIZE|default]
// Without either option, prints the crate's limits.
int CrateLimitsCommand(const ParsedArgs& args);

// crate limits.
std::vector<Command> CrateCommands();

}  // namespace registry
