// `registry import`: brings a team's existing registry in (src/import/ does the work).
#pragma once

#include "cli/args.h"
#include "cli/command.h"

namespace registry {

extern const char* const kImportUsage;

// registry import --data DIR SOURCE [--owner USER] [--dry-run] [--token TOKEN]
//                 [--crates-dir D] [--crate-list FILE]
// Exit 0 when nothing was refused, 1 otherwise (the summary names each refusal).
int ImportCommand(const ParsedArgs& args);

// import.
std::vector<Command> ImportCommands();

}  // namespace registry
