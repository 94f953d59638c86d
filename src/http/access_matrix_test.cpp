// The access matrix over real HTTP: every route of Api::Routes() against every kind of
// credential, table-driven, so no route can be added without saying who may call it.
#include <doctest/doctest.h>
#include <httplib.h>

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "auth/token.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "http/api.h"
#include "server/server.h"
#include "test_util/crate_builder.h"
#include "test_util/docs_archive_builder.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

using nlohmann::json;

// The credential columns, in the order every row lists its expected statuses.
enum Column {
  kNone,          // no Authorization header and no cookie
  kMalformed,     // "crg_xyz"
  kUnknown,       // well-formed, never issued
  kExpired,       // alice's, expired
  kRevoked,       // alice's, revoked
  kDisabledUser,  // dora's, and dora was then disabled
  kReadOnly,      // alice's, scope `read` only
  kOtherCrates,   // alice's, every scope, limited to crates `other-*`
  kCorrect,       // alice's with every scope; on session-only routes the admin's web session
  kColumns
};
constexpr const char* kColumnNames[kColumns] = {"none",      "malformed",       "unknown",
                                                "expired",   "revoked",         "disabled user",
                                                "read-only", "other-* pattern", "correct"};

constexpr const char* kAdminPassword = "admin-password-1";
constexpr const char* kAlicePassword = "alice-password-1";
constexpr const char* kCarolPassword = "carol-password-1";

// One route of the matrix: the concrete request and what each column gets. Built as a chain:
// Route(...).Send(...).Expect(...).Ok(...).
struct Row {
  std::string method;
  std::string pattern;  // as in Api::Routes()
  Access access;        // as in Api::Routes()
  std::string path;     // `pattern` with its parameters filled in, plus a query
  std::string body;
  std::string content_type;
  std::array<int, kColumns> status{};
  std::string ok;     // every 2xx body contains this
  std::string scope;  // the scope the read-only token's 403 names
  // Per column: a substring the body must contain (instead of `ok` or the refusal's usual
  // detail), and one it must not.
  std::map<int, std::string> has;
  std::map<int, std::string> lacks;
  bool fresh_session = false;  // the correct cell ends its session, so it gets a new one

  Row& Send(std::string p, std::string b = "", std::string type = "") {
    path = std::move(p);
    body = std::move(b);
    content_type = std::move(type);
    return *this;
  }
  Row& Expect(const std::array<int, kColumns>& s) {
    status = s;
    return *this;
  }
  Row& Ok(std::string needle) {
    ok = std::move(needle);
    return *this;
  }
  Row& Scope(std::string name) {
    scope = std::move(name);
    return *this;
  }
  Row& Has(Column col, std::string needle) {
    has[col] = std::move(needle);
    return *this;
  }
  Row& HasEverywhere(const std::string& needle) {
    for (int col = 0; col < kColumns; ++col) has[static_cast<Column>(col)] = needle;
    return *this;
  }
  Row& Lacks(Column col, std::string needle) {
    lacks[col] = std::move(needle);
    return *this;
  }
  Row& FreshSession() {
    fresh_session = true;
    return *this;
  }
};

Row Route(std::string method, std::string pattern, Access access) {
  Row row;
  row.method = std::move(method);
  row.pattern = std::move(pattern);
  row.access = access;
  return row;
}

// Values only known once the server is set up.
struct Fixtures {
  int64_t revoke_me_id = 0;  // a token of alice that the correct cell of DELETE /tokens revokes
};

constexpr std::array<int, kColumns> kIndexRead = {401, 401, 401, 401, 401, 401, 200, 403, 200};
constexpr std::array<int, kColumns> kApiRead = {403, 403, 403, 403, 403, 403, 200, 403, 200};
constexpr std::array<int, kColumns> kApiWrite = {403, 403, 403, 403, 403, 403, 403, 403, 200};
constexpr std::array<int, kColumns> kSessionOnly = {403, 403, 403, 403, 403, 403, 403, 403, 200};
constexpr std::array<int, kColumns> kAlways200 = {200, 200, 200, 200, 200, 200, 200, 200, 200};
// Any valid credential, whatever its scopes and crate patterns.
constexpr std::array<int, kColumns> kAnyValid = {403, 403, 403, 403, 403, 403, 200, 200, 200};

std::string PublishJson(const std::string& name, const std::string& vers) {
  return json({{"name", name},
               {"vers", vers},
               {"deps", json::array()},
               {"features", json::object()},
               {"authors", json::array()},
               {"description", "a crate of the access matrix"},
               {"license", "MIT"}})
      .dump();
}

std::string PublishBody(const std::string& name, const std::string& vers) {
  return MakePublishBody(PublishJson(name, vers), MakeCrateFile(name, vers));
}

