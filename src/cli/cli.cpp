// Subcommands of `registry`, as a table; each is a function of its parsed arguments.
#include "cli/cli.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <iostream>
#include <thread>

#include "app/app.h"
#include "cli/args.h"
#include "http/api.h"
#include "http/server.h"

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

std::string DisplayBaseUrl(const std::string& public_url, const std::string& host, int port) {
  if (!public_url.empty()) return public_url;
  std::string shown = host;
  if (host == "0.0.0.0" || host == "::" || host.empty()) {
    char name[256] = {0};
    shown = gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "localhost";
  } else if (host.find(':') != std::string::npos) {
    shown = "[" + host + "]";
  }
  return "http://" + shown + ":" + std::to_string(port);
}

// On first start there is nobody who could create a token through the API: create an admin
// and print its token once.
void BootstrapAdmin(App* app) {
  Result<int64_t> users = app->accounts().CountUsers();
  if (!users.ok() || *users > 0) return;
  if (!app->accounts().AddUser("admin", true).ok()) return;
  Result<std::string> token = app->accounts().CreateToken("admin", "initial admin token");
  if (!token.ok()) return;
  std::printf(
      "First start: created user `admin` (administrator) with this token, shown only once:\n"
      "  %s\n\n",
      token->c_str());
}

int Serve(const ParsedArgs& args) {
  std::string host;
  int port = 0;
  Status st = SplitHostPort(args.Get("--listen", "0.0.0.0:8000"), &host, &port);
  if (!st.ok()) return Fail(st);
  int threads = 16;
  if (!args.Get("--threads").empty())
    threads = std::max(2, std::atoi(args.Get("--threads").c_str()));
  Result<RegistryOptions> options = OptionsFrom(args);
  if (!options.ok()) return Fail(options.status());
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), *options);
  if (!app.ok()) return Fail(app.status());

  ApiOptions api_options;
  api_options.public_url = args.Get("--public-url");
  while (!api_options.public_url.empty() && api_options.public_url.back() == '/') {
    api_options.public_url.pop_back();
  }
  api_options.max_crate_size = options->max_crate_size;
  api_options.max_json_size = options->max_json_size;
  Api api(&(*app)->registry(), &(*app)->accounts(), api_options);

  ServerOptions server_options;
  server_options.host = host;
  server_options.port = port;
  server_options.threads = threads;
  server_options.access_log = !args.Has("--quiet");
  server_options.max_body_size = options->max_crate_size + options->max_json_size + (1ull << 20);
  HttpServer server(&api, server_options);
  st = server.Bind();
  if (!st.ok()) return Fail(st);

  BootstrapAdmin(app->get());
  std::string base = DisplayBaseUrl(api_options.public_url, host, server.port());
  std::string name = args.Get("--registry-name", "private");
  std::printf(
      "registry %s serving %s on %s:%d\n"
      "  web UI:       %s/\n"
      "  sparse index: sparse+%s/index/\n\n"
      "Add to ~/.cargo/config.toml:\n\n"
      "[registries.%s]\n"
      "index = \"sparse+%s/index/\"\n"
      "credential-provider = \"cargo:token\"\n\n"
      "then run `cargo login --registry %s` and paste a token from\n"
      "`registry token create --data %s --user NAME`.\n",
      kVersion, (*app)->data_dir().c_str(), host.c_str(), server.port(), base.c_str(), base.c_str(),
      name.c_str(), base.c_str(), name.c_str(), (*app)->data_dir().c_str());
  if (host != "127.0.0.1" && host != "::1" && host != "localhost" &&
      api_options.public_url.rfind("https://", 0) != 0) {
    std::printf(
        "\nwarning: serving plain HTTP on %s: tokens travel in clear; put TLS in front "
        "or listen on 127.0.0.1.\n",
        host.c_str());
  }
  std::fflush(stdout);

  // SIGINT/SIGTERM: stop accepting, let in-flight requests finish, exit 0.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&set, &sig);
    server.Stop();
  });
  st = server.Serve();
  // Wake the waiter if Serve ended for another reason.
  if (!st.ok()) kill(getpid(), SIGTERM);
  waiter.join();
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "registry stopped\n");
  return 0;
}

int UserAdd(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<User> user = (*app)->accounts().AddUser(args.positional[0], args.Has("--admin"));
  if (!user.ok()) return Fail(user.status());
  std::fprintf(stderr, "created user `%s`%s\n", user->login.c_str(),
               user->is_admin ? " (administrator)" : "");
  return 0;
}

int TokenCreate(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<std::string> token =
      (*app)->accounts().CreateToken(args.Get("--user"), args.Get("--name"));
  if (!token.ok()) return Fail(token.status());
  std::printf("%s\n", token->c_str());
  return 0;
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> commands = {
      {{"serve",
        {"--data", "--listen", "--public-url", "--max-crate-size", "--threads", "--registry-name"},
        {"--quiet"},
        {"--data"},
        0,
        0,
        "registry [serve] --data DIR [--listen HOST:PORT] [--public-url URL]\n"
        "                 [--max-crate-size SIZE] [--threads N] [--registry-name NAME] [--quiet]",
        "serve the registry (default listen 0.0.0.0:8000)"},
       Serve},
      {{"user add",
        {"--data"},
        {"--admin"},
        {"--data"},
        1,
        1,
        "registry user add --data DIR NAME [--admin]",
        "create a user"},
       UserAdd},
      {{"token create",
        {"--data", "--user", "--name"},
        {},
        {"--data", "--user"},
        0,
        0,
        "registry token create --data DIR --user NAME [--name LABEL]",
        "create an API token and print it (only the token) on stdout"},
       TokenCreate},
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
