// The web UI's account routes: sign-in and sessions, tokens, users and the audit log. Every
// state-changing request here needs a web session and its CSRF token (Api::AuthenticateSession).
#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "base/crypto.h"
#include "base/display_text.h"
#include "base/untrusted_json.h"
#include "http/api.h"
#include "http/error_reply.h"
#include "http/json_reply.h"

namespace registry {

using nlohmann::json;

static json TimeOrNull(int64_t t) { return t ? json(FormatUtc(t)) : json(nullptr); }

static json UserJson(const User& u) {
  return {{"login", u.login}, {"name", u.name}, {"admin", u.is_admin}, {"disabled", u.disabled}};
}

static json TokenJson(const TokenInfo& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"user", t.user_login},
          {"scopes", ScopeNames(t.scopes)},
          {"crates", t.crate_patterns},
          {"created_at", TimeOrNull(t.created_at)},
          {"last_used_at", TimeOrNull(t.last_used_at)},
          {"expires_at", TimeOrNull(t.expires_at)},
          {"revoked_at", TimeOrNull(t.revoked_at)}};
}

// The request body as a JSON object; Invalid naming `shape` otherwise. Bounded in depth and
// never throwing (base/untrusted_json.h): every body here comes from a client.
static Result<json> JsonObject(const HttpRequest& req, const char* shape) {
  if (req.body.size() > kMaxSmallBody) {
    return Status::TooLarge("request body too large: at most " + std::to_string(kMaxSmallBody) +
                            " bytes");
  }
  Result<json> j = ParseUntrustedJson(req.body);
  if (!j.ok() && j.status().code() != Code::kInvalid) return j.status();
  if (!j.ok() || !j->is_object()) {
    return Status::Invalid(std::string("expected a JSON object: ") + shape);
  }
  return j;
}

// Optional boolean member: nullopt when absent or null; Invalid when present but not a boolean.
// Every field is type-checked before it is read: json::get and json::value throw on a mismatch.
static Result<std::optional<bool>> BoolField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return Status::Invalid(std::string("`") + key + "` must be true or false");
  return std::optional<bool>(it->get<bool>());
}

// Optional string member: "" when absent; Invalid when present but not a string.
static Result<std::string> StringField(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Status::Invalid(std::string("`") + key + "` must be a string");
  return it->get<std::string>();
}

