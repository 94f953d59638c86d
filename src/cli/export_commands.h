// `registry export`: writes the static sparse-index tree (src/export/).
#pragma once

#include "cli/args.h"
#include "cli/command.h"

namespace registry {

// registry export --data DIR OUT --base-url URL [--include-mirror]
int ExportCommand(const ParsedArgs& args);

// export.
std::vector<Command> ExportCommands();

}  // namespace registry
