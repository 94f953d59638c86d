// The registry's HTTP API: cargo's sparse index, downloads and web API, plus the web UI's
// files. Transport-neutral: it maps HttpRequest to HttpResponse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "auth/accounts.h"
#include "http/message.h"
#include "http/router.h"
#include "registry/registry.h"

namespace registry {

struct ApiOptions {
  // Base URL clients reach this server at, e.g. "https://crates.example.com". Empty: derived
  // from each request's Host header.
  std::string public_url;
  uint64_t max_crate_size = 10ull << 20;
  uint64_t max_json_size = 1ull << 20;
};

// Thread-safe; `registry` and `accounts` must outlive it.
class Api {
 public:
  Api(Registry* registry, Accounts* accounts, ApiOptions options);

  void Handle(const HttpRequest& req, HttpResponse* res) const;

  // Called with headers only, before the body is read: a reply when the request can be
  // refused already (a publish body over the size limit), so no large body is read in vain.
  std::optional<HttpResponse> Preflight(const HttpRequest& req, uint64_t content_length) const;

  // The base URL for `req`: public_url, or "http://" + Host.
  std::string BaseUrl(const HttpRequest& req) const;

 private:
  Result<User> Authenticate(const HttpRequest& req) const;

  void Health(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void IndexConfig(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void IndexFileRoute(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Download(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Publish(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Yank(const HttpRequest& req, const Params& p, HttpResponse* res, bool yanked) const;
  void ListOwners(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void ChangeOwners(const HttpRequest& req, const Params& p, HttpResponse* res, bool add) const;
  void Search(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void Me(const HttpRequest& req, const Params& p, HttpResponse* res) const;
  void StaticFile(const HttpRequest& req, const Params& p, HttpResponse* res) const;

  Registry* registry_;
  Accounts* accounts_;
  ApiOptions options_;
  Router router_;
};

}  // namespace registry
