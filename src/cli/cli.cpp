// Subcommands of `registry`, as a table; each is a function of its parsed arguments.
#include "cli/cli.h"

#include <signal.h>
#include <sys/resource.h>
#include <termios.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/app.h"
#include "app/data_dir_usage.h"
#include "audit/audit_log.h"
#include "base/crypto.h"
#include "base/display_text.h"
#include "cli/args.h"
#include "cli/audit_commands.h"
#include "cli/crate_commands.h"
#include "cli/export_commands.h"
#include "cli/import_commands.h"
#include "cli/mirror_commands.h"
#include "http/access_log.h"
#include "http/api.h"
#include "http/health_probe.h"
#include "http/metrics.h"
#include "server/server.h"
#include "server/tls.h"
#include "maintenance/backup.h"
#include "maintenance/check.h"

namespace registry {

namespace {

constexpr const char* kVersion = "0.1.0";

struct Command {
  CommandSpec spec;
  std::function<int(const ParsedArgs&)> run;
};

int Fail(const Status& st) {
  std::fprintf(stderr, "error: %s\n", st.message().c_str());
  return 1;
}

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
    if (features.size() > 6 || features.find_first_not_of("0123456789") != std::string::npos) {
      return Status::Invalid("invalid --max-features `" + features + "`: give a number");
    }
    options.max_features = std::stoul(features);
  }
  return options;
}

Result<std::unique_ptr<App>> OpenApp(const ParsedArgs& args) {
  Result<RegistryOptions> options = OptionsFrom(args);
  if (!options.ok()) return options.status();
  return App::Open(args.Get("--data"), *options);
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
// and print its token and web password once.
void BootstrapAdmin(App* app) {
  Result<int64_t> users = app->users().Count();
  if (!users.ok() || *users > 0) return;
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
  if (!st.ok()) return Fail(st);
  // Worker threads for the requests that may block; 8 on a 32-bit system, whose address
  // space holds fewer thread stacks.
  int threads = sizeof(void*) >= 8 ? 16 : 8;
  if (!args.Get("--threads").empty())
    threads = std::max(2, std::atoi(args.Get("--threads").c_str()));
  size_t per_address = 256, max_connections = 0;
  for (auto [flag, target] : {std::pair{"--max-connections-per-address", &per_address},
                              std::pair{"--max-connections", &max_connections}}) {
    std::string text = args.Get(flag);
    if (text.empty()) continue;
    if (text.size() > 7 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(text) == 0) {
      return Fail(Status::Invalid("invalid " + std::string(flag) + " `" + text +
                                  "`: give a number of connections"));
    }
    *target = std::stoul(text);
  }
  Result<RegistryOptions> options = OptionsFrom(args);
  if (!options.ok()) return Fail(options.status());
  Result<MetricsAccess> metrics_access = ParseMetricsAccess(args.Get("--metrics", "loopback"));
  if (!metrics_access.ok()) return Fail(metrics_access.status());
  Result<AccessLogFormat> access_log = ParseAccessLogFormat(args.Get("--access-log", "plain"));
  if (!access_log.ok()) return Fail(access_log.status());
  if (args.Has("--quiet")) *access_log = AccessLogFormat::kOff;
  // TLS: both files or neither, checked before anything is created or started.
  std::string tls_cert = args.Get("--tls-cert"), tls_key = args.Get("--tls-key");
  bool tls = !tls_cert.empty() || !tls_key.empty();
  if (tls && (tls_cert.empty() || tls_key.empty())) {
    return Fail(Status::Invalid("give both --tls-cert FILE and --tls-key FILE to serve HTTPS"));
  }
  if (tls) {
    st = CheckTlsCredentials(tls_cert, tls_key);
    if (!st.ok()) return Fail(st);
  }
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), *options);
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
  api_options.registry_name = args.Get("--registry-name", "private");
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
    return Fail(Status::Invalid("invalid --failed-auth-limit `" + limit +
                                "`: give a number of failures, or `off`"));
  } else {
    api_options.backoff.free_failures = std::stoi(limit);
  }
  // The crates.io view under /crates-io/ (cli/mirror_commands.cpp).
  Result<ServedMirror> mirror =
      MirrorFromArgs(args, app->get(), args.Get("--registry-name", "private"));
  if (!mirror.ok()) return Fail(mirror.status());
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
  server_options.max_body_size = *largest + options->max_json_size + (1ull << 20);
  HttpServer server(&api, server_options);
  st = server.Bind();
  if (!st.ok()) return Fail(st);

  BootstrapAdmin(app->get());
  std::string base = DisplayBaseUrl(api_options.public_url, tls, host, server.port());
  std::string name = args.Get("--registry-name", "private");
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

