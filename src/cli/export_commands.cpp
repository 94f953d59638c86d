// `registry export`: the static tree, and what changed since the last run.
#include "cli/export_commands.h"

#include <cstdio>

#include "app/app.h"
#include "export/static_export.h"

namespace registry {

int ExportCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), RegistryOptions{});
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

}  // namespace registry
