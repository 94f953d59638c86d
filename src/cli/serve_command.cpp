// `registry serve`: the HTTP server over a data directory, until SIGINT or SIGTERM.
#include "cli/serve_command.h"

#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "app/data_dir_usage.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "cli/mirror_commands.h"
#include "http/access_log.h"
#include "http/api.h"
#include "http/metrics.h"
#include "mirror/mirror_stats.h"
#include "server/server.h"
#include "server/tls.h"

namespace registry {

namespace {

Result<RegistryOptions> OptionsFrom(const ParsedArgs& args) {
  RegistryOptions options;
  std::string max = args.Get("--max-crate-size");
  if (!max.empty()) {
    Result<uint64_t> size = ParseSize(max);
    if (!size.ok()) return size.status();
    options.max_crate_size = *size;
  }
  std::string features = args.Get("--max-features");
  if (!features.empty()) {
    Result<int64_t> n = ParseCount("--max-features", features, 1, 999999);
    if (!n.ok()) return n.status();
    options.max_features = static_cast<size_t>(*n);
  }
  return options;
}

Status SplitHostPort(const std::string& listen, std::string* host, int* port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 == listen.size()) {
    return Status::Invalid("invalid --listen `" + listen + "`: expected HOST:PORT");
  }
  *host = listen.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  std::string p = listen.substr(colon + 1);
  if (p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid("invalid --listen `" + listen + "`: bad port");
  }
  *port = std::stoi(p);
  if (*port > 65535) return Status::Invalid("invalid --listen `" + listen + "`: bad port");
  return Status::Ok();
}

std::string DisplayBaseUrl(const std::string& public_url, bool tls, const std::string& host,
                           int port) {
  if (!public_url.empty()) return public_url;
  std::string shown = host;
  if (host == "0.0.0.0" || host == "::" || host.empty()) {
    char name[256] = {0};
    shown = gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "localhost";
  } else if (host.find(':') != std::string::npos) {
    shown = "[" + host + "]";
  }
  return (tls ? "https://" : "http://") + shown + ":" + std::to_string(port);
}

// On first start there is nobody who could create a token through the API: create an admin
// and print its token and web password once. Also when members exist but no administrator
// (users added by hand before the first start), so a registry never starts without a way in.
void BootstrapAdmin(App* app) {
  Result<std::vector<UserInfo>> users = app->users().List();
  if (!users.ok()) return;
  for (const UserInfo& u : *users) {
    if (u.user.is_admin) return;
  }
  std::string password = HexEncode(RandomBytes(12));
  Actor cli = Actor::ForCli();
  if (!app->users().Add(cli, "admin", true, password).ok()) return;
  TokenSpec spec;
  spec.name = "initial admin token";
  Result<NewToken> token = app->tokens().Create(cli, "admin", spec);
  if (!token.ok()) return;
  std::printf(
      "First start: created user `admin` (administrator) with this token, shown only once:\n"
      "  %s\n"
      "and this password for the web UI (change it there or with `registry user passwd`):\n"
      "  %s\n\n",
      token->secret.c_str(), password.c_str());
}

// Each open connection takes a descriptor; many systems start processes with a soft limit of
// 1024, below what the worker pool allows. Raise it to the hard limit.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int Serve(const ParsedArgs& args) {
  RaiseOpenFileLimit();
  // Signals go to one thread, which waits for them below; blocked before any thread starts,
  // so every thread inherits the mask.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::string host;
  int port = 0;
  Status st = SplitHostPort(args.Get("--listen", "0.0.0.0:8000"), &host, &port);
  if (!st.ok()) return UsageError("serve", st);
  // Worker threads for the requests that may block; 8 on a 32-bit system, whose address
  // space holds fewer thread stacks.
  int threads = sizeof(void*) >= 8 ? 16 : 8;
  if (!args.Get("--threads").empty()) {
    Result<int64_t> n = ParseCount("--threads", args.Get("--threads"), 1, 1024);
    if (!n.ok()) return UsageError("serve", n.status());
    threads = std::max<int>(2, static_cast<int>(*n));
  }
  size_t per_address = 256, max_connections = 0;
  for (auto [flag, target] : {std::pair{"--max-connections-per-address", &per_address},
                              std::pair{"--max-connections", &max_connections}}) {
    std::string text = args.Get(flag);
    if (text.empty()) continue;
    Result<int64_t> n = ParseCount(flag, text, 1, 9999999);
    if (!n.ok()) return UsageError("serve", n.status());
    *target = static_cast<size_t>(*n);
  }
  Result<RegistryOptions> options = OptionsFrom(args);
  if (!options.ok()) return UsageError("serve", options.status());
  Result<MetricsAccess> metrics_access = ParseMetricsAccess(args.Get("--metrics", "loopback"));
  if (!metrics_access.ok()) return UsageError("serve", metrics_access.status());
  Result<AccessLogFormat> access_log = ParseAccessLogFormat(args.Get("--access-log", "plain"));
  if (!access_log.ok()) return UsageError("serve", access_log.status());
  if (args.Has("--quiet")) *access_log = AccessLogFormat::kOff;
  std::string name = args.Get("--registry-name", "private");
  st = CheckRegistryName(name);
  if (!st.ok()) return UsageError("serve", st);
  // TLS: both files or neither, checked before anything is created or started.
  std::string tls_cert = args.Get("--tls-cert"), tls_key = args.Get("--tls-key");
  bool tls = !tls_cert.empty() || !tls_key.empty();
  if (tls && (tls_cert.empty() || tls_key.empty())) {
    return UsageError("serve", Status::Invalid(
                                   "give both --tls-cert FILE and --tls-key FILE to serve HTTPS"));
  }
  if (tls) {
    st = CheckTlsCredentials(tls_cert, tls_key);
    if (!st.ok()) return Fail(st);
  }
  Result<std::unique_ptr<App>> app = OpenOrCreateApp(args, *options);
  if (!app.ok()) return Fail(app.status());
  std::string data_dir = (*app)->data_dir();

