// `registry token ...`: create, list, revoke.
#include "cli/token_commands.h"

#include <cstdio>

#include "base/clock.h"
#include "base/display_text.h"

namespace registry {

namespace {

int TokenCreate(const ParsedArgs& args) {
  TokenSpec spec;
  spec.name = args.Get("--name", "cli token");
  auto scopes = args.options.find("--scope");
  if (scopes != args.options.end()) {
    spec.scopes = 0;
    for (const std::string& s : scopes->second) {
      Result<Scope> scope = ParseScope(s);
      if (!scope.ok()) return UsageError("token create", scope.status());
      spec.scopes |= *scope;
    }
  }
  auto crates = args.options.find("--crate");
  if (crates != args.options.end()) spec.crate_patterns = crates->second;
  std::string expires = args.Get("--expires");
  if (!expires.empty() && expires != "never") {
    Result<int64_t> seconds = ParseDuration(expires);
    if (!seconds.ok()) return UsageError("token create", seconds.status());
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
    return UsageError("token revoke", Status::Invalid("invalid token id `" + id +
                                                      "`: see `registry token list`"));
  }
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Status st = (*app)->tokens().Revoke(Actor::ForCli(), std::stoll(id));
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "token %s revoked\n", id.c_str());
  return 0;
}

}  // namespace

std::vector<Command> TokenCommands() {
  return {
      {{"token create",
        {"--data", "--user", "--name", "--scope", "--crate", "--expires"},
        {},
        {"--data", "--user"},
        0,
        0,
        "registry token create --data DIR --user NAME [--name LABEL] [--scope S]...\n"
        "                      [--crate PATTERN]... [--expires 30d]",
        "create an API token and print it (only the token) on stdout; scopes: read,\n"
        "      publish-new, publish-update, yank, change-owners, docs (default: all); --expires\n"
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
  };
}

}  // namespace registry
