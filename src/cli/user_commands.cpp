// `registry user ...`: add, passwd, disable, enable, role, list.
#include "cli/user_commands.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "base/clock.h"

namespace registry {

namespace {

bool ReadLine(std::string* line) {
  if (!std::getline(std::cin, *line)) return false;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

// A password typed twice on the terminal, without echo.
Result<std::string> PromptPassword(const char* prompt) {
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string first, second;
  std::fprintf(stderr, "%s", prompt);
  bool ok = ReadLine(&first);
  std::fprintf(stderr, "\nRepeat it: ");
  ok = ok && ReadLine(&second);
  std::fprintf(stderr, "\n");
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (!ok) return Status::Invalid("no password given");
  if (first != second) return Status::Invalid("the two passwords differ");
  return first;
}

// The password for `user passwd`: the first line of stdin with --password-stdin or when stdin
// is not a terminal, else typed twice.
Result<std::string> ReadPassword(const ParsedArgs& args) {
  if (args.Has("--password-stdin") || !isatty(STDIN_FILENO)) {
    std::string line;
    if (!ReadLine(&line)) return Status::Invalid("no password on standard input");
    return line;
  }
  return PromptPassword("New password: ");
}

int UserAdd(const ParsedArgs& args) {
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  // --password-stdin: the first line of stdin. On a terminal: typed twice, empty for none yet.
  // Otherwise (a script) none; `user passwd` sets it later.
  std::string password;
  if (args.Has("--password-stdin")) {
    Result<std::string> read = ReadPassword(args);
    if (!read.ok()) return Fail(read.status());
    password = *read;
  } else if (isatty(STDIN_FILENO)) {
    Result<std::string> typed = PromptPassword("Web password (empty: none yet): ");
    if (!typed.ok()) return Fail(typed.status());
    password = *typed;
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
    return UsageError("user role", Status::Invalid("invalid role `" + role + "`: use admin or member"));
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

}  // namespace

std::vector<Command> UserCommands() {
  return {
      {{"user add",
        {"--data"},
        {"--admin", "--password-stdin"},
        {"--data"},
        1,
        1,
        "registry user add --data DIR NAME [--admin] [--password-stdin]",
        "create a user (a member unless --admin); its web password is typed twice on a\n"
        "      terminal (empty: none yet) or read from stdin's first line with --password-stdin"},
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
  };
}

}  // namespace registry