// The password for `user add --password-stdin` / `user passwd`: the first line of stdin, or,
// on a terminal without --password-stdin, typed twice without echo.
Result<std::string> ReadPassword(const ParsedArgs& args) {
  auto read_line = [](std::string* line) {
    if (!std::getline(std::cin, *line)) return false;
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  };
  std::string first;
  if (args.Has("--password-stdin") || !isatty(STDIN_FILENO)) {
    if (!read_line(&first)) return Status::Invalid("no password on standard input");
    return first;
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string second;
  std::fprintf(stderr, "New password: ");
  bool ok = read_line(&first);
  std::fprintf(stderr, "\nRepeat it: ");
  ok = ok && read_line(&second);
  std::fprintf(stderr, "\n");
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (!ok) return Status::Invalid("no password given");
  if (first != second) return Status::Invalid("the two passwords differ");
  return first;
}

int UserAdd(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  std::string password;
  if (args.Has("--password-stdin")) {
    Result<std::string> read = ReadPassword(args);
    if (!read.ok()) return Fail(read.status());
    password = *read;
  }
  Result<User> user =
      (*app)->users().Add(Actor::ForCli(), args.positional[0], args.Has("--admin"), password);
  if (!user.ok()) return Fail(user.status());
  std::fprintf(stderr, "created user `%s`%s%s\n", user->login.c_str(),
               user->is_admin ? " (administrator)" : "",
               password.empty() ? "; it has no web password yet (`registry user passwd`)" : "");
  return 0;
}

int UserPasswd(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<User> user = (*app)->users().Find(args.positional[0]);
  if (!user.ok()) return Fail(user.status());
  Result<std::string> password = ReadPassword(args);
  if (!password.ok()) return Fail(password.status());
  Status st = (*app)->users().SetPassword(Actor::ForCli(), user->login, *password);
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "password of `%s` changed; its other web sessions have ended\n",
               user->login.c_str());
  return 0;
}

int UserSetDisabled(const ParsedArgs& args, bool disabled) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Status st = (*app)->users().SetDisabled(Actor::ForCli(), args.positional[0], disabled);
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "user `%s` %s\n", args.positional[0].c_str(),
               disabled ? "disabled: its tokens and sessions no longer work" : "enabled");
  return 0;
}

int UserRole(const ParsedArgs& args) {
  const std::string& role = args.positional[1];
  if (role != "admin" && role != "member") {
    return Fail(Status::Invalid("invalid role `" + role + "`: use admin or member"));
  }
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Status st = (*app)->users().SetAdmin(Actor::ForCli(), args.positional[0], role == "admin");
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "user `%s` is now %s\n", args.positional[0].c_str(),
               role == "admin" ? "an administrator" : "a member");
  return 0;
}

int UserList(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<std::vector<UserInfo>> users = (*app)->users().List();
  if (!users.ok()) return Fail(users.status());
  std::printf("%-24s %-7s %-9s %-9s %s\n", "LOGIN", "ROLE", "STATE", "PASSWORD", "CREATED");
  for (const UserInfo& u : *users) {
    std::printf("%-24s %-7s %-9s %-9s %s\n", u.user.login.c_str(),
                u.user.is_admin ? "admin" : "member", u.user.disabled ? "disabled" : "enabled",
                u.has_password ? "set" : "-", FormatUtc(u.created_at).c_str());
  }
  return 0;
}

int TokenCreate(const ParsedArgs& args) {
  TokenSpec spec;
  spec.name = args.Get("--name", "cli token");
  auto scopes = args.options.find("--scope");
  if (scopes != args.options.end()) {
    spec.scopes = 0;
    for (const std::string& s : scopes->second) {
      Result<Scope> scope = ParseScope(s);
      if (!scope.ok()) return Fail(scope.status());
      spec.scopes |= *scope;
    }
  }
  auto crates = args.options.find("--crate");
  if (crates != args.options.end()) spec.crate_patterns = crates->second;
  std::string expires = args.Get("--expires");
  if (!expires.empty() && expires != "never") {
    Result<int64_t> seconds = ParseDuration(expires);
    if (!seconds.ok()) return Fail(seconds.status());
    spec.expires_at = SystemClock().Now() + *seconds;
  }
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<NewToken> token = (*app)->tokens().Create(Actor::ForCli(), args.Get("--user"), spec);
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->secret.c_str());
  std::fprintf(stderr, "token %lld for `%s`: %s%s%s\n", static_cast<long long>(token->info.id),
               token->info.user_login.c_str(), FormatScopes(token->info.scopes).c_str(),
               spec.crate_patterns.empty() ? "" : "; limited to crates matching given patterns",
               spec.expires_at ? ("; expires " + FormatUtc(spec.expires_at)).c_str() : "");
  return 0;
}

