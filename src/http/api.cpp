// Route table and handlers of the HTTP API. Each handler reads like: Authenticate ->
// call the registry -> reply, with every error going through ReplyError.
#include "http/api.h"

#include <cstdio>
#include <exception>

#include <nlohmann/json.hpp>

#include "auth/password.h"
#include "auth/token.h"
#include "base/crypto.h"
#include "base/display_text.h"
#include "base/untrusted_json.h"
#include "http/error_reply.h"
#include "http/http_date.h"
#include "http/json_reply.h"
#include "http/loopback.h"
#include "http/web_assets.h"
#include "index/index_line.h"
#include "index/sparse_path.h"
#include "publish/publish_body.h"
#include "storage/gzip_codec.h"

namespace registry {

using nlohmann::json;
using namespace std::placeholders;

Api::Api(Registry* registry, AuthServices auth, const Clock* clock, ApiOptions options)
    : registry_(registry),
      auth_(auth),
      clock_(clock),
      options_(std::move(options)),
      token_failures_(new FailureLimiter(clock, options_.backoff)),
      login_failures_(new FailureLimiter(clock, options_.backoff)),
      sign_in_gate_(new SignInGate()) {
  auto bind = [this](auto method) {
    return [this, method](const HttpRequest& req, const Params& p, HttpResponse* res) {
      (this->*method)(req, p, res);
    };
  };
  auto yank = [this](bool yanked) {
    return [this, yanked](const HttpRequest& q, const Params& p, HttpResponse* r) {
      Yank(q, p, r, yanked);
    };
  };
  auto owners = [this](bool add) {
    return [this, add](const HttpRequest& q, const Params& p, HttpResponse* r) {
      ChangeOwners(q, p, r, add);
    };
  };
  auto allow = [this](bool allowed) {
    return [this, allowed](const HttpRequest& q, const Params& p, HttpResponse* r) {
      MirrorAllow(q, p, r, allowed);
    };
  };
  using A = Access;
  // Cargo's protocol.
  Add("GET", "/health", A::kPublic, bind(&Api::Health));
  Add("GET", "/index/config.json", A::kCredential, bind(&Api::IndexConfig));
  Add("GET", "/index/{*path}", A::kCredential, bind(&Api::IndexFileRoute));
  Add("PUT", "/api/v1/crates/new", A::kCredential, bind(&Api::Publish));
  Add("GET", "/api/v1/crates", A::kCredential, bind(&Api::Search));
  Add("GET", "/api/v1/crates/{name}", A::kCredential, bind(&Api::CrateInfo));
  Add("GET", "/api/v1/crates/{name}/{version}/download", A::kCredential, bind(&Api::Download));
  Add("DELETE", "/api/v1/crates/{name}/{version}/yank", A::kCredential, yank(true));
  Add("PUT", "/api/v1/crates/{name}/{version}/unyank", A::kCredential, yank(false));
  Add("GET", "/api/v1/crates/{name}/owners", A::kCredential, bind(&Api::ListOwners));
  Add("PUT", "/api/v1/crates/{name}/owners", A::kCredential, owners(true));
  Add("DELETE", "/api/v1/crates/{name}/owners", A::kCredential, owners(false));
  Add("GET", "/api/v1/crates/{name}/reverse_dependencies", A::kCredential,
      bind(&Api::ReverseDependencies));
  // Hosted docs: uploaded by CI, served sandboxed (docs_api.cpp).
  Add("PUT", "/api/v1/crates/{name}/{version}/docs", A::kCredential, bind(&Api::UploadDocs));
  Add("DELETE", "/api/v1/crates/{name}/{version}/docs", A::kCredential, bind(&Api::DeleteDocs));
  Add("GET", "/docs/{*path}", A::kDocs, bind(&Api::Docs));
  // The crates.io view: its own index root and downloads; writes are refused.
  Add("GET", "/crates-io/index/config.json", A::kCredential, bind(&Api::MirrorConfig));
  Add("GET", "/crates-io/index/{*path}", A::kCredential, bind(&Api::MirrorIndexFileRoute));
  Add("GET", "/crates-io/api/v1/crates/{name}/{version}/download", A::kCredential,
      bind(&Api::MirrorDownload));
  Add("PUT", "/crates-io/{*path}", A::kPublic, bind(&Api::MirrorReadOnly));
  Add("DELETE", "/crates-io/{*path}", A::kPublic, bind(&Api::MirrorReadOnly));
  // The web UI: what it needs before sign-in, then account management.
  Add("GET", "/api/v1/site", A::kPublic, bind(&Api::Site));
  Add("POST", "/api/v1/session", A::kPublic, bind(&Api::SignIn));
  Add("GET", "/api/v1/session", A::kPublic, bind(&Api::SessionInfo));
  Add("DELETE", "/api/v1/session", A::kSession, bind(&Api::SignOut));
  Add("GET", "/api/v1/tokens", A::kSession, bind(&Api::ListTokens));
  Add("POST", "/api/v1/tokens", A::kSession, bind(&Api::CreateToken));
  Add("DELETE", "/api/v1/tokens/{id}", A::kSession, bind(&Api::RevokeToken));
  Add("GET", "/api/v1/users", A::kSession, bind(&Api::ListUsers));
  Add("POST", "/api/v1/users", A::kSession, bind(&Api::CreateUser));
  Add("PATCH", "/api/v1/users/{login}", A::kSession, bind(&Api::UpdateUser));
  Add("GET", "/api/v1/audit", A::kSession, bind(&Api::AuditLog));
  Add("GET", "/api/v1/sessions", A::kSession, bind(&Api::ListSessions));
  Add("DELETE", "/api/v1/sessions", A::kSession, bind(&Api::EndAllSessions));
  Add("GET", "/api/v1/stats", A::kSession, bind(&Api::Stats));
  // The web UI's view of the crates.io mirror: cached crates, and the administrators' page.
  Add("GET", "/api/v1/mirror/crates/{name}", A::kCredential, bind(&Api::MirrorCachedCrate));
  Add("GET", "/api/v1/mirror", A::kSession, bind(&Api::MirrorState));
  Add("PUT", "/api/v1/mirror/allowed/{name}", A::kSession, allow(true));
  Add("DELETE", "/api/v1/mirror/allowed/{name}", A::kSession, allow(false));
  // Operations: Prometheus metrics, for whom --metrics allows.
  Add("GET", "/metrics", A::kMetrics, bind(&Api::ServeMetrics));
  // The web UI's files; they hold no registry data.
  Add("GET", "/me", A::kPublic, bind(&Api::Me));
  Add("GET", "/", A::kPublic, bind(&Api::StaticFile));
  Add("GET", "/{*path}", A::kPublic, bind(&Api::StaticFile));
}

Api::~Api() = default;

void Api::Add(const std::string& method, const std::string& pattern, Access access, Handler h) {
  router_.Add(method, pattern, std::move(h));
  routes_.push_back(RouteInfo{method, pattern, access});
}

static bool IsIndexRoute(const std::string& path) {
  return path.rfind("/index/", 0) == 0 ||
         (path.rfind("/api/v1/crates/", 0) == 0 && path.size() > 9 &&
          path.compare(path.size() - 9, 9, "/download") == 0);
}

void Api::Handle(const HttpRequest& req, HttpResponse* res) const {
  // The module edge: handlers return errors as values, but a library call that throws must
  // still end as a plain 500 whose text says nothing of the library (the transport would put
  // e.what() into a header).
  try {
    Dispatch(req, res);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s %s failed: %s\n", EscapeForDisplay(req.method).c_str(),
                 EscapeForDisplay(req.path).c_str(), EscapeForDisplay(e.what()).c_str());
    std::string route = res->route;
    std::string user = res->user;
    *res = HttpResponse();
    res->route = std::move(route);
    res->user = std::move(user);
    ReplyError(Status::Internal("internal error; the server log has the details"),
               IsIndexRoute(req.path) ? RouteKind::kIndex : RouteKind::kApi, "", res);
  }
}

