// Command-line parsing against a table of subcommands; no I/O, so it is unit-tested.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace registry {

struct CommandSpec {
  std::string name;                        // "serve", "user add", "token create"
  std::vector<std::string> value_options;  // "--data", taking a value ("--data X" or "--data=X")
  std::vector<std::string> flags;          // "--admin"
  std::vector<std::string> required;       // value options that must be given
  size_t min_positional = 0;
  size_t max_positional = 0;
  std::string usage;  // "registry user add --data DIR NAME [--admin]"
  std::string summary;
};

struct ParsedArgs {
  const CommandSpec* spec = nullptr;
  std::map<std::string, std::vector<std::string>> options;  // repeated options accumulate
  std::set<std::string> flags;
  std::vector<std::string> positional;

  // The last value of `name`, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  bool Has(const std::string& name) const { return flags.count(name) > 0; }
};

// Parses `args` (without argv[0]). The command is the longest spec name that prefixes the
// arguments; with no command word at all, `default_command` is used (so `registry --data D`
// means `registry serve --data D`). Invalid with a message naming the problem.
Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                             const std::vector<CommandSpec>& specs,
                             const std::string& default_command);

// A request for help: `registry help [WORDS]`, `registry [WORDS] --help` or `-h`. WORDS name one
// command ("user add"), a group ("user": every "user ..." command) or nothing (every command).
struct HelpRequest {
  bool asked = false;
  std::vector<const CommandSpec*> specs;  // what to print, in table order
};
// Not asked when `args` holds no help word; Invalid ("unknown command `x`") when the words
// name no command or group.
Result<HelpRequest> FindHelp(const std::vector<std::string>& args,
                             const std::vector<CommandSpec>& specs);

// The words at the start of `args` naming a command ("user add") or a group ("user"), for the
// hint after a usage error; "" when they name neither.
std::string CommandWords(const std::vector<std::string>& args,
                         const std::vector<CommandSpec>& specs);

// A name cargo accepts for a registry in `[registries.NAME]` and CARGO_REGISTRIES_NAME_TOKEN:
// ASCII letters, digits, '-' and '_', not starting with a digit or '-', at most 64. Invalid,
// with the rule, otherwise.
Status CheckRegistryName(std::string_view name);

// A whole number in [min, max] for option `flag`; Invalid naming the flag and range otherwise.
Result<int64_t> ParseCount(std::string_view flag, std::string_view text, int64_t min, int64_t max);

// "10485760", "10M", "10MiB", "512K", "1G" (binary units). Invalid otherwise.
Result<uint64_t> ParseSize(std::string_view text);

// "45s", "90m", "12h", "30d", "4w" -> seconds. Invalid otherwise.
Result<int64_t> ParseDuration(std::string_view text);

// A point in time for `--since`: a duration ago ("7d"), a date ("2026-11-01", UTC midnight)
// or a UTC time ("2026-11-01T10:00:00Z"), relative to `now`. Invalid otherwise.
Result<int64_t> ParseSince(std::string_view text, int64_t now);

}  // namespace registry
