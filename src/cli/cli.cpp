// The `registry` command line: the table of subcommands, help, and dispatch. Each group of
// subcommands lives in its own file (serve_command.cpp, user_commands.cpp, ...).
#include "cli/cli.h"

#include <cstdio>

#include "cli/audit_commands.h"
#include "cli/command.h"
#include "cli/crate_commands.h"
#include "cli/docs_commands.h"
#include "cli/export_commands.h"
#include "cli/import_commands.h"
#include "cli/maintenance_commands.h"
#include "cli/mirror_commands.h"
#include "cli/serve_command.h"
#include "cli/token_commands.h"
#include "cli/user_commands.h"

namespace registry {

namespace {

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = [] {
    std::vector<Command> all;
    for (std::vector<Command> group :
         {ServeCommands(), UserCommands(), TokenCommands(), CrateCommands(), DocsCommands(),
          ImportCommands(), ExportCommands(), MaintenanceCommands(), AuditCommands(),
          MirrorCommands()}) {
      for (Command& c : group) all.push_back(std::move(c));
    }
    return all;
  }();
  return commands;
}

void PrintUsage(const std::vector<const CommandSpec*>& specs, bool everything) {
  if (everything) std::printf("registry %s: a private Cargo registry\n\n", kVersion);
  std::printf("Usage:\n");
  for (const CommandSpec* spec : specs) {
    std::printf("  %s\n      %s\n", spec->usage.c_str(), spec->summary.c_str());
  }
  if (everything) {
    std::printf("  registry help [COMMAND] | registry COMMAND --help | registry --version\n");
  }
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && args[0] == "--version") {
    std::printf("registry %s (commit %s)\n", kVersion, kCommit);
    return 0;
  }
  std::vector<CommandSpec> specs;
  for (const Command& c : Commands()) specs.push_back(c.spec);
  Result<HelpRequest> help = FindHelp(args, specs);
  if (!help.ok()) return UsageError("", help.status());
  if (help->asked) {
    PrintUsage(help->specs, help->specs.size() == specs.size());
    return 0;
  }
  if (args.empty()) {
    return UsageError("", Status::Invalid("no command given; `registry --data DIR` serves a "
                                          "registry from DIR"));
  }
  Result<ParsedArgs> parsed = ParseArgs(args, specs, "serve");
  if (!parsed.ok()) {
    std::string words = CommandWords(args, specs);
    if (words.empty() && args[0].rfind("--", 0) == 0) words = "serve";
    return UsageError(words, parsed.status());
  }
  for (const Command& c : Commands()) {
    if (c.spec.name == parsed->spec->name) return c.run(*parsed);
  }
  return 2;
}

}  // namespace registry