  // Publishes, downloads and requests are counted from the start; disk usage is measured
  // when the metrics are read.
  Metrics metrics(SystemClock().Now());
  metrics.set_disk_usage_source([data_dir]() -> std::optional<DiskUsage> {
    Result<DataDirUsage> usage = MeasureDataDir(data_dir);
    if (!usage.ok()) return std::nullopt;
    return DiskUsage{usage->blob_bytes, usage->database_bytes};
  });

  ApiOptions api_options;
  api_options.public_url = args.Get("--public-url");
  while (!api_options.public_url.empty() && api_options.public_url.back() == '/') {
    api_options.public_url.pop_back();
  }
  api_options.max_crate_size = options->max_crate_size;
  api_options.max_json_size = options->max_json_size;
  std::string max_docs = args.Get("--max-docs-size");
  if (!max_docs.empty()) {
    Result<uint64_t> size = ParseSize(max_docs);
    if (!size.ok()) return UsageError("serve", size.status());
    // Held in memory while it is checked and stored, within the server's body budget.
    if (*size > (240ull << 20)) {
      return UsageError("serve", Status::Invalid("--max-docs-size " + max_docs +
                                                 " is over the limit of 240M"));
    }
    api_options.max_docs_size = *size;
  }
  api_options.registry_name = name;
  api_options.version = kVersion;
  api_options.tls = tls;
  api_options.secure_cookies = tls || api_options.public_url.rfind("https://", 0) == 0;
  api_options.metrics = &metrics;
  api_options.metrics_access = *metrics_access;
  std::string limit = args.Get("--failed-auth-limit", "5");
  if (limit == "off") {
    api_options.backoff.first_delay = 0;
  } else if (limit.empty() || limit.size() > 6 ||
             limit.find_first_not_of("0123456789") != std::string::npos) {
    return UsageError("serve", Status::Invalid("invalid --failed-auth-limit `" + limit +
                                               "`: give a number of failures, or `off`"));
  } else {
    api_options.backoff.free_failures = std::stoi(limit);
  }
  // The crates.io view under /crates-io/ (cli/mirror_commands.cpp).
  Result<ServedMirror> mirror = MirrorFromArgs(args, app->get(), name);
  if (!mirror.ok()) return Fail(mirror.status());
  {
    // `mirror status` shows the cap this process runs with.
    auto db = (*app)->pool().Acquire();
    if (!db.ok()) return Fail(db.status());
    st = SaveMirrorCap(db->get(), mirror->mirror->crates().max_bytes());
    if (!st.ok()) return Fail(st);
  }
  api_options.mirror = mirror->mirror.get();
  metrics.set_extra_source([m = mirror->mirror.get()] { return m->RenderMetrics(); });
  AuthServices auth{&(*app)->users(), &(*app)->tokens(), &(*app)->sessions(), &(*app)->audit()};
  Api api(&(*app)->registry(), auth, &SystemClock(), api_options);

  ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.threads = threads;
  server_options.max_connections_per_address = per_address;
  server_options.max_connections = max_connections;
  server_options.access_log = *access_log;
  server_options.tls_cert_file = tls_cert;
  server_options.tls_key_file = tls_key;
  server_options.metrics = &metrics;
  // A crate's own size limit above the server's counts from the next start.
  Result<uint64_t> largest = (*app)->registry().LargestCrateSize();
  if (!largest.ok()) return Fail(largest.status());
  server_options.max_body_size =
      std::max<uint64_t>(*largest + options->max_json_size + (1ull << 20), api_options.max_docs_size);
  HttpServer server(&api, server_options);
  st = server.Bind();
  if (!st.ok()) return Fail(st);