int TokenList(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  int64_t user_id = 0;
  if (!args.Get("--user").empty()) {
    Result<User> user = (*app)->users().Find(args.Get("--user"));
    if (!user.ok()) return Fail(user.status());
    user_id = user->id;
  }
  Result<std::vector<TokenInfo>> tokens = (*app)->tokens().List(user_id, args.Has("--all"));
  if (!tokens.ok()) return Fail(tokens.status());
  auto when = [](int64_t t) { return t ? FormatUtc(t) : std::string("-"); };
  std::printf("%-5s %-16s %-20s %-20s %-20s %-20s %s\n", "ID", "USER", "NAME", "CREATED",
              "LAST USED", "EXPIRES", "SCOPES / CRATES");
  for (const TokenInfo& t : *tokens) {
    std::string scope = FormatScopes(t.scopes);
    for (const std::string& p : t.crate_patterns) scope += " crate:" + EscapeForDisplay(p);
    if (t.revoked_at) scope += " (revoked " + FormatUtc(t.revoked_at) + ")";
    std::printf("%-5lld %-16s %-20s %-20s %-20s %-20s %s\n", static_cast<long long>(t.id),
                t.user_login.c_str(), EscapeForDisplay(t.name).c_str(), when(t.created_at).c_str(),
                when(t.last_used_at).c_str(), when(t.expires_at).c_str(), scope.c_str());
  }
  return 0;
}

int TokenRevoke(const ParsedArgs& args) {
  const std::string& id = args.positional[0];
  if (id.empty() || id.size() > 18 || id.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(Status::Invalid("invalid token id `" + id + "`: see `registry token list`"));
  }
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Status st = (*app)->tokens().Revoke(Actor::ForCli(), std::stoll(id));
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "token %s revoked\n", id.c_str());
  return 0;
}

int Audit(const ParsedArgs& args) {
  AuditQuery query;
  query.limit = 1000000;
  if (!args.Get("--since").empty()) {
    Result<int64_t> since = ParseSince(args.Get("--since"), SystemClock().Now());
    if (!since.ok()) return Fail(since.status());
    query.since = *since;
  }
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<std::vector<AuditEvent>> events = (*app)->audit().Read(query);
  if (!events.ok()) return Fail(events.status());
  for (const AuditEvent& e : *events) std::printf("%s\n", FormatAuditLine(e).c_str());
  return 0;
}

// A progress bar on stderr when it is a terminal; nothing otherwise (logs stay clean).
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
  std::fprintf(stderr, "backed up %lld versions and %lld blobs to %s (%lld bytes)\n",
               static_cast<long long>(stats->versions), static_cast<long long>(stats->blobs),
               args.positional[0].c_str(), static_cast<long long>(stats->bytes));
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
  std::fprintf(stderr, "restored %lld versions and %lld blobs into %s; every checksum verified\n",
               static_cast<long long>(stats->versions), static_cast<long long>(stats->blobs),
               dir.c_str());
  return 0;
}