void Api::Dispatch(const HttpRequest& req, HttpResponse* res) const {
  std::string allowed;
  if (router_.Dispatch(req, res, &allowed)) return;
  RouteKind kind = IsIndexRoute(req.path) ? RouteKind::kIndex : RouteKind::kApi;
  if (!allowed.empty()) {
    res->status = 405;
    res->SetHeader("Allow", allowed);
    res->content_type = "application/json";
    res->body = ErrorBody("method " + req.method + " is not allowed on " + req.path);
    return;
  }
  ReplyError(Status::NotFound("no such route: " + req.method + " " + req.path), kind,
             BaseUrl(req) + "/me", res);
}

std::optional<HttpResponse> Api::Preflight(const HttpRequest& req, uint64_t content_length) const {
  bool publish = req.method == "PUT" && req.path == "/api/v1/crates/new";
  bool docs = req.method == "PUT" && req.path.rfind("/api/v1/crates/", 0) == 0 &&
              req.path.size() > 5 && req.path.compare(req.path.size() - 5, 5, "/docs") == 0;
  if (docs) {
    if (content_length <= kMaxSmallBody) return std::nullopt;
    // A large body is read only for a caller with a valid credential, as for publish.
    HttpResponse res;
    res.route = "/api/v1/crates/{name}/{version}/docs";
    if (content_length > options_.max_docs_size) {
      ReplyError(Status::TooLarge("docs archive too large: " + std::to_string(content_length) +
                                  " bytes, at most " + std::to_string(options_.max_docs_size) +
                                  " (the server's --max-docs-size)"),
                 RouteKind::kApi, "", &res);
      return res;
    }
    Result<Actor> actor = Authenticate(req, &res);
    if (actor.ok()) return std::nullopt;
    ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", &res);
    return res;
  }
  if (!publish) {
    bool sign_in = req.method == "POST" && req.path == "/api/v1/session";
    uint64_t limit = sign_in ? kMaxSignInBody : kMaxSmallBody;
    if (content_length <= limit) return std::nullopt;
    HttpResponse res;
    ReplyError(Status::TooLarge("request body too large: at most " + std::to_string(limit) +
                                " bytes on " + req.method + " " + req.path),
               RouteKind::kApi, "", &res);
    return res;
  }
  Status size =
      CheckPublishBodySize(content_length, options_.max_json_size, options_.max_crate_size);
  // Past the server's limit only a crate with a bigger limit of its own may go (looked up
  // only then: this runs on the event loop).
  if (!size.ok()) {
    Result<uint64_t> largest = registry_->LargestCrateSize();
    if (largest.ok() && *largest > options_.max_crate_size) {
      size = CheckPublishBodySize(content_length, options_.max_json_size, *largest);
    }
  }
  // Up to 11 MiB are read for a publish: only for a caller with a valid credential, so no
  // stranger can make the server take in large bodies (small ones are refused by Handle).
  if (size.ok() && content_length <= kMaxSmallBody) return std::nullopt;
  HttpResponse res;
  res.route = "/api/v1/crates/new";
  Result<Actor> actor = Authenticate(req, &res);
  if (actor.ok() && size.ok()) return std::nullopt;
  ReplyError(actor.ok() ? size : actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", &res);
  return res;
}

// A Host header fit to build URLs from: a name or address and an optional port. Anything else
// (quotes, spaces, slashes, `@`) would end up in headers and JSON replies as the client sent it.
static bool IsPlainHost(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

std::string Api::BaseUrl(const HttpRequest& req) const {
  if (!options_.public_url.empty()) return options_.public_url;
  std::string_view host = req.Header("host");
  if (!IsPlainHost(host)) host = "";
  return (options_.tls ? "https://" : "http://") + std::string(host.empty() ? "localhost" : host);
}

Result<Actor> Api::Authenticate(const HttpRequest& req, HttpResponse* res) const {
  std::string_view header = req.Header("authorization");
  if (header.empty() && !req.Cookie(kSessionCookie).empty()) {
    return AuthenticateSession(req, res);
  }
  std::string_view secret = TokenFromAuthorizationHeader(header);
  Result<Actor> actor = auth_.tokens->Authenticate(secret, req.remote_addr);
  if (actor.ok()) res->user = actor->user.login;
  if (actor.ok() || secret.empty() || actor.status().code() != Code::kUnauthorized) return actor;
  // A bad token counts against the client's address. A valid one never waits: its owner may
  // share the address with a misconfigured machine, and guessing 256-bit secrets is hopeless.
  int64_t wait = token_failures_->RetryAfter(req.remote_addr);
  token_failures_->RecordFailure(req.remote_addr);
  if (wait > 0) return RetryLater(wait, "requests with bad tokens", res);
  return actor;
}

Result<Actor> Api::AuthenticateSession(const HttpRequest& req, HttpResponse* res) const {
  if (!req.Header("authorization").empty()) {
    return Status::Forbidden(
        "tokens cannot manage tokens, users or sessions; sign in to the web UI, or use the "
        "`registry` command on the server");
  }
  std::string_view secret = req.Cookie(kSessionCookie);
  if (secret.empty()) return Status::Unauthorized("sign in to the web UI first");
  Result<Actor> actor = auth_.sessions->Authenticate(secret, req.remote_addr);
  if (!actor.ok()) return actor;
  res->user = actor->user.login;
  // Browsers attach the cookie to any request to this site; only pages of the site itself
  // can read the CSRF token and echo it.
  if (req.method != "GET" && req.method != "HEAD") {
    std::string_view sent = req.Header("x-csrf-token");
    if (sent.empty() || !SecureEquals(sent, auth_.sessions->CsrfToken(secret))) {
      return Status::Forbidden(
          "missing or wrong X-CSRF-Token header (requests signed in with a web session must "
          "echo the session's CSRF token); reload the page and try again");
    }
  }
  return actor;
}

void Api::Health(const HttpRequest&, const Params&, HttpResponse* res) const {
  ReplyJson({{"status", "ok"}}, res);
}

void Api::IndexConfig(const HttpRequest& req, const Params&, HttpResponse* res) const {
  std::string base = BaseUrl(req);
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kIndex, base + "/me", res);
  ReplyJson({{"dl", base + "/api/v1/crates"}, {"api", base}, {"auth-required", true}}, res);
}

void Api::IndexFileRoute(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kIndex, BaseUrl(req) + "/me", res);
  Result<std::string> name = CrateNameFromIndexPath(p.at("path"));
  if (!name.ok()) return ReplyError(name.status(), RouteKind::kIndex, "", res);
  Result<IndexFileRef> found = registry_->ReadIndexFile(*actor, *name);
  if (!found.ok()) return ReplyError(found.status(), RouteKind::kIndex, "", res);
  const IndexFile* file = found->get();

  res->SetHeader("ETag", file->etag);
  res->SetHeader("Last-Modified", FormatHttpDate(file->last_modified));
  std::string_view inm = req.Header("if-none-match");
  bool fresh = false;
  if (!inm.empty()) {
    fresh = inm.find(file->etag) != std::string_view::npos || inm == "*";
  } else if (auto since = ParseHttpDate(req.Header("if-modified-since"))) {
    fresh = file->last_modified <= *since;
  }
  if (fresh) {
    res->status = 304;
    res->content_type.clear();
    return;
  }
  res->status = 200;
  res->content_type = "text/plain; charset=utf-8";
  res->SetHeader("Vary", "Accept-Encoding");
  if (AcceptsGzip(req.Header("accept-encoding"))) {
    res->SetHeader("Content-Encoding", "gzip");
    res->body = file->gzip;
  } else {
    res->body = file->body;
  }
}

