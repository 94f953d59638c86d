// `registry check`, `backup`, `restore` and `health`.
#include "cli/maintenance_commands.h"

#include <chrono>
#include <cstdio>

#include "http/health_probe.h"
#include "maintenance/backup.h"
#include "maintenance/check.h"

namespace registry {

namespace {

int Check(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  CheckOptions options;
  options.repair = args.Has("--repair");
  Result<CheckReport> report = CheckDataDir(app->get(), options, TerminalProgress());
  if (!report.ok()) return Fail(report.status());
  std::printf("%s", FormatCheckReport(*report).c_str());
  return report->Clean() ? 0 : 1;
}

int BackupCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<BackupStats> stats = Backup(app->get(), args.positional[0], TerminalProgress());
  if (!stats.ok()) return Fail(stats.status());
  std::fprintf(stderr, "backed up %lld versions, %lld blobs and %lld docs files to %s (%lld bytes)\n",
               static_cast<long long>(stats->versions), static_cast<long long>(stats->blobs),
               static_cast<long long>(stats->doc_blobs), args.positional[0].c_str(),
               static_cast<long long>(stats->bytes));
  return 0;
}

int RestoreCommand(const ParsedArgs& args) {
  std::string dir = args.Get("--data");
  Result<BackupStats> stats = Restore(args.positional[0], dir, TerminalProgress());
  if (!stats.ok()) return Fail(stats.status());
  // Opening migrates an older schema and proves the result is usable.
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<CheckReport> report = CheckDataDir(app->get(), CheckOptions{}, nullptr);
  if (!report.ok()) return Fail(report.status());
  if (!report->Clean()) {
    std::printf("%s", FormatCheckReport(*report).c_str());
    return 1;
  }
  std::fprintf(stderr,
               "restored %lld versions, %lld blobs and %lld docs files into %s; every checksum "
               "verified\n",
               static_cast<long long>(stats->versions), static_cast<long long>(stats->blobs),
               static_cast<long long>(stats->doc_blobs), dir.c_str());
  return 0;
}

int Health(const ParsedArgs& args) {
  Status st = ProbeHealth(args.Get("--url"), args.Get("--cacert"), std::chrono::seconds(5));
  if (!st.ok()) return Fail(st);
  std::printf("ok\n");
  return 0;
}

}  // namespace

std::vector<Command> MaintenanceCommands() {
  return {
      {{"check",
        {"--data"},
        {"--repair"},
        {"--data"},
        0,
        0,
        "registry check --data DIR [--repair]",
        "verify the database, every blob's checksum and every index line; --repair removes\n"
        "      unreferenced blobs and stale temp files and fixes index lines (exit 1: problems)"},
       Check},
      {{"backup",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry backup --data DIR OUT",
        "write a consistent zstd-compressed snapshot archive, also while serving"},
       BackupCommand},
      {{"restore",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry restore ARCHIVE --data NEWDIR",
        "restore an archive into a new directory, verifying every checksum"},
       RestoreCommand},
      {{"health",
        {"--url", "--cacert"},
        {},
        {"--url"},
        0,
        0,
        "registry health --url URL [--cacert FILE]",
        "exit 0 when URL/health answers 200 within 5 s, else 1 (a container HEALTHCHECK)"},
       Health},
  };
}

}  // namespace registry