int Health(const ParsedArgs& args) {
  Status st = ProbeHealth(args.Get("--url"), args.Get("--cacert"), std::chrono::seconds(5));
  if (!st.ok()) return Fail(st);
  std::printf("ok\n");
  return 0;
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {{"serve",
        {"--data", "--listen", "--public-url", "--max-crate-size", "--max-features", "--threads",
         "--registry-name",
         "--failed-auth-limit", "--tls-cert", "--tls-key", "--metrics", "--access-log",
         "--max-connections-per-address", "--max-connections",
         kServeMirrorOptions[0], kServeMirrorOptions[1], kServeMirrorOptions[2],
         kServeMirrorOptions[3]},
        {"--quiet"},
        {"--data"},
        0,
        0,
        "registry [serve] --data DIR [--listen HOST:PORT] [--public-url URL]\n"
        "                 [--max-crate-size SIZE] [--max-features N] [--threads N]\n"
        "                 [--registry-name NAME]\n"
        "                 [--failed-auth-limit N|off] [--tls-cert FILE --tls-key FILE]\n"
        "                 [--metrics loopback|token|public|off]\n"
        "                 [--access-log plain|json|off] [--quiet]\n"
        "                 [--max-connections-per-address N] [--max-connections N]\n" +
            std::string(kServeMirrorUsage),
        "serve the registry and its crates.io mirror (default listen 0.0.0.0:8000; --quiet:\n"
        "      --access-log off; --upstream off: serve only what the mirror has cached)"},
       Serve},
      {{"user add",
        {"--data"},
        {"--admin", "--password-stdin"},
        {"--data"},
        1,
        1,
        "registry user add --data DIR NAME [--admin] [--password-stdin]",
        "create a user (a member unless --admin), with a web password read from stdin"},
       UserAdd},
      {{"user passwd",
        {"--data"},
        {"--password-stdin"},
        {"--data"},
        1,
        1,
        "registry user passwd --data DIR NAME [--password-stdin]",
        "set a user's web password (typed twice, or the first line of stdin)"},
       UserPasswd},
      {{"user disable",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry user disable --data DIR NAME",
        "disable a user: all their tokens and sessions stop working at once"},
       [](const ParsedArgs& a) { return UserSetDisabled(a, true); }},
      {{"user enable",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry user enable --data DIR NAME",
        "enable a disabled user again"},
       [](const ParsedArgs& a) { return UserSetDisabled(a, false); }},
      {{"user role",
        {"--data"},
        {},
        {"--data"},
        2,
        2,
        "registry user role --data DIR NAME admin|member",
        "make a user an administrator or a member"},
       UserRole},
      {{"user list",
        {"--data"},
        {},
        {"--data"},
        0,
        0,
        "registry user list --data DIR",
        "list users with their role and state"},
       UserList},
      {{"token create",
        {"--data", "--user", "--name", "--scope", "--crate", "--expires"},
        {},
        {"--data", "--user"},
        0,
        0,
        "registry token create --data DIR --user NAME [--name LABEL] [--scope S]...\n"
        "                      [--crate PATTERN]... [--expires 30d]",
        "create an API token and print it (only the token) on stdout; scopes: read,\n"
        "      publish-new, publish-update, yank, change-owners (default: all); --expires\n"
        "      takes 45s, 90m, 12h, 30d, 4w or never (the default)"},
       TokenCreate},
      {{"token list",
        {"--data", "--user"},
        {"--all"},
        {"--data"},
        0,
        0,
        "registry token list --data DIR [--user NAME] [--all]",
        "list tokens (--all: revoked ones too)"},
       TokenList},
      {{"token revoke",
        {"--data"},
        {},
        {"--data"},
        1,
        1,
        "registry token revoke --data DIR ID",
        "revoke a token at once"},
       TokenRevoke},
      {{"crate limits",
        {"--data", "--max-features", "--max-size"},
        {},
        {"--data"},
        1,
        1,
        "registry crate limits --data DIR NAME [--max-features N|default]\n"
        "                      [--max-size SIZE|default]",
        "set (or show) one crate's publish limits over the server's --max-features and\n"
        "      --max-crate-size; the crate need not exist yet"},
       CrateLimitsCommand},
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
      {{"audit",
        {"--data", "--since"},
        {},
        {"--data"},
        0,
        0,
        "registry audit --data DIR [--since 7d|2026-11-01|2026-11-01T10:00:00Z]",
        "print the audit log of every state change, oldest first"},
       Audit},
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
      {{"audit prune",
        {"--data", "--before"},
        {},
        {"--data", "--before"},
        0,
        0,
        "registry audit prune --data DIR --before 365d|2026-01-01|2026-01-01T00:00:00Z",
        "remove audit rows older than the date (the prune itself is audited)"},
       AuditPruneCommand},
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
  return commands;
}

void PrintUsage(FILE* out) {
  std::fprintf(out, "registry %s: a private Cargo registry\n\nUsage:\n", kVersion);
  for (const Command& c : Commands()) {
    std::fprintf(out, "  %s\n      %s\n", c.spec.usage.c_str(), c.spec.summary.c_str());
  }
  std::fprintf(out, "  registry --help | --version\n");
}

}  // namespace

int RunCli(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    PrintUsage(stdout);
    return 0;
  }
  if (args.size() == 1 && args[0] == "--version") {
    std::printf("registry %s\n", kVersion);
    return 0;
  }
  std::vector<CommandSpec> specs;
  for (const Command& c : Commands()) specs.push_back(c.spec);
  Result<ParsedArgs> parsed = ParseArgs(args, specs, "serve");
  if (!parsed.ok() || args.empty()) {
    std::fprintf(stderr, "error: %s\n\n",
                 args.empty() ? "no arguments given" : parsed.status().message().c_str());
    PrintUsage(stderr);
    return 2;
  }
  for (const Command& c : Commands()) {
    if (c.spec.name == parsed->spec->name) return c.run(*parsed);
  }
  return 2;
}

}  // namespace registry
