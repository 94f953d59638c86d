// `registry export`: the static tree, and what changed since the last run.
#include "cli/export_commands.h"

#include <cstdio>

#include "app/app.h"
#include "export/static_export.h"

namespace registry {

int ExportCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) {
    std::fprintf(stderr, "error: %s\n", app.status().message().c_str());
    return 1;
  }
  ExportOptions options;
  options.out_dir = args.positional[0];
  options.base_url = args.Get("--base-url");
  options.include_mirror = args.Has("--include-mirror");
  Result<ExportReport> report = ExportStaticIndex(&(*app)->pool(), (*app)->blobs(), options);
  if (!report.ok()) {
    std::fprintf(stderr, "error: %s\n", report.status().message().c_str());
    return 1;
  }
  std::printf("exported to %s: %zu files written, %zu unchanged, %zu removed\n",
              options.out_dir.c_str(), report->written, report->unchanged, report->removed);
  return 0;
}

std::vector<Command> ExportCommands() {
  return {
      {{"export",
        {"--data", "--base-url"},
        {"--include-mirror"},
        {"--data", "--base-url"},
        1,
        1,
        "registry export --data DIR OUT --base-url URL [--include-mirror]",
        "write a static sparse-index tree (config.json, index files, .crate files) to serve\n"
        "      from URL with any web server; a second run rewrites only what changed"},
       ExportCommand},
  };
}

}  // namespace registry