// The matrix. Rows run in this order, so state-changing cells are ordered to keep the table
// valid: refusals come first in every row (and must change nothing), yank before unyank,
// adding an owner before removing them.
std::vector<Row> MatrixRows(const Fixtures& f) {
  using A = Access;
  const std::string json_type = "application/json";
  const std::string signin = json({{"login", "admin"}, {"password", kAdminPassword}}).dump();
  const std::string publish = PublishBody("matrix-crate", "1.0.1");
  const std::string owners = R"({"users":["bob"]})";
  const std::string docs = MakeDocsArchive(MinimalDocsTree("matrix_crate"));
  const std::string new_user = json({{"login", "carol"}, {"password", kCarolPassword}}).dump();
  const std::string revoke = "/api/v1/tokens/" + std::to_string(f.revoke_me_id);
  // Columns: none, malformed, unknown, expired, revoked, disabled user, read-only, other-*,
  // correct.
  return {
      // ---- cargo's protocol -----------------------------------------------------------------
      Route("GET", "/health", A::kPublic).Send("/health").Expect(kAlways200).Ok(R"("status":"ok")"),
      // Not crate-specific: a pattern-limited token reads it.
      Route("GET", "/index/config.json", A::kCredential)
          .Send("/index/config.json")
          .Expect({401, 401, 401, 401, 401, 401, 200, 200, 200})
          .Ok(R"("auth-required":true)"),
      Route("GET", "/index/{*path}", A::kCredential)
          .Send("/index/ma/tr/matrix-crate")
          .Expect(kIndexRead)
          .Ok(R"("name":"matrix-crate","vers":"1.0.0")"),
      // A new version of an existing crate: needs publish-update.
      Route("PUT", "/api/v1/crates/new", A::kCredential)
          .Send("/api/v1/crates/new", publish, "application/octet-stream")
          .Expect(kApiWrite)
          .Ok(R"("warnings")")
          .Scope("publish-update"),
      // Search hides the crates outside a token's patterns instead of refusing.
      Route("GET", "/api/v1/crates", A::kCredential)
          .Send("/api/v1/crates?q=crate")
          .Expect({403, 403, 403, 403, 403, 403, 200, 200, 200})
          .Ok(R"("name":"matrix-crate")")
          .Has(kOtherCrates, R"("meta":{"total":1})")
          .Lacks(kOtherCrates, "matrix-crate"),
      // The body must be the .crate itself (checked in CheckCell).
      Route("GET", "/api/v1/crates/{name}/{version}/download", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/1.0.0/download")
          .Expect(kIndexRead),
      Route("DELETE", "/api/v1/crates/{name}/{version}/yank", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/1.0.0/yank")
          .Expect(kApiWrite)
          .Ok(R"({"ok":true})")
          .Scope("yank"),
      Route("PUT", "/api/v1/crates/{name}/{version}/unyank", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/1.0.0/unyank")
          .Expect(kApiWrite)
          .Ok(R"({"ok":true})")
          .Scope("yank"),
      // The web UI's crate page: one crate's details, like its index file.
      Route("GET", "/api/v1/crates/{name}", A::kCredential)
          .Send("/api/v1/crates/matrix-crate")
          .Expect(kApiRead)
          .Ok(R"("name":"matrix-crate","owners")"),
      Route("GET", "/api/v1/crates/{name}/owners", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/owners")
          .Expect(kApiRead)
          .Ok(R"("login":"alice")"),
      Route("PUT", "/api/v1/crates/{name}/owners", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/owners", owners, json_type)
          .Expect(kApiWrite)
          .Ok("user `bob` is now an owner")
          .Scope("change-owners"),
      Route("DELETE", "/api/v1/crates/{name}/owners", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/owners", owners, json_type)
          .Expect(kApiWrite)
          .Ok("removed `bob`")
          .Scope("change-owners"),
      Route("GET", "/api/v1/crates/{name}/reverse_dependencies", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/reverse_dependencies")
          .Expect(kApiRead)
          .Ok(R"({"dependents":[],"meta":{"total":0}})"),
      // ---- hosted docs: uploaded, read with a token (browsers: see docs_api_test), deleted --
      Route("PUT", "/api/v1/crates/{name}/{version}/docs", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/1.0.0/docs", docs, "application/octet-stream")
          .Expect(kApiWrite)
          .Ok(R"("replaced":false)")
          .Scope("docs"),
      Route("GET", "/docs/{*path}", A::kDocs)
          .Send("/docs/matrix-crate/1.0.0/matrix_crate/index.html")
          .Expect(kIndexRead)
          .Ok("docs of matrix_crate"),
      Route("DELETE", "/api/v1/crates/{name}/{version}/docs", A::kCredential)
          .Send("/api/v1/crates/matrix-crate/1.0.0/docs")
          .Expect(kApiWrite)
          .Ok(R"({"ok":true})")
          .Scope("docs"),
      // ---- the crates.io view (offline here): the private crate's name is never served ----
      Route("GET", "/crates-io/index/config.json", A::kCredential)
          .Send("/crates-io/index/config.json")
          .Expect({401, 401, 401, 401, 401, 401, 200, 200, 200})
          .Ok(R"("auth-required":true)"),
      Route("GET", "/crates-io/index/{*path}", A::kCredential)
          .Send("/crates-io/index/ma/tr/matrix-crate")
          .Expect({401, 401, 401, 401, 401, 401, 404, 403, 404})
          .Has(kReadOnly, "`matrix-crate` is a private crate of this registry")
          .Has(kCorrect, "`matrix-crate` is a private crate of this registry"),
      Route("GET", "/crates-io/api/v1/crates/{name}/{version}/download", A::kCredential)
          .Send("/crates-io/api/v1/crates/matrix-crate/1.0.0/download")
          .Expect({401, 401, 401, 401, 401, 401, 404, 403, 404})
          .Has(kReadOnly, "`matrix-crate` is a private crate of this registry")
          .Has(kCorrect, "`matrix-crate` is a private crate of this registry"),
      Route("PUT", "/crates-io/{*path}", A::kPublic)
          .Send("/crates-io/api/v1/crates/new", publish, "application/octet-stream")
          .Expect({405, 405, 405, 405, 405, 405, 405, 405, 405})
          .HasEverywhere("the crates.io mirror is read-only"),
      Route("DELETE", "/crates-io/{*path}", A::kPublic)
          .Send("/crates-io/api/v1/crates/itoa/1.0.0/yank")
          .Expect({405, 405, 405, 405, 405, 405, 405, 405, 405})
          .HasEverywhere("the crates.io mirror is read-only"),
      // ---- the web UI: what it shows before sign-in, then account management ---------------
      // Holds only the registry's name and URLs, which the sign-in page shows.
      Route("GET", "/api/v1/site", A::kPublic)
          .Send("/api/v1/site")
          .Expect(kAlways200)
          .Ok(R"("registry_name":"private")"),
      // Sign-in ignores whatever credential comes with it.
      Route("POST", "/api/v1/session", A::kPublic)
          .Send("/api/v1/session", signin, json_type)
          .Expect(kAlways200)
          .Ok(R"("csrf_token")"),
      // No credential: nobody is signed in; a bad token is refused as anywhere on the API.
      Route("GET", "/api/v1/session", A::kPublic)
          .Send("/api/v1/session")
          .Expect({200, 403, 403, 403, 403, 403, 200, 200, 200})
          .Has(kNone, R"({"user":null})")
          .Has(kReadOnly, R"("scopes":["read"])")
          .Has(kOtherCrates, R"("crates":["other-*"])")
          .Has(kCorrect, R"("via":"token")"),
      Route("DELETE", "/api/v1/session", A::kSession)
          .Send("/api/v1/session")
          .Expect(kSessionOnly)
          .Ok(R"({"ok":true})")
          .FreshSession(),
      Route("GET", "/api/v1/tokens", A::kSession)
          .Send("/api/v1/tokens")
          .Expect(kSessionOnly)
          .Ok(R"("tokens":[)"),
      Route("POST", "/api/v1/tokens", A::kSession)
          .Send("/api/v1/tokens", R"({"name":"made on the web","scopes":["read"]})", json_type)
          .Expect(kSessionOnly)
          .Ok(R"("secret":"crg_)"),
      Route("DELETE", "/api/v1/tokens/{id}", A::kSession)
          .Send(revoke)
          .Expect(kSessionOnly)
          .Ok(R"({"ok":true})"),
      Route("GET", "/api/v1/users", A::kSession)
          .Send("/api/v1/users")
          .Expect(kSessionOnly)
          .Ok(R"("login":"dora")"),
      Route("POST", "/api/v1/users", A::kSession)
          .Send("/api/v1/users", new_user, json_type)
          .Expect(kSessionOnly)
          .Ok(R"("login":"carol")"),
      Route("PATCH", "/api/v1/users/{login}", A::kSession)
          .Send("/api/v1/users/bob", R"({"disabled":false})", json_type)
          .Expect(kSessionOnly)
          .Ok(R"("login":"bob")"),
      Route("GET", "/api/v1/audit", A::kSession)
          .Send("/api/v1/audit")
          .Expect(kSessionOnly)
          .Ok(R"("action":"publish")"),
      // ---- the web UI's view of the mirror (nothing cached here) ------------------------------
      Route("GET", "/api/v1/mirror/crates/{name}", A::kCredential)
          .Send("/api/v1/mirror/crates/matrix-crate")
          .Expect({403, 403, 403, 403, 403, 403, 404, 403, 404})
          .Has(kReadOnly, "`matrix-crate` is a private crate of this registry")
          .Has(kCorrect, "`matrix-crate` is a private crate of this registry"),
      Route("GET", "/api/v1/mirror", A::kSession)
          .Send("/api/v1/mirror")
          .Expect(kSessionOnly)
          .Ok(R"("enabled":true)"),
      // Allowing, then disallowing again, so the rows above and below keep their meaning.
      Route("PUT", "/api/v1/mirror/allowed/{name}", A::kSession)
          .Send("/api/v1/mirror/allowed/matrix-crate")
          .Expect(kSessionOnly)
          .Ok(R"({"allowed":["matrix_crate"]})"),
      Route("DELETE", "/api/v1/mirror/allowed/{name}", A::kSession)
          .Send("/api/v1/mirror/allowed/matrix-crate")
          .Expect(kSessionOnly)
          .Ok(R"({"allowed":[]})"),
      // ---- operations: with --metrics token, as the matrix server runs -----------------------
      Route("GET", "/metrics", A::kMetrics)
          .Send("/metrics")
          .Expect(kAnyValid)
          .Ok("registry_http_requests_total"),
      // ---- the web UI's files: public, holding no registry data -------------------------------
      Route("GET", "/me", A::kPublic).Send("/me").Expect(kAlways200).Ok("<html"),
      Route("GET", "/", A::kPublic).Send("/").Expect(kAlways200).Ok("<html"),
      Route("GET", "/{*path}", A::kPublic).Send("/app.js").Expect(kAlways200).Ok("The web UI"),
      // ---- the account page's sessions and the administrators' dashboard ---------------------
      Route("GET", "/api/v1/sessions", A::kSession)
          .Send("/api/v1/sessions")
          .Expect(kSessionOnly)
          .Ok(R"("current":true)"),
      Route("GET", "/api/v1/stats", A::kSession)
          .Send("/api/v1/stats")
          .Expect(kSessionOnly)
          .Ok(R"("crates":2)"),
      // Last: it ends every session of the admin, the one the rows above use too.
      Route("DELETE", "/api/v1/sessions", A::kSession)
          .Send("/api/v1/sessions")
          .Expect(kSessionOnly)
          .Ok(R"("ok":true)")
          .FreshSession(),
  };
}

std::string AccessName(Access a) {
  switch (a) {
    case Access::kPublic:
      return "public";
    case Access::kCredential:
      return "credential";
    case Access::kSession:
      return "session";
    case Access::kMetrics:
      return "metrics";
    case Access::kDocs:
      return "docs";
  }
  return "?";
}

// The refusal detail a column gets when its request is turned away by authentication.
std::string DefaultDetail(const Row& row, Column col) {
  if (row.access == Access::kSession) {
    return col == kNone ? "sign in to the web UI first" : "tokens cannot manage tokens";
  }
  switch (col) {
    case kNone:
      return "this registry requires a token";
    case kMalformed:
      return "the token is malformed";
    case kUnknown:
      return "the token is not valid for this registry";
    case kExpired:
      return "expired on";
    case kRevoked:
      return "was revoked on";
    case kDisabledUser:
      return "the account `dora` is disabled";
    case kReadOnly:
      return "this token lacks the `" + row.scope + "` scope";
    case kOtherCrates:
      return "this token is limited to crates matching `other-*`, which `matrix-crate` does not "
             "match";
    default:
      return "";
  }
}

struct WebSession {
  std::string cookie;  // the registry_session value
  std::string csrf;
};

// An App, an Api and an HttpServer on 127.0.0.1 with an ephemeral port, served from a
// background thread and driven with httplib::Client; with users, tokens and published crates.
class MatrixServer {
 public:
  MatrixServer() = default;
  MatrixServer(const MatrixServer&) = delete;
  MatrixServer& operator=(const MatrixServer&) = delete;
  ~MatrixServer() {
    if (!thread_.joinable()) return;
    // Stop() does nothing before Serve() has started listening: repeat until it took.
    for (int i = 0; i < 200 && !stopped_; ++i) {
      server_->Stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    thread_.join();
  }

  // Starts the server and sets up users alice, bob, dora (members) and admin; the tokens of
  // every column; crates matrix-crate 1.0.0 and other-crate 1.0.0 published by alice over
  // HTTP; a web session of the admin.
  void Start() {
    auto app = App::Open(dir_.path() + "/data", RegistryOptions{});
    REQUIRE_MESSAGE(app.ok(), app.status().message());
    app_ = std::move(*app);
    ApiOptions options;
    options.backoff.first_delay = 0;  // the matrix sends many bad tokens; back-off has its tests
    // Every client here is on loopback, where the default mode serves anyone: the token mode
    // gives /metrics a row that tells the credentials apart.
    options.metrics = &metrics_;
    options.metrics_access = MetricsAccess::kToken;
    // An offline crates.io view: it never fetches, so its rows need no upstream.
    MirrorOptions mirror_options;
    mirror_options.index.upstream = "";
    mirror_ = std::make_unique<Mirror>(&app_->pool(), &app_->blobs(), &fetcher_, &SystemClock(),
                                       mirror_options);
    options.mirror = mirror_.get();
    AuthServices auth{&app_->users(), &app_->tokens(), &app_->sessions(), &app_->audit()};
    api_ = std::make_unique<Api>(&app_->registry(), auth, &SystemClock(), options);
    ServerOptions server_options;
    server_options.host = "127.0.0.1";
    server_options.port = 0;
    server_options.threads = 4;
    server_options.access_log = AccessLogFormat::kOff;
    server_ = std::make_unique<HttpServer>(api_.get(), server_options);
    Status bound = server_->Bind();
    REQUIRE_MESSAGE(bound.ok(), bound.message());
    thread_ = std::thread([this] {
      server_->Serve();
      stopped_ = true;
    });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_connection_timeout(5);
    client_->set_read_timeout(10);
    bool up = false;
    for (int i = 0; i < 100 && !up; ++i) {
      auto res = client_->Get("/health");
      up = res && res->status == 200;
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE_MESSAGE(up, "the server did not answer /health within 5 s");

    Actor cli = Actor::ForCli();
    REQUIRE(app_->users().Add(cli, "admin", true, kAdminPassword).ok());
    REQUIRE(app_->users().Add(cli, "alice", false, kAlicePassword).ok());
    REQUIRE(app_->users().Add(cli, "bob", false).ok());
    REQUIRE(app_->users().Add(cli, "dora", false).ok());

    admin_full_ = MakeToken("admin", "admin's full", kAllScopes).secret;
    alice_full_ = MakeToken("alice", "full", kAllScopes).secret;
    read_only_ = MakeToken("alice", "read-only", kScopeRead).secret;
    other_crates_ = MakeToken("alice", "other crates", kAllScopes, {"other-*"}).secret;
    registry::NewToken revoked = MakeToken("alice", "revoked", kAllScopes);
    revoked_ = revoked.secret;
    REQUIRE(app_->tokens().Revoke(cli, revoked.info.id).ok());
    fixtures_.revoke_me_id = MakeToken("alice", "revoke me", kAllScopes).info.id;
    disabled_ = MakeToken("dora", "of a disabled user", kAllScopes).secret;
    REQUIRE(app_->users().SetDisabled(cli, "dora", true).ok());
    unknown_ = NewTokenSecret();

    for (const char* name : {"matrix-crate", "other-crate"}) {
      auto res = Send("PUT", "/api/v1/crates/new", {{"Authorization", alice_full_}},
                      PublishBody(name, "1.0.0"), "application/octet-stream");
      REQUIRE(res);
      REQUIRE_MESSAGE(res->status == 200, res->body);
    }
    crate_bytes_ = MakeCrateFile("matrix-crate", "1.0.0");
    admin_ = SignIn("admin", kAdminPassword);
  }

  // A token of alice that has expired by the time this returns (about a second from now).
  void AddExpiredToken() {
    int64_t expires_at = SystemClock().Now() + 1;
    TokenSpec spec;
    spec.name = "expired";
    spec.expires_at = expires_at;
    Result<registry::NewToken> token = app_->tokens().Create(Actor::ForCli(), "alice", spec);
    REQUIRE_MESSAGE(token.ok(), token.status().message());
    expired_ = token->secret;
    for (int i = 0; i < 40 && SystemClock().Now() < expires_at; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(SystemClock().Now() >= expires_at);
  }

  httplib::Result Send(const std::string& method, const std::string& path,
                       const httplib::Headers& headers, const std::string& body = "",
                       const std::string& content_type = "") {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = headers;
    req.body = body;
    if (!content_type.empty()) req.set_header("Content-Type", content_type);
    return client_->send(req);
  }

  WebSession SignIn(const std::string& login, const std::string& password) {
    auto res = Send("POST", "/api/v1/session", {},
                    json({{"login", login}, {"password", password}}).dump(), "application/json");
    REQUIRE(res);
    REQUIRE_MESSAGE(res->status == 200, res->body);
    WebSession s;
    std::string cookie = res->get_header_value("Set-Cookie");
    std::string prefix = std::string(kSessionCookie) + "=";
    REQUIRE(cookie.rfind(prefix, 0) == 0);
    s.cookie = cookie.substr(prefix.size(), cookie.find(';') - prefix.size());
    json j = json::parse(res->body, nullptr, false);
    REQUIRE(j.is_object());
    REQUIRE(j.contains("csrf_token"));
    s.csrf = j["csrf_token"].get<std::string>();
    REQUIRE(!s.cookie.empty());
    REQUIRE(!s.csrf.empty());
    return s;
  }

  static httplib::Headers SessionHeaders(const WebSession& s, bool with_csrf = true) {
    httplib::Headers h{{"Cookie", std::string(kSessionCookie) + "=" + s.cookie}};
    if (with_csrf) h.emplace("X-CSRF-Token", s.csrf);
    return h;
  }

  // The headers of `col` for a route of `access`.
  httplib::Headers Credential(Column col, Access access) {
    auto token = [](const std::string& secret) {
      return httplib::Headers{{"Authorization", secret}};
    };
    switch (col) {
      case kNone:
        return {};
      case kMalformed:
        return token("crg_xyz");
      case kUnknown:
        return token(unknown_);
      case kExpired:
        return token(expired_);
      case kRevoked:
        return token(revoked_);
      case kDisabledUser:
        return token(disabled_);
      case kReadOnly:
        return token(read_only_);
      case kOtherCrates:
        return token(other_crates_);
      default:
        return access == Access::kSession ? SessionHeaders(admin_) : token(alice_full_);
    }
  }

  // What no refusal may carry: the crate's index data, checksum and bytes, token lists, user
  // lists, the audit log, and any secret.
  std::vector<std::string> RegistryData() const {
    std::vector<std::string> data = {Sha256Hex(crate_bytes_),
                                     crate_bytes_.substr(16, 24),
                                     R"("vers":)",
                                     R"("users":)",
                                     R"("tokens":)",
                                     R"("events":)",
                                     R"("crates":)",
                                     R"("secret")",
                                     admin_.csrf};
    for (const std::string& s : Secrets()) data.push_back(s);
    return data;
  }

  // What no reply at all may carry.
  std::vector<std::string> Secrets() const {
    return {admin_full_,   alice_full_,    read_only_,     other_crates_,
            revoked_,      disabled_,      unknown_,       expired_,
            admin_.cookie, kAdminPassword, kAlicePassword, kCarolPassword};
  }

  size_t AuditEvents() {
    AuditQuery q;
    q.limit = 1000000;
    Result<std::vector<AuditEvent>> events = app_->audit().Read(q);
    REQUIRE(events.ok());
    return events->size();
  }

  const Api& api() const { return *api_; }
  const Fixtures& fixtures() const { return fixtures_; }
  const std::string& crate_bytes() const { return crate_bytes_; }
  const std::string& alice_full() const { return alice_full_; }
  const std::string& admin_full() const { return admin_full_; }
  const WebSession& admin() const { return admin_; }

 private:
  registry::NewToken MakeToken(const std::string& login, const std::string& name, ScopeSet scopes,
                               std::vector<std::string> patterns = {}) {
    TokenSpec spec;
    spec.name = name;
    spec.scopes = scopes;
    spec.crate_patterns = std::move(patterns);
    Result<registry::NewToken> token = app_->tokens().Create(Actor::ForCli(), login, spec);
    REQUIRE_MESSAGE(token.ok(), token.status().message());
    return *token;
  }

  TempDir dir_;
  std::unique_ptr<App> app_;
  Metrics metrics_{0};
  HttpFetcher fetcher_{HttpFetcherOptions{}};
  std::unique_ptr<Mirror> mirror_;
  std::unique_ptr<Api> api_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::atomic<bool> stopped_{false};
  std::unique_ptr<httplib::Client> client_;
  Fixtures fixtures_;
  std::string crate_bytes_;
  std::string admin_full_, alice_full_, read_only_, other_crates_, expired_, revoked_, disabled_,
      unknown_;
  WebSession admin_;
};

// "" when `body` is exactly cargo's {"errors":[{"detail":"<non-empty string>"}]}; else why not.
std::string CargoErrorShapeProblem(const std::string& body, std::string* detail) {
  json j = json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.size() != 1 || !j.contains("errors")) {
    return "not {\"errors\":[...]}: " + body.substr(0, 200);
  }
  const json& errors = j["errors"];
  if (!errors.is_array() || errors.size() != 1 || !errors[0].is_object() || errors[0].size() != 1 ||
      !errors[0].contains("detail") || !errors[0]["detail"].is_string() ||
      errors[0]["detail"].get<std::string>().empty()) {
    return "not one {\"detail\":\"...\"}: " + body.substr(0, 200);
  }
  *detail = errors[0]["detail"].get<std::string>();
  return "";
}

void CheckCell(MatrixServer& server, const Row& row, Column col, bool* row_ok) {
  httplib::Headers headers = server.Credential(col, row.access);
  if (col == kCorrect && row.fresh_session) {
    headers = MatrixServer::SessionHeaders(server.SignIn("admin", kAdminPassword));
  }
  const int want = row.status[col];
  const size_t audit_before = server.AuditEvents();
  auto res = server.Send(row.method, row.path, headers, row.body, row.content_type);
  const std::string cell = row.method + " " + row.path + " [" + kColumnNames[col] +
                           "], expecting " + std::to_string(want);
  INFO(cell);
  REQUIRE_MESSAGE(res, "no reply: " << httplib::to_string(res.error()));
  const std::string& body = res->body;
  bool ok = true;
  auto check = [&ok](bool cond) {
    ok = ok && cond;
    return cond;
  };
  INFO("reply: " << res->status << " " << body.substr(0, 300));
  CHECK(check(res->status == want));
  for (const std::string& secret : server.Secrets()) {
    CHECK_MESSAGE(check(body.find(secret) == std::string::npos), "a secret is in the reply");
  }
  auto has = row.has.find(col);
  auto lacks = row.lacks.find(col);
  if (lacks != row.lacks.end()) CHECK(check(body.find(lacks->second) == std::string::npos));
  if (want >= 200 && want < 300) {
    std::string needle = has != row.has.end() ? has->second : row.ok;
    CHECK_MESSAGE(check(body.find(needle) != std::string::npos), "expected [" << needle << "]");
    if (row.pattern.find("download") != std::string::npos)
      CHECK(check(body == server.crate_bytes()));
  } else {
    std::string detail;
    std::string problem = CargoErrorShapeProblem(body, &detail);
    CHECK_MESSAGE(check(problem.empty()), problem);
    CHECK(check(res->get_header_value("Content-Type").rfind("application/json", 0) == 0));
    std::string needle = has != row.has.end() ? has->second : DefaultDetail(row, col);
    CHECK_MESSAGE(check(detail.find(needle) != std::string::npos),
                  "detail lacks [" << needle << "]");
    for (const std::string& data : server.RegistryData()) {
      CHECK_MESSAGE(check(body.find(data) == std::string::npos),
                    "registry data in a refusal: " << data);
    }
    if (res->status == 401) {
      CHECK(check(res->get_header_value("WWW-Authenticate").rfind("Cargo login_url=\"", 0) == 0));
    }
    CHECK_MESSAGE(check(server.AuditEvents() == audit_before), "a refused request changed state");
  }
  if (!ok) *row_ok = false;
}

TEST_CASE("every route of Api::Routes() has a row in the access matrix, and every row a route") {
  TempDir dir;
  auto app = App::Open(dir.path(), RegistryOptions{});
  REQUIRE(app.ok());
  App& a = **app;
  Api api(&a.registry(), {&a.users(), &a.tokens(), &a.sessions(), &a.audit()}, &SystemClock(),
          ApiOptions{});
  std::vector<Row> rows = MatrixRows(Fixtures{});
  for (const Api::RouteInfo& route : api.Routes()) {
    INFO(route.method << " " << route.pattern);
    const Row* found = nullptr;
    for (const Row& row : rows) {
      if (row.method == route.method && row.pattern == route.pattern) found = &row;
    }
    CHECK_MESSAGE(found != nullptr,
                  "add a row to MatrixRows() in src/http/access_matrix_test.cpp for this route");
    if (found) CHECK(AccessName(found->access) == AccessName(route.access));
  }
  for (const Row& row : rows) {
    INFO(row.method << " " << row.pattern);
    bool listed = false;
    for (const Api::RouteInfo& route : api.Routes()) {
      listed = listed || (row.method == route.method && row.pattern == route.pattern);
    }
    CHECK_MESSAGE(listed, "the matrix has a row for a route the API no longer has");
  }
  CHECK(rows.size() == api.Routes().size());
}

TEST_CASE("access matrix: every route against every kind of credential, over real HTTP") {
  MatrixServer server;
  server.Start();
  server.AddExpiredToken();
  std::vector<Row> rows = MatrixRows(server.fixtures());
  // Every route is in the table (the test above), so this covers the whole API.
  REQUIRE(rows.size() == server.api().Routes().size());
  int failed_rows = 0;
  for (const Row& row : rows) {
    bool row_ok = true;
    for (int col = 0; col < kColumns; ++col) {
      CheckCell(server, row, static_cast<Column>(col), &row_ok);
    }
    if (!row_ok) ++failed_rows;
    if (!row_ok) MESSAGE("row failed: " << row.method << " " << row.pattern);
  }
  CHECK(failed_rows == 0);

  // The mutating cells left the registry as it was: 1.0.0 not yanked, alice the only owner.
  auto index =
      server.Send("GET", "/index/ma/tr/matrix-crate", {{"Authorization", server.alice_full()}});
  REQUIRE(index);
  CHECK(index->body.find(R"("vers":"1.0.0")") != std::string::npos);
  CHECK(index->body.find(R"("vers":"1.0.1")") != std::string::npos);
  CHECK(index->body.find(R"("yanked":true)") == std::string::npos);
  auto owners = server.Send("GET", "/api/v1/crates/matrix-crate/owners",
                            {{"Authorization", server.alice_full()}});
  REQUIRE(owners);
  CHECK(owners->body.find("bob") == std::string::npos);
}

TEST_CASE("session-only routes refuse full-scope tokens, even an administrator's") {
  MatrixServer server;
  server.Start();
  int session_rows = 0;
  for (const Row& row : MatrixRows(server.fixtures())) {
    if (row.access != Access::kSession) continue;
    ++session_rows;
    for (const std::string* token : {&server.admin_full(), &server.alice_full()}) {
      const std::string who = token == &server.admin_full() ? "admin" : "alice";
      INFO(row.method << " " << row.path << " with " << who << "'s full token");
      const size_t audit_before = server.AuditEvents();
      auto res = server.Send(row.method, row.path, {{"Authorization", *token}}, row.body,
                             row.content_type);
      REQUIRE(res);
      CHECK(res->status == 403);
      std::string detail;
      CHECK(CargoErrorShapeProblem(res->body, &detail) == "");
      CHECK(detail.find("tokens cannot manage tokens, users or sessions") != std::string::npos);
      CHECK(server.AuditEvents() == audit_before);
    }
  }
  CHECK(session_rows >= 8);
}

TEST_CASE("a web session needs X-CSRF-Token on state-changing requests, not on GET") {
  MatrixServer server;
  server.Start();
  const WebSession& admin = server.admin();
  httplib::Headers no_csrf = MatrixServer::SessionHeaders(admin, /*with_csrf=*/false);
  httplib::Headers wrong_csrf = no_csrf;
  wrong_csrf.emplace("X-CSRF-Token", std::string(admin.csrf.size(), '0'));
  httplib::Headers with_csrf = MatrixServer::SessionHeaders(admin);
  const std::string new_token = R"({"name":"csrf test","scopes":["read"]})";

  SUBCASE("GET routes do not need it") {
    for (const char* path :
         {"/api/v1/tokens", "/api/v1/users", "/api/v1/audit", "/api/v1/session",
          "/index/config.json", "/index/ma/tr/matrix-crate", "/api/v1/crates?q=matrix",
          "/api/v1/crates/matrix-crate/1.0.0/download"}) {
      INFO(path);
      auto res = server.Send("GET", path, no_csrf);
      REQUIRE(res);
      CHECK(res->status == 200);
    }
  }

  SUBCASE("creating a token: refused without it or with a wrong one, accepted with it") {
    for (const httplib::Headers* h : {&no_csrf, &wrong_csrf}) {
      auto res = server.Send("POST", "/api/v1/tokens", *h, new_token, "application/json");
      REQUIRE(res);
      CHECK(res->status == 403);
      CHECK(res->body.find("X-CSRF-Token") != std::string::npos);
      CHECK(res->body.find("crg_") == std::string::npos);
    }
    auto listed = server.Send("GET", "/api/v1/tokens", no_csrf);
    REQUIRE(listed);
    CHECK(listed->body.find("csrf test") == std::string::npos);
    auto res = server.Send("POST", "/api/v1/tokens", with_csrf, new_token, "application/json");
    REQUIRE(res);
    CHECK(res->status == 200);
    CHECK(res->body.find(R"("secret":"crg_)") != std::string::npos);
  }

  SUBCASE("yanking through a session: refused without it, accepted with it") {
    const std::string yank = "/api/v1/crates/matrix-crate/1.0.0/yank";
    auto refused = server.Send("DELETE", yank, no_csrf);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    CHECK(refused->body.find("X-CSRF-Token") != std::string::npos);
    auto index = server.Send("GET", "/index/ma/tr/matrix-crate", no_csrf);
    REQUIRE(index);
    CHECK(index->body.find(R"("yanked":false)") != std::string::npos);
    auto yanked = server.Send("DELETE", yank, with_csrf);
    REQUIRE(yanked);
    CHECK(yanked->status == 200);
    index = server.Send("GET", "/index/ma/tr/matrix-crate", no_csrf);
    REQUIRE(index);
    CHECK(index->body.find(R"("yanked":true)") != std::string::npos);
  }

  SUBCASE("signing out: refused without it, accepted with it, and the session is over") {
    auto refused = server.Send("DELETE", "/api/v1/session", no_csrf);
    REQUIRE(refused);
    CHECK(refused->status == 403);
    auto still = server.Send("GET", "/api/v1/tokens", no_csrf);
    REQUIRE(still);
    CHECK(still->status == 200);
    auto out = server.Send("DELETE", "/api/v1/session", with_csrf);
    REQUIRE(out);
    CHECK(out->status == 200);
    auto after = server.Send("GET", "/api/v1/tokens", no_csrf);
    REQUIRE(after);
    CHECK(after->status == 403);
    auto info = server.Send("GET", "/api/v1/session", no_csrf);
    REQUIRE(info);
    CHECK(info->status == 200);
    CHECK(info->body.find(R"("user":null)") != std::string::npos);
  }
}

}  // namespace
}  // namespace registry