static Result<std::vector<std::string>> StringList(const json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return Status::Invalid(std::string("`") + key + "` must be a list");
  for (const json& s : *it) {
    if (!s.is_string()) return Status::Invalid(std::string("`") + key + "` must list strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

// The host part of an Origin header ("https://host:port" -> "host:port").
static std::string_view OriginHost(std::string_view origin) {
  size_t scheme = origin.find("://");
  return scheme == std::string_view::npos ? origin : origin.substr(scheme + 3);
}

// The known-device cookie: "<nonce>.<DeviceTag(login|nonce)>", set by a successful sign-in.
static constexpr const char* kDeviceCookie = "registry_device";

std::string Api::KnownDevice(const HttpRequest& req, const std::string& folded_login) const {
  std::string_view cookie = req.Cookie(kDeviceCookie);
  size_t dot = cookie.find('.');
  if (dot != 32 || cookie.size() > 200) return "";
  std::string nonce(cookie.substr(0, dot));
  if (!SecureEquals(cookie.substr(dot + 1),
                    auth_.sessions->DeviceTag(folded_login + "|" + nonce))) {
    return "";
  }
  return nonce;
}

void Api::SignIn(const HttpRequest& req, const Params&, HttpResponse* res) const {
  // A cross-site form cannot send JSON without a CORS preflight, which this server never
  // grants; with the Origin check this stops sign-in CSRF.
  std::string_view type = req.Header("content-type");
  std::string_view origin = req.Header("origin");
  if (type.substr(0, 16) != "application/json") {
    return ReplyError(Status::Invalid("send the sign-in as application/json: "
                                      "{\"login\":\"...\",\"password\":\"...\"}"),
                      RouteKind::kApi, "", res);
  }
  if (!origin.empty() && OriginHost(origin) != req.Header("host")) {
    return ReplyError(Status::Forbidden("sign-in from another site is refused"), RouteKind::kApi,
                      "", res);
  }
  // Anyone may send this, so the body is held to what a sign-in needs (Preflight refuses a
  // larger Content-Length before the body is read; this catches chunked bodies).
  if (req.body.size() > kMaxSignInBody) {
    return ReplyError(
        Status::TooLarge("a sign-in body is at most " + std::to_string(kMaxSignInBody) + " bytes"),
        RouteKind::kApi, "", res);
  }
  Result<json> body = JsonObject(req, "{\"login\":\"...\",\"password\":\"...\"}");
  if (!body.ok()) return ReplyError(body.status(), RouteKind::kApi, "", res);
  Result<std::string> login = StringField(*body, "login");
  Result<std::string> password = StringField(*body, "password");
  if (!login.ok() || !password.ok() || login->empty() || password->empty()) {
    return ReplyError(Status::Invalid("give both a login and a password"), RouteKind::kApi, "",
                      res);
  }
  // No such user can exist (logins are 1-64 characters, passwords at most 1024 bytes): the
  // same refusal as a wrong password, without spending a hash on it.
  if (login->size() > 64 || password->size() > 1024) {
    return ReplyError(Status::Unauthorized("wrong login or password"), RouteKind::kApi, "", res);
  }
  std::string folded_login;
  for (char c : *login) {
    folded_login += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // Failures count per client and login; a browser that signed in as this login before
  // counts on its own instead, so others behind the same address (a shared NAT) cannot lock
  // its user out by failing for them.
  std::string device = KnownDevice(req, folded_login);
  std::string key =
      (device.empty() ? ClientKey(req.remote_addr) : "device " + device) + "|" + folded_login;
  // Refused early while backed off, before any hash is spent.
  if (int64_t wait = login_failures_->RetryAfter(key); wait > 0) {
    return ReplyError(RetryLater(wait, "failed sign-ins for this user", res), RouteKind::kApi, "",
                      res);
  }
  // One check per client at a time, and a bound on all of them: a flood from one address
  // cannot queue ahead of a sign-in from another (the hash slots serve in arrival order). A
  // known browser is a client of its own, so a flood from its address does not hold it up.
  Result<SignInGate::Ticket> ticket =
      sign_in_gate_->Enter(device.empty() ? req.remote_addr : "device " + device);
  if (!ticket.ok()) {
    return ReplyError(RetryLater(1, "sign-ins in progress", res), RouteKind::kApi, "", res);
  }
  Result<User> user = auth_.users->CheckPassword(*login, *password, req.remote_addr);
  if (!user.ok()) {
    if (user.status().code() == Code::kUnauthorized) login_failures_->RecordFailure(key);
    return ReplyError(user.status(), RouteKind::kApi, "", res);
  }
  login_failures_->Reset(key);
  Result<NewSession> session = auth_.sessions->Create(*user, req.remote_addr);
  if (!session.ok()) return ReplyError(session.status(), RouteKind::kApi, "", res);
  res->SetHeader("Set-Cookie", std::string(kSessionCookie) + "=" + session->secret +
                                   "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                   std::to_string(session->expires_at - clock_->Now()) +
                                   (options_.secure_cookies ? "; Secure" : ""));
  // After the session cookie: clients that read one Set-Cookie header get the session.
  if (device.empty()) {
    std::string nonce = HexEncode(RandomBytes(16));
    res->SetHeader("Set-Cookie", std::string(kDeviceCookie) + "=" + nonce + "." +
                                     auth_.sessions->DeviceTag(folded_login + "|" + nonce) +
                                     "; Path=/api/v1/session; HttpOnly; SameSite=Strict; "
                                     "Max-Age=31536000" +
                                     (options_.secure_cookies ? "; Secure" : ""));
  }
  res->SetHeader("Cache-Control", "no-store");
  ReplyJson({{"user", UserJson(*user)},
             {"csrf_token", session->csrf_token},
             {"expires_at", FormatUtc(session->expires_at)}},
            res);
}

void Api::SessionInfo(const HttpRequest& req, const Params&, HttpResponse* res) const {
  res->SetHeader("Cache-Control", "no-store");
  bool has_cookie = !req.Cookie(kSessionCookie).empty();
  if (req.Header("authorization").empty() && !has_cookie) {
    return ReplyJson({{"user", nullptr}}, res);
  }
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) {
    // An ended or expired session is not an error here: the page shows the sign-in form.
    if (has_cookie && actor.status().code() == Code::kUnauthorized) {
      return ReplyJson({{"user", nullptr}, {"detail", actor.status().message()}}, res);
    }
    return ReplyError(actor.status(), RouteKind::kApi, "", res);
  }
  json out = {{"user", UserJson(actor->user)},
              {"via", actor->session_id ? "session" : "token"},
              {"scopes", ScopeNames(actor->scopes)},
              {"crates", actor->crate_patterns}};
  if (actor->session_id) {
    out["csrf_token"] = auth_.sessions->CsrfToken(req.Cookie(kSessionCookie));
  }
  ReplyJson(out, res);
}

void Api::SignOut(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Status st = auth_.sessions->End(*actor);
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  res->SetHeader("Set-Cookie", std::string(kSessionCookie) +
                                   "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                   (options_.secure_cookies ? "; Secure" : ""));
  ReplyJson({{"ok", true}}, res);
}

void Api::ListTokens(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  int64_t user_id = actor->user.id;
  std::string_view who = req.Query("user");
  if (req.Query("all") == "1" || (!who.empty() && who != actor->user.login)) {
    Status admin = RequireAdmin(*actor, "list other users' tokens");
    if (!admin.ok()) return ReplyError(admin, RouteKind::kApi, "", res);
    user_id = 0;
    if (!who.empty()) {
      Result<User> user = auth_.users->Find(who);
      if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, "", res);
      user_id = user->id;
    }
  }
  Result<std::vector<TokenInfo>> tokens =
      auth_.tokens->List(user_id, req.Query("include_revoked") == "1");
  if (!tokens.ok()) return ReplyError(tokens.status(), RouteKind::kApi, "", res);
  json list = json::array();
  for (const TokenInfo& t : *tokens) list.push_back(TokenJson(t));
  ReplyJson({{"tokens", list}}, res);
}

void Api::CreateToken(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  const char* shape =
      "{\"name\":\"ci\",\"scopes\":[\"read\"],\"crates\":[\"my-corp-*\"],\"expires_in_days\":30}";
  Result<json> body = JsonObject(req, shape);
  if (!body.ok()) return ReplyError(body.status(), RouteKind::kApi, "", res);
  TokenSpec spec;
  Result<std::string> name = StringField(*body, "name");
  Result<std::string> user = StringField(*body, "user");
  Result<std::vector<std::string>> scopes = StringList(*body, "scopes");
  Result<std::vector<std::string>> crates = StringList(*body, "crates");
  for (const Status& st : {name.status(), user.status(), scopes.status(), crates.status()}) {
    if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  }
  if (scopes->empty()) {
    return ReplyError(Status::Invalid("choose at least one scope: read, publish-new, "
                                      "publish-update, yank, change-owners, docs"),
                      RouteKind::kApi, "", res);
  }
  spec.name = *name;
  spec.scopes = 0;
  for (const std::string& s : *scopes) {
    Result<Scope> scope = ParseScope(s);
    if (!scope.ok()) return ReplyError(scope.status(), RouteKind::kApi, "", res);
    spec.scopes |= *scope;
  }
  spec.crate_patterns = *crates;
  auto days = body->find("expires_in_days");
  if (days != body->end() && !days->is_null()) {
    if (!days->is_number_integer() || *days < 1 || *days > 3650) {
      return ReplyError(Status::Invalid("`expires_in_days` must be a whole number from 1 to 3650, "
                                        "or null for a token that does not expire"),
                        RouteKind::kApi, "", res);
    }
    spec.expires_at = clock_->Now() + days->get<int64_t>() * 86400;
  }
  std::string login = user->empty() ? actor->user.login : *user;
  Result<NewToken> token = auth_.tokens->Create(*actor, login, spec);
  if (!token.ok()) return ReplyError(token.status(), RouteKind::kApi, "", res);
  res->SetHeader("Cache-Control", "no-store");
  ReplyJson({{"token", TokenJson(token->info)}, {"secret", token->secret}}, res);
}

void Api::RevokeToken(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  const std::string& text = p.at("id");
  if (text.empty() || text.size() > 18 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    return ReplyError(Status::NotFound("no token with id " + text), RouteKind::kApi, "", res);
  }
  Status st = auth_.tokens->Revoke(*actor, std::stoll(text));
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  ReplyJson({{"ok", true}}, res);
}

void Api::ListUsers(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Status admin = RequireAdmin(*actor, "list users");
  if (!admin.ok()) return ReplyError(admin, RouteKind::kApi, "", res);
  Result<std::vector<UserInfo>> users = auth_.users->List();
  if (!users.ok()) return ReplyError(users.status(), RouteKind::kApi, "", res);
  json list = json::array();
  for (const UserInfo& u : *users) {
    json j = UserJson(u.user);
    j["created_at"] = TimeOrNull(u.created_at);
    j["has_password"] = u.has_password;
    j["last_sign_in_at"] = TimeOrNull(u.last_sign_in_at);
    list.push_back(std::move(j));
  }
  ReplyJson({{"users", list}}, res);
}

void Api::CreateUser(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Result<json> body = JsonObject(req, "{\"login\":\"bob\",\"password\":\"...\",\"admin\":false}");
  if (!body.ok()) return ReplyError(body.status(), RouteKind::kApi, "", res);
  Result<std::string> login = StringField(*body, "login");
  Result<std::string> password = StringField(*body, "password");
  if (!login.ok()) return ReplyError(login.status(), RouteKind::kApi, "", res);
  if (!password.ok()) return ReplyError(password.status(), RouteKind::kApi, "", res);
  Result<std::optional<bool>> admin = BoolField(*body, "admin");
  if (!admin.ok()) return ReplyError(admin.status(), RouteKind::kApi, "", res);
  Result<User> user = auth_.users->Add(*actor, *login, admin->value_or(false), *password);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, "", res);
  ReplyJson({{"user", UserJson(*user)}}, res);
}

void Api::UpdateUser(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  const std::string& login = p.at("login");
  // Members may change only themselves, and get one answer for every other login, existing or
  // not, administrator or not: the reply must not tell them who exists.
  bool self = SameLogin(actor->user.login, login);
  if (!self) {
    Status admin = RequireAdmin(*actor, "change other users");
    if (!admin.ok()) return ReplyError(admin, RouteKind::kApi, "", res);
  }
  // The whole request is read and type-checked before anything changes.
  Result<json> body = JsonObject(
      req,
      "{\"password\":\"...\",\"current_password\":\"...\",\"admin\":true,\"disabled\":false,"
      "\"name\":\"...\"}");
  if (!body.ok()) return ReplyError(body.status(), RouteKind::kApi, "", res);
  Result<std::optional<bool>> admin = BoolField(*body, "admin");
  Result<std::optional<bool>> disabled = BoolField(*body, "disabled");
  Result<std::string> password = StringField(*body, "password");
  Result<std::string> current = StringField(*body, "current_password");
  auto name_it = body->find("name");
  if (name_it != body->end() && !name_it->is_null() && !name_it->is_string()) {
    return ReplyError(Status::Invalid("the display name must be a string"), RouteKind::kApi, "",
                      res);
  }
  for (const Status& st :
       {admin.status(), disabled.status(), password.status(), current.status()}) {
    if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  }
  Result<User> target = auth_.users->Find(login);
  if (!target.ok()) return ReplyError(target.status(), RouteKind::kApi, "", res);
  UserChanges changes;
  changes.admin = *admin;
  changes.disabled = *disabled;
  if (name_it != body->end() && name_it->is_string()) changes.name = name_it->get<std::string>();
  if (!password->empty()) {
    if (self) {
      // A stolen session alone must not be enough to take the account over.
      Result<User> check =
          !current->empty()
              ? auth_.users->CheckPassword(target->login, *current, req.remote_addr)
              : Result<User>(Status::Forbidden("give your current password to change it"));
      if (!check.ok()) {
        Status st = check.status().code() == Code::kUnauthorized
                        ? Status::Forbidden("the current password is wrong")
                        : check.status();
        return ReplyError(st, RouteKind::kApi, "", res);
      }
    }
    changes.password = *password;
  }
  // One transaction: every change, or none when any is refused.
  Status st = auth_.users->Update(*actor, target->login, changes);
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  Result<User> now = auth_.users->Find(target->login);
  if (!now.ok()) return ReplyError(now.status(), RouteKind::kApi, "", res);
  ReplyJson({{"user", UserJson(*now)}}, res);
}

// A query parameter holding Unix seconds or an id: 0 when absent; Invalid naming `key` when
// it is not a plain decimal.
static Result<int64_t> NumberParam(const HttpRequest& req, const char* key) {
  std::string_view text = req.Query(key);
  if (text.empty()) return int64_t{0};
  if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos) {
    return Status::Invalid(std::string(key) + " must be a whole number (Unix seconds or an id)");
  }
  return static_cast<int64_t>(std::stoll(std::string(text)));
}

// A text filter of at most 100 bytes; Invalid naming `key` otherwise.
static Result<std::string> FilterParam(const HttpRequest& req, const char* key) {
  std::string_view text = req.Query(key);
  if (text.size() > 100) return Status::Invalid(std::string(key) + " is at most 100 bytes long");
  return std::string(text);
}

void Api::AuditLog(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Status admin = RequireAdmin(*actor, "read the audit log");
  if (!admin.ok()) return ReplyError(admin, RouteKind::kApi, "", res);
  Result<int64_t> since = NumberParam(req, "since");
  Result<int64_t> until = NumberParam(req, "until");
  Result<int64_t> before = NumberParam(req, "before");
  Result<std::string> user = FilterParam(req, "user");
  Result<std::string> action = FilterParam(req, "action");
  Result<std::string> crate = FilterParam(req, "crate");
  for (const Status& st : {since.status(), until.status(), before.status(), user.status(),
                           action.status(), crate.status()}) {
    if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  }
  AuditQuery query;
  query.since = *since;
  query.until = *until;
  query.before_id = *before;
  query.actor = *user;
  query.action = *action;
  query.crate = *crate;
  int64_t limit = std::strtoll(std::string(req.Query("limit")).c_str(), nullptr, 10);
  limit = limit > 0 && limit <= 1000 ? limit : 100;
  // One more than asked for tells whether an older page exists.
  query.limit = limit + 1;
  Result<std::vector<AuditEvent>> events = auth_.audit->Read(query);
  if (!events.ok()) return ReplyError(events.status(), RouteKind::kApi, "", res);
  const bool more = static_cast<int64_t>(events->size()) > limit;
  if (more) events->erase(events->begin());
  json list = json::array();
  for (const AuditEvent& e : *events) {
    // Escaped as `registry audit` prints them: a reader of this JSON (a script, `jq -r`, a
    // page) gets text without controls, and invalid bytes show as \\xNN.
    list.push_back({{"id", e.id},
                    {"at", FormatUtc(e.at)},
                    {"action", EscapeForDisplay(e.action)},
                    {"actor", EscapeForDisplay(e.actor)},
                    {"address", EscapeForDisplay(e.address)},
                    {"target", EscapeForDisplay(e.target)},
                    {"detail", EscapeForDisplay(e.detail)}});
  }
  json next = more && !events->empty() ? json(events->front().id) : json(nullptr);
  ReplyJson({{"events", list}, {"next_before", next}}, res);
}

void Api::ListSessions(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Result<std::vector<LiveSession>> sessions = auth_.sessions->List(actor->user.id);
  if (!sessions.ok()) return ReplyError(sessions.status(), RouteKind::kApi, "", res);
  json list = json::array();
  for (const LiveSession& s : *sessions) {
    list.push_back({{"id", s.id},
                    {"created_at", FormatUtc(s.created_at)},
                    {"expires_at", FormatUtc(s.expires_at)},
                    {"address", EscapeForDisplay(s.address)},
                    {"current", s.id == actor->session_id}});
  }
  res->SetHeader("Cache-Control", "no-store");
  ReplyJson({{"sessions", list}}, res);
}

void Api::EndAllSessions(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Result<int64_t> ended = auth_.sessions->EndAll(*actor);
  if (!ended.ok()) return ReplyError(ended.status(), RouteKind::kApi, "", res);
  // This browser's session ended too.
  res->SetHeader("Set-Cookie", std::string(kSessionCookie) +
                                   "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" +
                                   (options_.secure_cookies ? "; Secure" : ""));
  ReplyJson({{"ok", true}, {"ended", *ended}}, res);
}

}  // namespace registry
