// `registry mirror ...` and serve's mirror setup.
#include "cli/mirror_commands.h"

#include <unistd.h>
#include <algorithm>
#include <cctype>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "audit/audit_log.h"
#include "auth/scope.h"
#include "base/clock.h"
#include "mirror/bundle.h"
#include "mirror/lockfile.h"
#include "mirror/mirror_stats.h"
#include "mirror/prefetch.h"

namespace registry {

const char* const kServeMirrorOptions[5] = {"--upstream", "--upstream-ttl", "--upstream-cacert",
                                            "--private-names", "--mirror-max-size"};
const char* const kServeMirrorUsage =
    "                 [--upstream URL|off] [--upstream-ttl 10m] [--upstream-cacert FILE]\n"
    "                 [--private-names PATTERN]... [--mirror-max-size SIZE]";

Result<ServedMirror> MirrorFromArgs(const ParsedArgs& args, App* app,
                                    const std::string& registry_name) {
  ServedMirror out;
  out.upstream = args.Get("--upstream", "https://index.crates.io/");
  MirrorOptions options;
  options.registry_name = registry_name;
  if (out.upstream != "off") {
    if (out.upstream.rfind("http://", 0) != 0 && out.upstream.rfind("https://", 0) != 0) {
      return Status::Invalid("invalid --upstream `" + out.upstream +
                             "`: give the sparse index URL (http:// or https://) or `off`");
    }
    if (out.upstream.rfind("sparse+", 0) == 0) out.upstream.erase(0, 7);
    if (out.upstream.back() != '/') out.upstream += '/';
    options.index.upstream = out.upstream;
  }
  std::string ttl = args.Get("--upstream-ttl", "10m");
  Result<int64_t> seconds = ParseDuration(ttl);
  if (!seconds.ok())
    return Status::Invalid("invalid --upstream-ttl: " + seconds.status().message());
  options.index.ttl_seconds = *seconds;
  // Believe "no such crate" for a minute at most: a crate published upstream appears soon.
  options.index.missing_ttl_seconds = std::min<int64_t>(*seconds, 60);
  auto it = args.options.find("--private-names");
  if (it != args.options.end()) {
    for (const std::string& p : it->second) {
      Status valid = ValidateCratePattern(p);
      if (!valid.ok()) return Status::Invalid("invalid --private-names: " + valid.message());
      options.private_names.push_back(p);
    }
  }
  std::string max_size = args.Get("--mirror-max-size");
  if (!max_size.empty()) {
    Result<uint64_t> bytes = ParseSize(max_size);
    if (!bytes.ok() || *bytes == 0) {
      return Status::Invalid("invalid --mirror-max-size `" + max_size +
                             "`: give a size such as 500M or 10G");
    }
    options.max_crate_bytes = *bytes;
  }
  HttpFetcherOptions fetch;
  fetch.ca_file = args.Get("--upstream-cacert");
  out.fetcher = std::make_unique<HttpFetcher>(fetch);
  out.mirror = std::make_unique<Mirror>(&app->pool(), &app->blobs(), out.fetcher.get(),
                                        &SystemClock(), options);
  return out;
}

static std::string EnvName(std::string name) {
  for (char& c : name) c = c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return name;
}

std::string CargoConfigText(const std::string& base, const std::string& name) {
  return "[registries." + name +
         "]\n"
         "index = \"sparse+" +
         base +
         "/index/\"\n"
         "credential-provider = \"cargo:token\"\n"
         "[registries." +
         name +
         "-crates-io]\n"
         "index = \"sparse+" +
         base +
         "/crates-io/index/\"\n"
         "credential-provider = \"cargo:token\"\n"
         "[source.crates-io]\n"
         "replace-with = \"" +
         name +
         "-crates-io\"\n\n"
         "One token serves both entries; give it to each, either with\n"
         "  cargo login --registry " +
         name + " && cargo login --registry " + name +
         "-crates-io\n"
         "or in the environment:\n"
         "  export CARGO_REGISTRIES_" +
         EnvName(name) + "_TOKEN=TOKEN CARGO_REGISTRIES_" + EnvName(name) +
         "_CRATES_IO_TOKEN=TOKEN\n";
}

static std::string Ago(int64_t at, int64_t now) {
  if (at == 0) return "never";
  return FormatUtc(at) + " (" + std::to_string(now - at) + " s ago)";
}

int MirrorStatusCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = App::OpenExisting(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return std::fprintf(stderr, "error: %s\n", app.status().message().c_str()), 1;
  auto db = (*app)->pool().Acquire();
  if (!db.ok()) return std::fprintf(stderr, "error: %s\n", db.status().message().c_str()), 1;
  Result<MirrorStats> s = ReadMirrorStats(db->get());
  if (!s.ok()) return std::fprintf(stderr, "error: %s\n", s.status().message().c_str()), 1;
  const IndexCacheCounters& c = s->counters;
  std::printf(
      "crates.io mirror in %s\n"
      "  index files: %lld cached, %lld names upstream does not have\n"
      "  .crate files: %lld versions of %lld crates, %lld bytes\n"
      "  index reads: %lld hits, %lld misses, %lld revalidated, %lld stale; hit rate %.1f%%\n"
      "  upstream errors: %lld; last: %s%s%s\n"
      "  size cap: %s\n",
      (*app)->data_dir().c_str(), static_cast<long long>(s->index_files),
      static_cast<long long>(s->missing), static_cast<long long>(s->versions),
      static_cast<long long>(s->crates), static_cast<long long>(s->bytes),
      static_cast<long long>(c.hits), static_cast<long long>(c.misses),
      static_cast<long long>(c.revalidations), static_cast<long long>(c.stale), 100.0 * HitRate(c),
      static_cast<long long>(c.upstream_errors),
      s->last_error.empty() ? "none" : s->last_error.c_str(), s->last_error.empty() ? "" : " at ",
      s->last_error.empty() ? "" : Ago(s->last_error_at, SystemClock().Now()).c_str(),
      s->max_bytes == 0 ? "none (--mirror-max-size)"
                        : (std::to_string(s->max_bytes) +
                           " bytes; least recently used .crate files are evicted past it")
                              .c_str());
  return 0;
}

// One line per crate, redrawn in place on a terminal: "[#####     ] 12/40 serde 1.0.1".
static void DrawProgress(size_t done, size_t total, const std::string& what, bool tty) {
  constexpr size_t kWidth = 30;
  size_t filled = total == 0 ? kWidth : done * kWidth / total;
  std::string bar = "[" + std::string(filled, '#') + std::string(kWidth - filled, ' ') + "]";
  std::fprintf(stderr, "%s%s %zu/%zu %s%s", tty ? "\r\033[K" : "", bar.c_str(), done, total,
               what.c_str(), tty ? "" : "\n");
}

static int FailWith(const Status& st) {
  std::fprintf(stderr, "error: %s\n", st.message().c_str());
  return 1;
}

// The crates.io packages of the lock files at `paths`, each once.
static Result<std::vector<LockedCrate>> ReadLockFiles(const std::vector<std::string>& paths) {
  std::vector<LockedCrate> crates;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Status::Io("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    Result<std::vector<LockedCrate>> locked = CratesIoPackages(text.str(), path);
    if (!locked.ok()) return locked.status();
    for (LockedCrate& c : *locked) {
      bool seen = std::any_of(crates.begin(), crates.end(), [&](const LockedCrate& o) {
        return o.name == c.name && o.version == c.version;
      });
      if (!seen) crates.push_back(std::move(c));
    }
  }
  return crates;
}

int MirrorExportCommand(const ParsedArgs& args) {
  std::vector<std::string> locks;
  auto it = args.options.find("--lockfile");
  if (it != args.options.end()) locks = it->second;
  Result<std::vector<LockedCrate>> only = ReadLockFiles(locks);
  if (!only.ok()) return FailWith(only.status());
  if (!locks.empty() && only->empty()) {
    return FailWith(Status::Invalid("the lock files name no crates.io package"));
  }
  Result<std::unique_ptr<App>> app = App::OpenExisting(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return FailWith(app.status());
  Result<BundleStats> stats =
      ExportMirror(&(*app)->pool(), &(*app)->blobs(), *only, args.positional[0]);
  if (!stats.ok()) return FailWith(stats.status());
  std::printf("wrote %s: %lld index files, %lld .crate files, %lld bytes\n",
              args.positional[0].c_str(), static_cast<long long>(stats->index_files),
              static_cast<long long>(stats->crates), static_cast<long long>(stats->bytes));
  return 0;
}

int MirrorImportCommand(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return FailWith(app.status());
  Result<BundleStats> stats =
      ImportMirror(&(*app)->pool(), &(*app)->blobs(), &SystemClock(), args.positional[0]);
  if (!stats.ok()) return FailWith(stats.status());
  std::printf(
      "imported %lld index files and %lld .crate files (%lld bytes), every checksum "
      "verified\n",
      static_cast<long long>(stats->index_files), static_cast<long long>(stats->crates),
      static_cast<long long>(stats->bytes));
  return 0;
}

int MirrorPrefetchCommand(const ParsedArgs& args) {
  const auto& fail = FailWith;
  Result<std::vector<LockedCrate>> locked_crates = ReadLockFiles(args.positional);
  if (!locked_crates.ok()) return fail(locked_crates.status());
  std::vector<LockedCrate> crates = std::move(*locked_crates);
  if (args.Get("--upstream") == "off") {
    return fail(Status::Invalid("prefetch needs an upstream; drop --upstream off"));
  }
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return fail(app.status());
  Result<ServedMirror> mirror = MirrorFromArgs(args, app->get(), "private");
  if (!mirror.ok()) return fail(mirror.status());
  bool tty = ::isatty(STDERR_FILENO) != 0;
  PrefetchReport report =
      Prefetch(mirror->mirror.get(), crates, [&](size_t i, size_t n, const LockedCrate& c) {
        DrawProgress(i, n, c.name + " " + c.version, tty);
      });
  DrawProgress(crates.size(), crates.size(), "done", tty);
  if (tty) std::fprintf(stderr, "\n");
  for (const std::string& e : report.errors) std::fprintf(stderr, "error: %s\n", e.c_str());
  std::printf("%d fetched, %d already cached, %zu failed (of %zu crates.io packages)\n",
              report.fetched, report.cached, report.errors.size(), crates.size());
  Status flushed = mirror->mirror->FlushStats();
  if (!flushed.ok()) std::fprintf(stderr, "warning: %s\n", flushed.message().c_str());
  return report.errors.empty() ? 0 : 1;
}

int MirrorAllowCommand(const ParsedArgs& args, bool allow) {
  Result<std::unique_ptr<App>> app = App::OpenExisting(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return std::fprintf(stderr, "error: %s\n", app.status().message().c_str()), 1;
  NameGuard guard(&(*app)->pool(), {}, "");
  const std::string& name = args.positional[0];
  Status st = allow ? guard.Allow(Actor::ForCli(), name, SystemClock().Now())
                    : guard.Disallow(Actor::ForCli(), name, SystemClock().Now());
  if (!st.ok()) return std::fprintf(stderr, "error: %s\n", st.message().c_str()), 1;
  std::fprintf(stderr,
               allow ? "the crates.io mirror now serves `%s` from crates.io, although a private "
                       "crate has that name\n"
                     : "the crates.io mirror no longer serves `%s` if a private crate has that "
                       "name\n",
               name.c_str());
  return 0;
}

std::vector<Command> MirrorCommands() {
  return {
      {{"mirror status",
        {"--data"},
        {},
        {"--data"},
        0,
        0,
        "registry mirror status --data DIR",
        "the crates.io mirror's cached crates, versions and bytes, hit rate, last upstream error"},
       MirrorStatusCommand},
      {{"mirror prefetch",
        {"--data", "--upstream", "--upstream-cacert"},
        {},
        {"--data"},
        1,
        1000,
        "registry mirror prefetch --data DIR [--upstream URL] [--upstream-cacert FILE]\n"
        "                         Cargo.lock...",
        "fetch every crates.io crate the lock files pin into the mirror (exit 1: some failed)"},
       MirrorPrefetchCommand},
      {{"mirror export",
        {"--data", "--lockfile"},
        {},
        {"--data"},
        1,
        1,
        "registry mirror export --data DIR OUT [--lockfile Cargo.lock]...",
        "write the mirror's cache (or what the lock files need) as one zstd-compressed file"},
       MirrorExportCommand},
      {{"mirror import",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry mirror import --data DIR BUNDLE",
        "load an exported mirror cache, verifying every checksum (e.g. in an air-gapped network)"},
       MirrorImportCommand},
      {{"mirror allow",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry mirror allow --data DIR NAME",
        "let the crates.io mirror serve crates.io's NAME although a private crate has that name"},
       [](const ParsedArgs& a) { return MirrorAllowCommand(a, true); }},
      {{"mirror disallow",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry mirror disallow --data DIR NAME",
        "undo `mirror allow`"},
       [](const ParsedArgs& a) { return MirrorAllowCommand(a, false); }},
  };
}

}  // namespace registry