void Api::Download(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kIndex, BaseUrl(req) + "/me", res);
  Result<StoredCrateFile> bytes = registry_->OpenCrate(*actor, p.at("name"), p.at("version"));
  if (!bytes.ok()) {
    if (bytes.status().code() != Code::kCorrupt) {
      return ReplyError(bytes.status(), RouteKind::kIndex, "", res);
    }
    // The details (file paths) go to the operator's log, not to the client.
    std::fprintf(stderr, "error: download of %s %s refused: %s\n",
                 EscapeForDisplay(p.at("name")).c_str(), EscapeForDisplay(p.at("version")).c_str(),
                 EscapeForDisplay(bytes.status().message()).c_str());
    return ReplyError(Status::Corrupt("the stored file for crate `" + p.at("name") + "` version `" +
                                      p.at("version") +
                                      "` is corrupt or missing and is not served; the server "
                                      "log has the details"),
                      RouteKind::kIndex, "", res);
  }
  if (options_.metrics) options_.metrics->RecordDownload();
  res->status = 200;
  res->content_type = "application/octet-stream";
  res->file_path = std::move(bytes->path);
  res->file_size = bytes->size;
}

void Api::Publish(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<Published> published = registry_->Publish(*actor, req.body);
  if (!published.ok()) return ReplyError(published.status(), RouteKind::kApi, "", res);
  if (options_.metrics) options_.metrics->RecordPublish();
  json other = json::array();
  if (options_.mirror) {
    std::string warning = options_.mirror->PublishWarning(published->name);
    if (!warning.empty()) other.push_back(warning);
  }
  ReplyJson({{"warnings",
              {{"invalid_categories", json::array()},
               {"invalid_badges", json::array()},
               {"other", other}}}},
            res);
}

