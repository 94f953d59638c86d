// `registry import`: picks the source kind from SOURCE, lists its versions, imports them with
// a progress bar on a terminal, and prints the summary.
#include "cli/import_commands.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>

#include "app/app.h"
#include "base/clock.h"
#include "cli/command.h"
#include "import/crate_dir.h"
#include "import/crate_loaders.h"
#include "import/importer.h"
#include "import/index_dir.h"
#include "import/kellnr_dir.h"
#include "import/sparse_source.h"
#include "mirror/fetcher.h"

namespace registry {

const char* const kImportUsage =
    "registry import --data DIR SOURCE [--owner USER] [--dry-run] [--token TOKEN]\n"
    "                [--crates-dir D] [--crate-list FILE]";

namespace {

// The oldest enabled administrator: who `registry serve` created on first start.
Result<std::string> DefaultOwner(App* app) {
  auto db = app->pool().Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT login FROM users WHERE is_admin = 1 AND disabled_at IS NULL ORDER BY id LIMIT 1");
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::Invalid("this registry has no administrator to own imported crates; give "
                           "--owner USER or create one with `registry user add --admin`");
  }
  return st.Text(0);
}

Result<std::vector<std::string>> ReadCrateList(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  std::vector<std::string> names;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    size_t hash = line.find('#');
    if (hash != std::string::npos) line.resize(hash);
    size_t start = line.find_first_not_of(" \t\r");
    if (start == std::string::npos) continue;
    size_t end = line.find_last_not_of(" \t\r");
    names.push_back(line.substr(start, end - start + 1));
  }
  return names;
}

struct Listed {
  std::vector<SourceVersion> versions;
  std::vector<std::string> source_urls;
  std::string kind;
};

// SOURCE's kind, from its form: a URL is a sparse registry; a directory is a Kellnr data
// directory (db.sqlite + crates/), a git index checkout (config.json), a local registry
// (index/), or else a directory of .crate files.
Result<Listed> ListSource(const ParsedArgs& args, Fetcher* fetcher) {
  namespace fs = std::filesystem;
  const std::string& source = args.positional[0];
  std::string token = args.Get("--token"), crates_dir = args.Get("--crates-dir");
  Listed listed;
  Result<std::vector<SourceVersion>> versions = Status::Internal("no source kind matched");
  if (source.rfind("sparse+", 0) == 0 || source.rfind("http://", 0) == 0 ||
      source.rfind("https://", 0) == 0) {
    listed.kind = "sparse registry";
    SparseSourceOptions options;
    options.index_url = source;
    options.token = token;
    if (!args.Get("--crate-list").empty()) {
      Result<std::vector<std::string>> names = ReadCrateList(args.Get("--crate-list"));
      if (!names.ok()) return names.status();
      options.crate_names = std::move(*names);
    }
    std::string plain = source.rfind("sparse+", 0) == 0 ? source.substr(7) : source;
    listed.source_urls = {"sparse+" + plain};
    versions = ListSparseSource(fetcher, options);
  } else {
    std::error_code ec;
    if (!fs::is_directory(source, ec)) {
      return Status::NotFound("`" + source + "` is neither a sparse+http(s):// URL nor a directory");
    }
    std::string absolute = fs::absolute(source, ec).lexically_normal().string();
    while (absolute.size() > 1 && absolute.back() == '/') absolute.pop_back();
    if (IsKellnrDir(source)) {
      listed.kind = "Kellnr data directory";
      versions = ListKellnrDir(source);
    } else if (fs::is_regular_file(source + "/config.json", ec)) {
      listed.kind = "git index checkout";
      CrateLoader loader;
      if (!crates_dir.empty()) {
        loader = DirCrateLoader(crates_dir);
      } else {
        Result<std::string> dl = ReadIndexDl(source);
        if (!dl.ok()) return dl.status();
        if (dl->empty()) {
          return Status::Invalid("`" + source + "/config.json` has no `dl`; give --crates-dir");
        }
        loader = HttpCrateLoader(fetcher, *dl, token);
      }
      std::string origin = GitOriginUrl(source);
      if (!origin.empty()) listed.source_urls.push_back(origin);
      if (origin.rfind("/", 0) == 0) listed.source_urls.push_back("file://" + origin);
      listed.source_urls.push_back("file://" + absolute);
      versions = ListIndexDir(source, loader);
    } else if (fs::is_directory(source + "/index", ec)) {
      listed.kind = "local registry";
      versions = ListIndexDir(source + "/index",
                              DirCrateLoader(crates_dir.empty() ? source : crates_dir));
    } else {
      listed.kind = ".crate directory";
      versions = ListCrateDir(source);
    }
  }
  if (!versions.ok()) return versions.status();
  listed.versions = std::move(*versions);
  return listed;
}

// "\r[##########..........]  512/1024" on stderr, redrawn at most every 1/200 of the run.
void DrawProgress(size_t done, size_t total) {
  constexpr size_t kWidth = 30;
  if (total == 0) return;
  size_t step = total / 200 + 1;
  if (done % step != 0 && done != total) return;
  size_t filled = done * kWidth / total;
  std::fprintf(stderr, "\r[%s%s] %zu/%zu", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total);
  if (done == total) std::fprintf(stderr, "\n");
}

}  // namespace

int ImportCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return Fail(app.status());
  std::string owner = args.Get("--owner");
  if (owner.empty()) {
    Result<std::string> admin = DefaultOwner(app->get());
    if (!admin.ok()) return Fail(admin.status());
    owner = *admin;
  } else {
    Result<User> user = (*app)->users().Find(owner);
    if (!user.ok()) return Fail(user.status());
    owner = user->login;
  }
  HttpFetcher fetcher{HttpFetcherOptions{}};
  Result<Listed> listed = ListSource(args, &fetcher);
  if (!listed.ok()) return Fail(listed.status());
  std::fprintf(stderr, "%s `%s`: %zu versions\n", listed->kind.c_str(),
               args.positional[0].c_str(), listed->versions.size());

  ImportContext context;
  context.registry = &(*app)->registry();
  context.clock = &SystemClock();
  context.actor = Actor::ForCli();
  context.owner = owner;
  context.dry_run = args.Has("--dry-run");
  context.source = args.positional[0];
  context.source_registry_urls = listed->source_urls;
  bool terminal = isatty(STDERR_FILENO) != 0;
  ImportSummary summary = RunImport(context, listed->versions,
                                    terminal ? ImportProgress(DrawProgress) : ImportProgress());
  std::fputs(FormatImportSummary(summary, context.dry_run).c_str(), stdout);
  return summary.refused.empty() ? 0 : 1;
}

std::vector<Command> ImportCommands() {
  return {
      {{"import",
        {"--data", "--owner", "--token", "--crates-dir", "--crate-list"},
        {"--dry-run"},
        {"--data"},
        1,
        1,
        kImportUsage,
        "import every version of another registry with its exact bytes and index lines; SOURCE\n"
        "      is a git index checkout, a sparse+http(s):// URL, a local-registry directory,\n"
        "      a Kellnr data directory or a directory of .crate files (exit 1: some refused)"},
       ImportCommand},
  };
}

}  // namespace registry
