// The registry's HTTP API: cargo's sparse index, downloads and web API; sign-in, tokens,
// users and the audit log for the web UI; and the web UI's files. Transport-neutral: it maps
// HttpRequest to HttpResponse.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/failure_limiter.h"
#include "auth/sessions.h"
#include "auth/sign_in_gate.h"
#include "auth/tokens.h"
#include "auth/users.h"
#include "base/clock.h"
#include "http/message.h"
#include "http/metrics.h"
#include "http/router.h"
#include "mirror/mirror.h"
#include "registry/registry.h"

namespace registry {

// Body limits of the routes other than publish, refused by Preflight from Content-Length and by
// the handlers again: a sign-in ({"login":...,"password":...}, read before any authentication)
// and the other JSON requests (tokens, users, owners), all small documents.
constexpr uint64_t kMaxSignInBody = 4096;
constexpr uint64_t kMaxSmallBody = 64 << 10;

struct ApiOptions {
  // Base URL clients reach this server at, e.g. "https://crates.example.com". Empty: derived
  // from each request's Host header.
  std::string public_url;
  uint64_t max_crate_size = 10ull << 20;
  uint64_t max_json_size = 1ull << 20;
  // Back-off for bad tokens (per client address) and failed sign-ins (per address and login).
  BackoffPolicy backoff;
  // The name cargo users give this registry in their config (`cargo add x --registry NAME`).
  std::string registry_name = "private";
  std::string version;
  // Mark the session cookie Secure (served over TLS, directly or behind a proxy).
  bool secure_cookies = false;
  // Served over TLS by this process: base URLs derived from the Host header use https://.
  bool tls = false;
  // Counts publishes and downloads, and is what GET /metrics shows; null: /metrics is 404.
  // Not owned; must outlive the Api.
  Metrics* metrics = nullptr;
  MetricsAccess metrics_access = MetricsAccess::kLoopback;
  // The crates.io view under /crates-io/; null: those routes answer 404. Not owned; must
  // outlive the Api.
  Mirror* mirror = nullptr;
  // Hosted docs: the largest upload (the request body) and what it may unpack to, and how
  // long the docs grant a browser gets lasts.
  uint64_t max_docs_size = 200ull << 20;
  DocsLimits docs_limits;
  int64_t docs_grant_seconds = 3600;
};

// The services the API authenticates and manages accounts with. Not owned.
struct AuthServices {
  Users* users = nullptr;
  Tokens* tokens = nullptr;
  Sessions* sessions = nullptr;
  AuditLog* audit = nullptr;
};

// How a route authenticates; the access-matrix test holds every route to its kind.
enum class Access {
  kPublic,      // no credential needed (health, sign-in, the web UI's files)
  kCredential,  // a token or a web session
  kSession,     // a web session only: tokens cannot manage tokens or users
  kMetrics,     // as ApiOptions::metrics_access says: loopback clients (the default), any
                // token or session, anyone, or nobody (404)
  kDocs,        // a token, a web session (redirected to a docs grant), or a docs grant
};

// Thread-safe; the registry, services and clock must outlive it.
class Api {
 public:
  Api(Registry* registry, AuthServices auth, const Clock* clock, ApiOptions options);
  ~Api();

  void Handle(const HttpRequest& req, HttpResponse* res) const;

  // Called with headers only, before the body is read: a reply when the request can be
  // refused already (a publish body over the size limit), so no large body is read in vain.
  std::optional<HttpResponse> Preflight(const HttpRequest& req, uint64_t content_length) const;

  // The base URL for `req`: public_url, or "http://" (with tls: "https://") + Host.
  std::string BaseUrl(const HttpRequest& req) const;

  struct RouteInfo {
    std::string method;
    std::string pattern;
    Access access;
  };
  // Every route, in the order they are matched.
  const std::vector<RouteInfo>& Routes() const { return routes_; }

 private:
  // The actor behind the request's token (Authorization header) or session cookie. Adds
  // Retry-After to `res` when refusing a client that is backing off.
  Result<Actor> Authenticate(const HttpRequest& req, HttpResponse* res) const;
  Result<Actor> AuthenticateSession(const HttpRequest& req, HttpResponse* res) const;
  void Add(const std::string& method, const std::string& pattern, Access access, Handler h);
  // The nonce of the request's known-device cookie when it is valid for `folded_login`
  // (lower-cased), else "".
  std::string KnownDevice(const HttpRequest& req, const std::string& folded_login) const;
  // Handle without the exception guard.
  void Dispatch(const HttpRequest& req, HttpResponse* res) const;

  // Cargo's routes (api.cpp).
  void Health(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void IndexConfig(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void IndexFileRoute(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Download(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Publish(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Yank(const HttpRequest& req, const Params& p, HttpResponse* res, bool yanked) const;
  void ListOwners(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ChangeOwners(const HttpRequest& req, const Params& p, HttpResponse* res, bool add) const;
  void Search(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void CrateInfo(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ReverseDependencies(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Site(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Me(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void StaticFile(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ServeMetrics(const HttpRequest& req, const Params& p, HttpResponse* res) const;

  // The crates.io view (mirror_api.cpp).
  void MirrorConfig(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void MirrorIndexFileRoute(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void MirrorDownload(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void MirrorReadOnly(const HttpRequest& req, const Params& p, HttpResponse* res) const;

  // The web UI's mirror routes (mirror_ui_api.cpp).
  // Search's cached crates.io crates (up to 20) whose names contain `query`.
  Result<nlohmann::json> MirrorCachedCratesJson(const Actor& actor, std::string_view query) const;
  void MirrorCachedCrate(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void MirrorState(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void MirrorAllow(const HttpRequest& req, const Params& p, HttpResponse* res, bool allow) const;

  // The web UI's account routes (account_api.cpp).
  void SignIn(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void SessionInfo(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void SignOut(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ListTokens(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void CreateToken(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void RevokeToken(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ListUsers(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void CreateUser(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void UpdateUser(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void AuditLog(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ListSessions(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void EndAllSessions(const HttpRequest& req, const Params& p, HttpResponse* res) const;

  // Hosted docs (docs_api.cpp).
  void UploadDocs(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void DeleteDocs(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Docs(const HttpRequest& req, const Params& p, HttpResponse* res) const;

  // The administrators' dashboard (stats_api.cpp).
  void Stats(const HttpRequest& req, const Params& p, HttpResponse* res) const;

  Registry* registry_;
  AuthServices auth_;
  const Clock* clock_;
  ApiOptions options_;
  Router router_;
  std::vector<RouteInfo> routes_;
  std::unique_ptr<FailureLimiter> token_failures_;  // keyed by client address
  std::unique_ptr<FailureLimiter> login_failures_;  // keyed by address and login
  std::unique_ptr<SignInGate> sign_in_gate_;        // password checks in progress
};

}  // namespace registry
