// What every subcommand shares.
#include "cli/command.h"

#include <unistd.h>

#include <cstdio>

namespace registry {

int Fail(const Status& st) {
  std::fprintf(stderr, "error: %s\n", st.message().c_str());
  return 1;
}

int UsageError(const std::string& command, const Status& st) {
  std::fprintf(stderr, "error: %s\nhint: see `registry %s--help`\n", st.message().c_str(),
               command.empty() ? "" : (command + " ").c_str());
  return 2;
}

Result<std::unique_ptr<App>> OpenApp(const ParsedArgs& args, RegistryOptions options) {
  return App::OpenExisting(args.Get("--data"), options);
}

Result<std::unique_ptr<App>> OpenOrCreateApp(const ParsedArgs& args, RegistryOptions options) {
  return App::Open(args.Get("--data"), options);
}

CheckProgress TerminalProgress() {
  if (!isatty(STDERR_FILENO)) return nullptr;
  return [](std::string_view phase, int64_t done, int64_t total) {
    if (total <= 0 || (done != total && done % 64 != 0)) return;
    int width = 30;
    int filled = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r%-8.*s [%s%s] %lld/%lld", static_cast<int>(phase.size()), phase.data(),
                 std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                 static_cast<long long>(done), static_cast<long long>(total));
    if (done == total) std::fputc('\n', stderr);
  };
}

}  // namespace registry