void Api::Yank(const HttpRequest& req, const Params& p, HttpResponse* res, bool yanked) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Status st = registry_->SetYanked(*actor, p.at("name"), p.at("version"), yanked);
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  ReplyJson({{"ok", true}}, res);
}

void Api::ListOwners(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<std::vector<Owner>> owners = registry_->ListOwners(*actor, p.at("name"));
  if (!owners.ok()) return ReplyError(owners.status(), RouteKind::kApi, "", res);
  json users = json::array();
  for (const Owner& o : *owners) {
    users.push_back(
        {{"id", o.id}, {"login", o.login}, {"name", o.name.empty() ? o.login : o.name}});
  }
  ReplyJson({{"users", users}}, res);
}

// {"users":["login", ...]} -> the logins; Invalid for anything else.
static Result<std::vector<std::string>> ParseOwnerLogins(const std::string& body) {
  const char* shape = "invalid owners request: expected {\"users\":[\"login\", ...]}";
  if (body.size() > kMaxSmallBody) return Status::TooLarge("owners request too large");
  Result<json> j = ParseUntrustedJson(body);
  if (!j.ok() && j.status().code() != Code::kInvalid) return j.status();
  if (!j.ok() || !j->is_object() || !j->contains("users") || !(*j)["users"].is_array()) {
    return Status::Invalid(shape);
  }
  std::vector<std::string> logins;
  for (const json& u : (*j)["users"]) {
    if (!u.is_string()) return Status::Invalid(shape);
    logins.push_back(u.get<std::string>());
  }
  return logins;
}