  BootstrapAdmin(app->get());
  std::string base = DisplayBaseUrl(api_options.public_url, tls, host, server.port());
  std::printf(
      "registry %s serving %s on %s:%d\n"
      "  web UI:       %s/\n"
      "  sparse index: sparse+%s/index/\n"
      "  crates.io:    sparse+%s/crates-io/index/ (upstream %s)\n\n"
      "Add to ~/.cargo/config.toml:\n\n%s\n"
      "Tokens come from `registry token create --data %s --user NAME`.\n",
      kVersion, (*app)->data_dir().c_str(), host.c_str(), server.port(), base.c_str(), base.c_str(),
      base.c_str(), mirror->upstream.c_str(), CargoConfigText(base, name).c_str(),
      (*app)->data_dir().c_str());
  if (!tls && host != "127.0.0.1" && host != "::1" && host != "localhost" &&
      api_options.public_url.rfind("https://", 0) != 0) {
    std::printf(
        "\nwarning: serving plain HTTP on %s: tokens travel in clear; put TLS in front "
        "or listen on 127.0.0.1.\n",
        host.c_str());
  }
  std::fflush(stdout);

  // SIGINT/SIGTERM: stop accepting, let in-flight requests finish, exit 0. SIGHUP: read the
  // TLS certificate and key again (renewed certificates), keeping every connection.
  std::thread waiter([&] {
    for (;;) {
      int sig = 0;
      sigwait(&set, &sig);
      if (sig != SIGHUP) break;
      if (!tls) {
        std::fprintf(stderr, "SIGHUP: no TLS certificate to reload\n");
        continue;
      }
      Status reloaded = server.ReloadTls();
      if (reloaded.ok()) {
        std::fprintf(stderr, "SIGHUP: reloaded the TLS certificate and key\n");
      } else {
        std::fprintf(stderr, "SIGHUP: kept the old TLS certificate: %s\n",
                     reloaded.message().c_str());
      }
    }
    server.Stop();
  });
  // Tokens' last-used times and download counts are gathered in memory and written every 30 s
  // and at shutdown, not per request.
  std::mutex flush_mu;
  std::condition_variable flush_cv;
  bool stopping = false;
  std::thread flusher([&] {
    std::unique_lock<std::mutex> lock(flush_mu);
    while (!stopping) {
      flush_cv.wait_for(lock, std::chrono::seconds(30));
      lock.unlock();
      for (Status flushed : {(*app)->tokens().FlushLastUsed(), (*app)->registry().FlushDownloads(),
                             mirror->mirror->FlushStats()}) {
        if (!flushed.ok()) std::fprintf(stderr, "warning: %s\n", flushed.message().c_str());
      }
      lock.lock();
    }
  });
  st = server.Serve();
  // Wake the waiter if Serve ended for another reason.
  if (!st.ok()) kill(getpid(), SIGTERM);
  waiter.join();
  {
    std::lock_guard<std::mutex> lock(flush_mu);
    stopping = true;
  }
  flush_cv.notify_all();
  flusher.join();
  for (Status done : {(*app)->tokens().FlushLastUsed(), (*app)->registry().FlushDownloads(),
                      mirror->mirror->FlushStats(), (*app)->Checkpoint()}) {
    if (!done.ok()) std::fprintf(stderr, "warning: %s\n", done.message().c_str());
  }
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "registry stopped\n");
  return 0;
}

}  // namespace

std::vector<Command> ServeCommands() {
  return {
      {{"serve",
        {"--data", "--listen", "--public-url", "--max-crate-size", "--max-features", "--threads",
         "--registry-name", "--max-docs-size",
         "--failed-auth-limit", "--tls-cert", "--tls-key", "--metrics", "--access-log",
         "--max-connections-per-address", "--max-connections",
         kServeMirrorOptions[0], kServeMirrorOptions[1], kServeMirrorOptions[2],
         kServeMirrorOptions[3], kServeMirrorOptions[4]},
        {"--quiet"},
        {"--data"},
        0,
        0,
        "registry [serve] --data DIR [--listen HOST:PORT] [--public-url URL]\n"
        "                 [--max-crate-size SIZE] [--max-features N] [--threads N]\n"
        "                 [--registry-name NAME] [--max-docs-size SIZE]\n"
        "                 [--failed-auth-limit N|off] [--tls-cert FILE --tls-key FILE]\n"
        "                 [--metrics loopback|token|public|off]\n"
        "                 [--access-log plain|json|off] [--quiet]\n"
        "                 [--max-connections-per-address N] [--max-connections N]\n" +
            std::string(kServeMirrorUsage),
        "serve the registry and its crates.io mirror (default listen 0.0.0.0:8000; --quiet:\n"
        "      --access-log off; --upstream off: serve only what the mirror has cached); creates\n"
        "      DIR on first start; --max-docs-size: the largest docs upload (default 200M)"},
       Serve},
  };
}

}  // namespace registry
