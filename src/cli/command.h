// A subcommand of `registry` (its spec and what runs it), and what every subcommand shares:
// how it fails, how it opens the data directory, its progress bar.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "base/status.h"
#include "cli/args.h"
#include "cli/version.h"
#include "maintenance/check.h"

namespace registry {

struct Command {
  CommandSpec spec;
  std::function<int(const ParsedArgs&)> run;
};

// Exit status 1: the command could not do its work ("error: ..." on stderr).
int Fail(const Status& st);
// Exit status 2: the command line itself is wrong. One line naming the problem, and a hint
// pointing at the command's own help.
int UsageError(const std::string& command, const Status& st);

// Opens --data for a command that works on an existing registry: a missing or empty DIR is
// an error, never a new registry. Only serve, restore and the imports create one
// (OpenOrCreateApp).
Result<std::unique_ptr<App>> OpenApp(const ParsedArgs& args,
                                     RegistryOptions options = RegistryOptions{});
Result<std::unique_ptr<App>> OpenOrCreateApp(const ParsedArgs& args,
                                             RegistryOptions options = RegistryOptions{});

// A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean).
CheckProgress TerminalProgress();

}  // namespace registry