void Api::ChangeOwners(const HttpRequest& req, const Params& p, HttpResponse* res, bool add) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<std::vector<std::string>> logins = ParseOwnerLogins(req.body);
  if (!logins.ok()) return ReplyError(logins.status(), RouteKind::kApi, "", res);
  Result<std::string> msg = add ? registry_->AddOwners(*actor, p.at("name"), *logins)
                                : registry_->RemoveOwners(*actor, p.at("name"), *logins);
  if (!msg.ok()) return ReplyError(msg.status(), RouteKind::kApi, "", res);
  ReplyJson({{"ok", true}, {"msg", *msg}}, res);
}

// A non-negative decimal, saturating at 1e9; `fallback` when absent or not a number.
static int ParseIntOr(std::string_view text, int fallback) {
  if (text.empty()) return fallback;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return fallback;
    value = value >= 100000000 ? 1000000000 : value * 10 + (c - '0');
  }
  return value;
}

void Api::Search(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<SearchSort> sort = ParseSearchSort(req.Query("sort"));
  if (!sort.ok()) return ReplyError(sort.status(), RouteKind::kApi, "", res);
  Result<SearchPage> page =
      registry_->Search(*actor, req.Query("q"), ParseIntOr(req.Query("per_page"), 10),
                        ParseIntOr(req.Query("page"), 1), *sort);
  if (!page.ok()) return ReplyError(page.status(), RouteKind::kApi, "", res);
  json crates = json::array();
  for (const SearchHit& hit : page->crates) {
    crates.push_back({{"name", hit.name},
                      {"max_version", hit.max_version},
                      {"description", hit.description},
                      {"updated_at", FormatPubtime(hit.updated_at)},
                      {"downloads", hit.downloads}});
  }
  json out = {{"crates", crates}, {"meta", {{"total", page->total}}}};
  // For the web UI, on the first page: the crates.io crates the mirror has cached, when any
  // match (cargo ignores the field).
  if (options_.mirror && ParseIntOr(req.Query("page"), 1) <= 1) {
    Result<json> cached = MirrorCachedCratesJson(*actor, req.Query("q"));
    if (!cached.ok()) return ReplyError(cached.status(), RouteKind::kApi, "", res);
    if (!cached->empty()) out["cached_crates_io"] = std::move(*cached);
  }
  ReplyJson(out, res);
}

