// The web UI's routes for the crates.io mirror: cached crates for search (a field of the
// search reply) and crate pages, and
// the administrators' Mirror page (state, allowed names), each Authenticate -> Mirror -> reply.
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "http/api.h"
#include "http/error_reply.h"
#include "http/json_reply.h"
#include "index/index_line.h"
#include "mirror/mirror_stats.h"

namespace registry {

using nlohmann::json;

static json CachedCrateJson(const CachedCrate& c) {
  json j = {{"name", c.name},
            {"max_version", c.max_version},
            {"versions_cached", c.versions_cached},
            {"bytes", c.bytes},
            {"source", "crates.io"}};
  if (!c.versions.empty()) {
    json versions = json::array();
    for (const CachedVersion& v : c.versions) {
      versions.push_back(
          {{"num", v.num}, {"yanked", v.yanked}, {"cached", v.cached}, {"size", v.size}});
    }
    j["versions"] = std::move(versions);
  }
  return j;
}

Result<json> Api::MirrorCachedCratesJson(const Actor& actor, std::string_view query) const {
  Result<std::vector<CachedCrate>> found = options_.mirror->SearchCached(actor, query, 20);
  if (!found.ok()) return found.status();
  json crates = json::array();
  for (const CachedCrate& c : *found) crates.push_back(CachedCrateJson(c));
  return crates;
}

void Api::MirrorCachedCrate(const HttpRequest& req, const Params& p, HttpResponse* res) const {
  Result<Actor> actor = Authenticate(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, BaseUrl(req) + "/me", res);
  if (!options_.mirror) {
    return ReplyError(Status::NotFound("the crates.io mirror is not enabled on this server"),
                      RouteKind::kApi, "", res);
  }
  Result<CachedCrate> c = options_.mirror->CachedCrateInfo(*actor, p.at("name"));
  if (!c.ok()) return ReplyError(c.status(), RouteKind::kApi, "", res);
  ReplyJson({{"crate", CachedCrateJson(*c)}}, res);
}

// GET /api/v1/mirror: administrators only.
void Api::MirrorState(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  if (!options_.mirror) {
    Status admin = RequireAdmin(*actor, "see the crates.io mirror's state");
    if (!admin.ok()) return ReplyError(admin, RouteKind::kApi, "", res);
    return ReplyJson({{"enabled", false}}, res);
  }
  Result<MirrorStats> s = options_.mirror->Stats(*actor);
  if (!s.ok()) return ReplyError(s.status(), RouteKind::kApi, "", res);
  Result<std::vector<std::string>> allowed = options_.mirror->guard().Allowed();
  if (!allowed.ok()) return ReplyError(allowed.status(), RouteKind::kApi, "", res);
  const IndexCacheCounters& c = s->counters;
  const std::string& upstream = options_.mirror->options().index.upstream;
  ReplyJson({{"enabled", true},
             {"upstream", upstream.empty() ? json(nullptr) : json(upstream)},
             {"index_files", s->index_files},
             {"missing", s->missing},
             {"crates", s->crates},
             {"versions", s->versions},
             {"bytes", s->bytes},
             {"max_bytes", s->max_bytes == 0 ? json(nullptr) : json(s->max_bytes)},
             {"reads",
              {{"hits", c.hits},
               {"misses", c.misses},
               {"revalidated", c.revalidations},
               {"stale", c.stale}}},
             {"hit_rate", HitRate(c)},
             {"upstream_errors", c.upstream_errors},
             {"last_error", s->last_error.empty() ? json(nullptr) : json(s->last_error)},
             {"last_error_at",
              s->last_error_at == 0 ? json(nullptr) : json(FormatPubtime(s->last_error_at))},
             {"allowed", *allowed}},
            res);
}

// PUT / DELETE /api/v1/mirror/allowed/{name}: administrators only; audited.
void Api::MirrorAllow(const HttpRequest& req, const Params& p, HttpResponse* res,
                      bool allow) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  if (!options_.mirror) {
    return ReplyError(Status::NotFound("the crates.io mirror is not enabled on this server"),
                      RouteKind::kApi, "", res);
  }
  NameGuard& guard = options_.mirror->guard();
  Status st = allow ? guard.Allow(*actor, p.at("name"), clock_->Now())
                    : guard.Disallow(*actor, p.at("name"), clock_->Now());
  if (!st.ok()) return ReplyError(st, RouteKind::kApi, "", res);
  Result<std::vector<std::string>> allowed = guard.Allowed();
  if (!allowed.ok()) return ReplyError(allowed.status(), RouteKind::kApi, "", res);
  ReplyJson({{"allowed", *allowed}}, res);
}

}  // namespace registry
