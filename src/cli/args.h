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

// "10485760", "10M", "10MiB", "512K", "1G" (binary units). Invalid otherwise.
Result<uint64_t> ParseSize(std::string_view text);

// "45s", "90m", "12h", "30d", "4w" -> seconds. Invalid otherwise.
Result<int64_t> ParseDuration(std::string_view text);

// A point in time for `--since`: a duration ago ("7d"), a date ("2026-11-01", UTC midnight)
// or a UTC time ("2026-11-01T10:00:00Z"), relative to `now`. Invalid otherwise.
Result<int64_t> ParseSince(std::string_view text, int64_t now);

}  // namespace registry