static json OptionalJson(const std::optional<std::string>& s) {
  return s ? json(*s) : json(nullptr);
}

static std::string DayString(int64_t day) { return FormatPubtime(day * 86400).substr(0, 10); }

void Api::CrateInfo(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<CrateDetails> d = registry_->Details(*actor, p.at("name"), req.Query("version"));
  if (!d.ok()) return ReplyError(d.status(), RouteKind::kApi, "", res);
  json owners = json::array();
  for (const Owner& o : d->owners) owners.push_back({{"login", o.login}, {"name", o.name}});
  json versions = json::array();
  for (const VersionDetails& v : d->versions) {
    json deps = json::array();
    for (const DependencyDetails& dep : v.deps) {
      deps.push_back({{"name", dep.name},
                      {"req", dep.req},
                      {"kind", dep.kind},
                      {"optional", dep.optional},
                      {"default_features", dep.default_features},
                      {"features", dep.features},
                      {"target", OptionalJson(dep.target)},
                      {"package", OptionalJson(dep.alias)},
                      {"registry", OptionalJson(dep.registry)}});
    }
    json bins = v.bin_names ? json(*v.bin_names) : json(nullptr);
    versions.push_back({{"num", v.num},
                        {"yanked", v.yanked},
                        {"published_at", FormatPubtime(v.published_at)},
                        {"published_by", v.published_by},
                        {"downloads", v.downloads},
                        {"size", v.size},
                        {"license", OptionalJson(v.license)},
                        {"rust_version", OptionalJson(v.rust_version)},
                        {"features", v.features},
                        {"deps", deps},
                        {"bin_names", bins},
                        {"has_lib", v.has_lib ? json(*v.has_lib) : json(nullptr)},
                        // Hosted docs: the address of this version's docs, or null.
                        {"docs_url", v.docs_page.empty() ? json(nullptr)
                                                         : json("/docs/" + d->name + "/" + v.num +
                                                                "/")}});
  }
  json days = json::array();
  for (const DayCount& c : d->downloads_by_day) {
    days.push_back({{"date", DayString(c.day)}, {"downloads", c.downloads}});
  }
  ReplyJson({{"crate",
              {{"name", d->name},
               {"description", OptionalJson(d->description)},
               {"max_version", d->max_version},
               {"version", d->version},
               {"license", OptionalJson(d->license)},
               {"repository", OptionalJson(d->repository)},
               {"homepage", OptionalJson(d->homepage)},
               {"documentation", OptionalJson(d->documentation)},
               {"keywords", d->keywords},
               {"categories", d->categories},
               {"created_at", FormatPubtime(d->created_at)},
               {"updated_at", FormatPubtime(d->updated_at)},
               {"downloads", d->downloads},
               {"owners", owners},
               {"readme_html", OptionalJson(d->readme_html)}}},
             {"versions", versions},
             {"downloads_by_day", days}},
            res);
}

