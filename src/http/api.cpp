// Route table and handlers of the HTTP API. Each handler reads like: Authenticate ->
// call the registry -> reply, with every error going through ReplyError.
#include "http/api.h"

#include <nlohmann/json.hpp>

#include "auth/token.h"
#include "http/error_reply.h"
#include "http/http_date.h"
#include "http/web_assets.h"
#include "index/sparse_path.h"
#include "publish/publish_body.h"

namespace registry {

using nlohmann::json;
using namespace std::placeholders;

static void ReplyJson(const json& j, HttpResponse* res) {
  res->status = 200;
  res->content_type = "application/json";
  res->body = j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Api::Api(Registry* registry, Accounts* accounts, ApiOptions options)
    : registry_(registry), accounts_(accounts), options_(std::move(options)) {
  auto bind = [this](auto method) {
    return [this, method](const HttpRequest& req, const Params& p, HttpResponse* res) {
      (this->*method)(req, p, res);
    };
  };
  router_.Add("GET", "/health", bind(&Api::Health))
      .Add("GET", "/index/config.json", bind(&Api::IndexConfig))
      .Add("GET", "/index/{*path}", bind(&Api::IndexFileRoute))
      .Add("PUT", "/api/v1/crates/new", bind(&Api::Publish))
      .Add("GET", "/api/v1/crates", bind(&Api::Search))
      .Add("GET", "/api/v1/crates/{name}/{version}/download", bind(&Api::Download))
      .Add("DELETE", "/api/v1/crates/{name}/{version}/yank",
           [this](const HttpRequest& q, const Params& p, HttpResponse* r) { Yank(q, p, r, true); })
      .Add("PUT", "/api/v1/crates/{name}/{version}/unyank",
           [this](const HttpRequest& q, const Params& p, HttpResponse* r) { Yank(q, p, r, false); })
      .Add("GET", "/api/v1/crates/{name}/owners", bind(&Api::ListOwners))
      .Add("PUT", "/api/v1/crates/{name}/owners",
           [this](const HttpRequest& q, const Params& p, HttpResponse* r) {
             ChangeOwners(q, p, r, true);
           })
      .Add("DELETE", "/api/v1/crates/{name}/owners",
           [this](const HttpRequest& q, const Params& p, HttpResponse* r) {
             ChangeOwners(q, p, r, false);
           })
      .Add("GET", "/me", bind(&Api::Me))
      .Add("GET", "/", bind(&Api::StaticFile))
      .Add("GET", "/{*path}", bind(&Api::StaticFile));
}

static bool IsIndexRoute(const std::string& path) {
  return path.rfind("/index/", 0) == 0 ||
         (path.rfind("/api/v1/crates/", 0) == 0 && path.size() > 9 &&
          path.compare(path.size() - 9, 9, "/download") == 0);
}

void Api::Handle(const HttpRequest& req, HttpResponse* res) const {
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
  if (req.method != "PUT" || req.path != "/api/v1/crates/new") return std::nullopt;
  Status size =
      CheckPublishBodySize(content_length, options_.max_json_size, options_.max_crate_size);
  if (size.ok()) return std::nullopt;
  HttpResponse res;
  Result<User> user = Authenticate(req);
  ReplyError(user.ok() ? size : user.status(), RouteKind::kApi, BaseUrl(req) + "/me", &res);
  return res;
}

std::string Api::BaseUrl(const HttpRequest& req) const {
  if (!options_.public_url.empty()) return options_.public_url;
  std::string_view host = req.Header("host");
  return "http://" + std::string(host.empty() ? "localhost" : host);
}

Result<User> Api::Authenticate(const HttpRequest& req) const {
  return accounts_->Authenticate(TokenFromAuthorizationHeader(req.Header("authorization")));
}

void Api::Health(const HttpRequest&, const Params&, HttpResponse* res) const {
  ReplyJson({{"status", "ok"}}, res);
}

void Api::IndexConfig(const HttpRequest& req, const Params&, HttpResponse* res) const {
  std::string base = BaseUrl(req);
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kIndex, base + "/me", res);
  ReplyJson({{"dl", base + "/api/v1/crates"}, {"api", base}, {"auth-required", true}}, res);
}

void Api::IndexFileRoute(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kIndex, BaseUrl(req) + "/me", res);
  Result<std::string> name = CrateNameFromIndexPath(p.at("path"));
  if (!name.ok()) return ReplyError(name.status(), RouteKind::kIndex, "", res);
  Result<IndexFile> file = registry_->ReadIndexFile(*name);
  if (!file.ok()) return ReplyError(file.status(), RouteKind::kIndex, "", res);

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
  res->body = std::move(file->body);
}

