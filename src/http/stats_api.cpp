// GET /api/v1/stats: the administrators' dashboard, from Registry::Stats and, when the
// crates.io mirror runs, its cache figures.
#include <nlohmann/json.hpp>

#include "http/api.h"
#include "http/error_reply.h"
#include "http/json_reply.h"
#include "index/index_line.h"

namespace registry {

using nlohmann::json;

static std::string Day(int64_t day) { return FormatPubtime(day * 86400).substr(0, 10); }

void Api::Stats(const HttpRequest& req, const Params&, HttpResponse* res) const {
  Result<Actor> actor = AuthenticateSession(req, res);
  if (!actor.ok()) return ReplyError(actor.status(), RouteKind::kApi, "", res);
  Status admin = RequireAdmin(*actor, "see the registry's figures");
  if (!admin.ok()) return ReplyError(admin, RouteKind::kApi, "", res);
  int days = 30;
  std::string_view text = req.Query("days");
  if (!text.empty()) {
    if (text.size() > 3 || text.find_first_not_of("0123456789") != std::string_view::npos) {
      return ReplyError(Status::Invalid("days must be a whole number from 1 to 366"),
                        RouteKind::kApi, "", res);
    }
    days = std::stoi(std::string(text));
  }
  Result<RegistryStats> s = registry_->Stats(*actor, days);
  if (!s.ok()) return ReplyError(s.status(), RouteKind::kApi, "", res);
  json by_day = json::array();
  for (const DayCount& c : s->downloads_by_day) {
    by_day.push_back({{"date", Day(c.day)}, {"downloads", c.downloads}});
  }
  json out = {{"crates", s->crates},
              {"versions", s->versions},
              {"yanked_versions", s->yanked_versions},
              {"users", s->users},
              {"downloads", s->downloads},
              {"crate_bytes", s->crate_bytes},
              {"database_bytes", s->database_bytes},
              {"days", days},
              {"downloads_by_day", by_day},
              {"mirror", nullptr}};
  if (options_.mirror) {
    Result<MirrorStats> m = options_.mirror->Stats(*actor);
    if (!m.ok()) return ReplyError(m.status(), RouteKind::kApi, "", res);
    out["mirror"] = {{"crates", m->crates},
                     {"versions", m->versions},
                     {"bytes", m->bytes},
                     {"index_files", m->index_files},
                     {"hit_rate", HitRate(m->counters)},
                     {"upstream_errors", m->counters.upstream_errors}};
  }
  ReplyJson(out, res);
}

}  // namespace registry
