// The crates.io mirror on the command line: serve's mirror options, the cargo config the
// server prints, and the `registry mirror ...` subcommands.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/app.h"
#include "base/status.h"
#include "cli/args.h"
#include "cli/command.h"
#include "mirror/fetcher.h"
#include "mirror/mirror.h"

namespace registry {

// The options `serve` takes for the mirror, to add to its spec.
extern const char* const kServeMirrorOptions[5];  // --upstream, --upstream-ttl, ...
extern const char* const kServeMirrorUsage;

// The mirror `serve` runs, built from --upstream URL|off (default https://index.crates.io/),
// --upstream-ttl (default 10m), --upstream-cacert FILE, --private-names PATTERN (repeatable)
// and --mirror-max-size SIZE (default no cap).
struct ServedMirror {
  std::unique_ptr<Fetcher> fetcher;
  std::unique_ptr<Mirror> mirror;
  std::string upstream;  // "off" or the URL
};
Result<ServedMirror> MirrorFromArgs(const ParsedArgs& args, App* app,
                                    const std::string& registry_name);

// The user's whole cargo config for a server at `base` whose private registry users call
// `name`: the private index, the crates.io view, and crates-io replaced by the latter.
std::string CargoConfigText(const std::string& base, const std::string& name);

// mirror status, prefetch, export, import, allow, disallow.
std::vector<Command> MirrorCommands();

// `registry mirror status --data DIR`
int MirrorStatusCommand(const ParsedArgs& args);
// `registry mirror prefetch --data DIR [--upstream URL] [--upstream-cacert FILE] Cargo.lock...`
int MirrorPrefetchCommand(const ParsedArgs& args);
// `registry mirror export --data DIR OUT [--lockfile F]...`
int MirrorExportCommand(const ParsedArgs& args);
// `registry mirror import --data DIR BUNDLE`
int MirrorImportCommand(const ParsedArgs& args);
// `registry mirror allow --data DIR NAME` / `registry mirror disallow --data DIR NAME`
int MirrorAllowCommand(const ParsedArgs& args, bool allow);

}  // namespace registry