void Api::Download(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kIndex, BaseUrl(req) + "/me", res);
  Result<std::string> bytes = registry_->ReadCrate(p.at("name"), p.at("version"));
  if (!bytes.ok()) {
    if (bytes.status().code() != Code::kCorrupt) {
      return ReplyError(bytes.status(), RouteKind::kIndex, "", res);
    }
    // The details (file paths) go to the operator's log, not to the client.
    std::fprintf(stderr, "error: download of %s %s refused: %s\n", p.at("name").c_str(),
                 p.at("version").c_str(), bytes.status().message().c_str());
    return ReplyError(Status::Corrupt("the stored file for crate `" + p.at("name") + "` version `" +
                                      p.at("version") +
                                      "` is corrupt or missing and is not served; the server "
                                      "log has the details"),
                      RouteKind::kIndex, "", res);
  }
  res->status = 200;
  res->content_type = "application/octet-stream";
  res->body = std::move(*bytes);
}

void Api::Publish(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<Published> published = registry_->Publish(*user, req.body);
  if (!published.ok()) return ReplyError(published.status(), RouteKind::kApi, "", res);
  ReplyJson({{"warnings",
              {{"invalid_categories", json::array()},
               {"invalid_badges", json::array()},
               {"other", json::array()}}}},
            res);
}

void Api::Yank(const HttpRequest& req, const Params& p, HttpResponse* res, bool yanked) const {
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Status st = registry_->SetYanked(*user, p.at("name"), p.at("version"), yanked);
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  ReplyJson({{"ok", true}}, res);
}

void Api::ListOwners(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<std::vector<Owner>> owners = registry_->ListOwners(p.at("name"));
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
  json j = json::parse(body, nullptr, false);
  const char* shape = "invalid owners request: expected {\"users\":[\"login\", ...]}";
  if (j.is_discarded() || !j.is_object() || !j.contains("users") || !j["users"].is_array()) {
    return Status::Invalid(shape);
  }
  std::vector<std::string> logins;
  for (const json& u : j["users"]) {
    if (!u.is_string()) return Status::Invalid(shape);
    logins.push_back(u.get<std::string>());
  }
  return logins;
}

void Api::ChangeOwners(const HttpRequest& req, const Params& p, HttpResponse* res, bool add) const {
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<std::vector<std::string>> logins = ParseOwnerLogins(req.body);
  if (!logins.ok()) return ReplyError(logins.status(), RouteKind::kApi, "", res);
  Result<std::string> msg = add ? registry_->AddOwners(*user, p.at("name"), *logins)
                                : registry_->RemoveOwners(*user, p.at("name"), *logins);
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
  Result<User> user = Authenticate(req);
  if (!user.ok()) return ReplyError(user.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  Result<SearchPage> page = registry_->Search(req.Query("q"), ParseIntOr(req.Query("per_page"), 10),
                                              ParseIntOr(req.Query("page"), 1));
  if (!page.ok()) return ReplyError(page.status(), RouteKind::kApi, "", res);
  json crates = json::array();
  for (const SearchHit& hit : page->crates) {
    crates.push_back(
        {{"name", hit.name}, {"max_version", hit.max_version}, {"description", hit.description}});
  }
  ReplyJson({{"crates", crates}, {"meta", {{"total", page->total}}}}, res);
}

void Api::Me(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Params p{{"path", "index.html"}};
  StaticFile(req, p, res);
}

void Api::StaticFile(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  auto it = p.find("path");
  std::string path = "/" + (it == p.end() ? std::string("index.html") : it->second);
  for (const WebAsset& asset : WebAssets()) {
    if (asset.path == path) {
      res->status = 200;
      res->content_type = std::string(asset.content_type);
      res->body = std::string(asset.body);
      return;
    }
  }
  ReplyError(Status::NotFound("no such page: " + req.path), RouteKind::kApi, "", res);
}

}  // namespace registry