void Api::ReverseDependencies(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<DependentsPage> page =
      registry_->Dependents(*actor, p.at("name"), ParseIntOr(req.Query("per_page"), 10),
                            ParseIntOr(req.Query("page"), 1));
  if (!page.ok()) return ReplyError(page.status(), RouteKind::kApi, "", res);
  json dependents = json::array();
  for (const Dependent& d : page->dependents) {
    json uses = json::array();
    for (const DependencyUse& u : d.uses) {
      uses.push_back({{"req", u.req}, {"kind", u.kind}, {"optional", u.optional}});
    }
    dependents.push_back({{"name", d.name},
                          {"version", d.version},
                          {"description", d.description},
                          {"downloads", d.downloads},
                          {"uses", uses}});
  }
  ReplyJson({{"dependents", dependents}, {"meta", {{"total", page->total}}}}, res);
}

void Api::Site(const HttpRequest& req, const Params&, HttpResponse* res) const {
  std::string base = BaseUrl(req);
  json site = {
      {"registry_name", options_.registry_name},
      {"index_url", "sparse+" + base + "/index/"},
      {"api_url", base},
      {"version", options_.version},
      // The password rule every password form states and checks, as the server does.
      {"password_rule", {{"min_bytes", kMinPasswordBytes}, {"max_bytes", kMaxPasswordBytes}}}};
  if (options_.mirror) site["mirror_index_url"] = "sparse+" + base + "/crates-io/index/";
  ReplyJson(site, res);
}

void Api::Me(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Params p{{"path", "index.html"}};
  StaticFile(req, p, res);
}

// index.html's meta policy plus what only a header can say.
static constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

void Api::StaticFile(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  auto it = p.find("path");
  std::string path = "/" + (it == p.end() ? std::string("index.html") : it->second);
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path == path) {
      res->status = 200;
      res->content_type = std::string(asset.content_type);
      // As headers, not only index.html's meta tag: a meta CSP cannot set frame-ancestors, and
      // no other site may frame the UI (clickjacking the token and user forms).
      res->SetHeader("Content-Security-Policy", kContentSecurityPolicy);
      res->SetHeader("X-Frame-Options", "DENY");
      res->SetHeader("X-Content-Type-Options", "nosniff");
      res->SetHeader("Vary", "Accept-Encoding");
      if (!asset.gzip.empty() && AcceptsGzip(req.Header("accept-encoding"))) {
        res->SetHeader("Content-Encoding", "gzip");
        res->body = std::string(asset.gzip);
      } else if (asset.body.size() == asset.size) {
        res->body = std::string(asset.body);
      } else {
        Result<std::string> inflated = GzipDecompress(asset.gzip, asset.size);
        if (!inflated.ok()) return ReplyError(inflated.status(), RouteKind::kApi, "", res);
        res->body = std::move(*inflated);
      }
      return;
    }
  }
  ReplyError(Status::NotFound("no such page: " + req.path), RouteKind::kApi, "", res);
}

void Api::ServeMetrics(const HttpRequest& req, const Params&, HttpResponse* res) const {
  MetricsAccess access = options_.metrics ? options_.metrics_access : MetricsAccess::kOff;
  if (access == MetricsAccess::kOff) {
    return ReplyError(Status::NotFound("no such route: GET /metrics (metrics are off)"),
                      RouteKind::kApi, "", res);
  }
  if (access == MetricsAccess::kLoopback && !IsLoopbackAddress(req.remote_addr)) {
    return ReplyError(Status::Forbidden("metrics are served to clients on this machine only "
                                        "(the server runs with --metrics loopback)"),
                      RouteKind::kApi, "", res);
  }
  if (access == MetricsAccess::kToken) {
    // Any valid credential: the metrics name routes, never crates or users.
    Result<Actor> actor = Authenticate(req, res);
    if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  }
  res->status = 200;
  res->content_type = Metrics::kContentType;
  res->body = options_.metrics->Render();
}

}  // namespace registry
