// `registry docs upload` (pack target/doc, PUT it to a registry) and `registry docs delete`.
#include "cli/docs_commands.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/app.h"
#include "docs/docs_pack.h"
#include "docs/docs_upload.h"

namespace registry {

// "812 bytes", "3.4 MiB".
static std::string DocsByteCount(uint64_t bytes) {
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  char buf[32];
  if (bytes < (1 << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
  return buf;
}

// A token is one word of printable ASCII. Checked before anything is sent: stdin may be a
// CI runner's script rather than a token.
static bool LooksLikeDocsToken(const std::string& token) {
  return !token.empty() &&
         std::all_of(token.begin(), token.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// The token from --token-env VAR (default cargo's variable for --registry), else one line
// of stdin when it is not a terminal.
static Result<std::string> DocsUploadToken(const ParsedArgs& args) {
  std::string registry_name = args.Get("--registry", "private");
  RETURN_IF_ERROR(CheckRegistryName(registry_name));
  std::string var = args.Get("--token-env", CargoTokenVariable(registry_name));
  const char* value = std::getenv(var.c_str());
  if (value && *value) {
    if (!LooksLikeDocsToken(value)) {
      return Status::Invalid(var + " does not hold a token (spaces or control characters)");
    }
    return std::string(value);
  }
  if (isatty(STDIN_FILENO)) {
    return Status::Unauthorized("no token: " + var +
                                " is not set (give the registry's token there, as cargo reads it, "
                                "or on stdin)");
  }
  char line[4096];
  std::string token;
  if (std::fgets(line, sizeof line, stdin)) token = line;
  size_t begin = token.find_first_not_of(" \t\r\n");
  size_t end = token.find_last_not_of(" \t\r\n");
  token = begin == std::string::npos ? "" : token.substr(begin, end - begin + 1);
  if (token.empty()) {
    return Status::Unauthorized("no token: " + var + " is not set and stdin gave none");
  }
  if (!LooksLikeDocsToken(token)) {
    return Status::Invalid(var + " is not set and the first line of stdin is not a token");
  }
  return token;
}

// "sending docs [#########.....] 4.1 MiB of 9.6 MiB", redrawn in place; only called when stderr is
// a terminal.
static void DrawDocsUploadProgress(uint64_t sent, uint64_t total, int* last_permille) {
  int permille = total == 0 ? 1000 : static_cast<int>(sent * 1000 / total);
  if (permille == *last_permille) return;
  *last_permille = permille;
  constexpr int kWidth = 30;
  int filled = permille * kWidth / 1000;
  std::fprintf(stderr, "\r\033[Ksending docs [%s%s] %s of %s", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), DocsByteCount(sent).c_str(),
               DocsByteCount(total).c_str());
  if (sent == total) std::fputc('\n', stderr);
}

int DocsUploadCommand(const ParsedArgs& args) {
  const std::string& name = args.positional[0];
  const std::string& version = args.positional[1];
  const std::string& dir = args.positional[2];
  DocsUploadRequest request;
  request.url = args.Get("--url");
  request.ca_file = args.Get("--cacert");
  request.name = name;
  request.version = version;
  Status valid = CheckDocsUploadRequest(request);
  if (!valid.ok()) return Fail(valid);
  Result<std::string> token = DocsUploadToken(args);
  if (!token.ok()) return Fail(token.status());
  request.token = *token;

  Result<PackedDocs> packed = PackDocsDir(dir, name);
  if (!packed.ok()) return Fail(packed.status());
  const DocsPackStats& stats = packed->stats();
  if (stats.skipped_links > 0 || stats.skipped_other > 0) {
    auto count = [](int64_t n, const char* one, const char* many) {
      return std::to_string(n) + " " + (n == 1 ? one : many);
    };
    std::string what = stats.skipped_links == 0
                           ? ""
                           : count(stats.skipped_links, "symbolic link", "symbolic links");
    if (stats.skipped_other > 0) {
      what += (what.empty() ? "" : " and ") +
              count(stats.skipped_other, "special file", "special files");
    }
    std::fprintf(stderr, "warning: left out %s of %s (docs hold regular files only)\n",
                 what.c_str(), dir.c_str());
  }

  // A server that closes the connection mid-body must end the upload with an error, not the
  // process with SIGPIPE (TLS writes go through write(2)).
  ::signal(SIGPIPE, SIG_IGN);
  int last_permille = -1;
  DocsUploadProgress progress;
  if (isatty(STDERR_FILENO)) {
    progress = [&](uint64_t sent, uint64_t total) {
      DrawDocsUploadProgress(sent, total, &last_permille);
    };
  }
  Result<DocsUploaded> up = SendDocs(request, *packed, progress);
  if (last_permille >= 0 && last_permille < 1000) std::fputc('\n', stderr);
  if (!up.ok()) return Fail(up.status());

  std::printf("%s\n", up->url.c_str());
  std::fprintf(stderr, "%s %s: %lld files, %s (archive: %s); %lld files, %s new%s\n", name.c_str(),
               version.c_str(), static_cast<long long>(up->files),
               DocsByteCount(static_cast<uint64_t>(up->bytes)).c_str(),
               DocsByteCount(packed->size()).c_str(), static_cast<long long>(up->new_files),
               DocsByteCount(static_cast<uint64_t>(up->new_bytes)).c_str(),
               up->replaced ? "; replaced the earlier docs" : "");
  return 0;
}

int DocsDeleteCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  const std::string& name = args.positional[0];
  const std::string& version = args.positional[1];
  // The operator, who may do what administrators may (Actor::FromCli).
  Status st = (*app)->registry().DeleteDocs(Actor::ForCli(), name, version);
  if (!st.ok()) return Fail(st);
  std::printf("deleted the docs of %s %s\n", name.c_str(), version.c_str());
  return 0;
}

std::vector<Command> DocsCommands() {
  return {
      {{"docs upload",
        {"--url", "--token-env", "--registry", "--cacert"},
        {},
        {"--url"},
        3,
        3,
        "registry docs upload --url URL [--token-env VAR] [--registry NAME] [--cacert FILE]\n"
        "                     NAME VERSION DIR",
        "pack DIR (the output of `cargo doc`, e.g. target/doc) and upload it as the docs of\n"
        "      NAME VERSION; the token comes from $VAR, by default cargo's\n"
        "      CARGO_REGISTRIES_<NAME>_TOKEN for --registry (default `private`), else from stdin;\n"
        "      prints the docs' URL"},
       DocsUploadCommand},
      {{"docs delete",
        {"--data"},
        {},
        {"--data"},
        2,
        2,
        "registry docs delete --data DIR NAME VERSION",
        "remove the uploaded docs of one version (files no other version shares are deleted)"},
       DocsDeleteCommand},
  };
}

}  // namespace registry
