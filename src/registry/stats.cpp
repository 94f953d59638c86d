// Registry::Stats: the administrators' dashboard figures, counted from the database in one
// snapshot, plus the downloads not yet flushed.
#include <map>

#include "registry/registry.h"

namespace registry {

// The single integer a `SELECT` of one aggregate returns.
static Result<int64_t> CountOf(Database* db, const char* sql) {
  Statement st = db->Prepare(sql);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return *row ? st.Int(0) : 0;
}

Result<RegistryStats> Registry::Stats(const Actor& actor, int days) {
  if (!actor.FromCli() && !(actor.user.is_admin && !actor.user.disabled)) {
    return Status::Forbidden("only administrators may see the registry's figures");
  }
  if (days < 1 || days > 366) return Status::Invalid("days must be from 1 to 366");
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  RegistryStats out;
  const int64_t today = clock_->Now() / 86400;
  std::map<int64_t, int64_t> by_day;
  {
    ReadSnapshot snapshot(db->get());
    RETURN_IF_ERROR(snapshot.status());
    struct Figure {
      int64_t* value;
      const char* sql;
    };
    const Figure figures[] = {
        {&out.crates, "SELECT count(*) FROM crates"},
        {&out.versions, "SELECT count(*) FROM versions"},
        {&out.yanked_versions, "SELECT count(*) FROM versions WHERE yanked != 0"},
        {&out.users, "SELECT count(*) FROM users"},
        {&out.downloads, "SELECT coalesce(sum(downloads), 0) FROM versions"},
        {&out.crate_bytes, "SELECT coalesce(sum(size), 0) FROM versions"},
        {&out.database_bytes,
         "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"},
    };
    for (const Figure& f : figures) {
      Result<int64_t> n = CountOf(db->get(), f.sql);
      if (!n.ok()) return n.status();
      *f.value = *n;
    }
    Statement daily =
        (*db)->Prepare("SELECT day, sum(count) FROM version_downloads WHERE day > ?1 GROUP BY day");
    daily.Bind(1, today - days);
    for (;;) {
      Result<bool> row = daily.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      by_day[daily.Int(0)] += daily.Int(1);
    }
  }
  {
    std::lock_guard<std::mutex> lock(downloads_mu_);
    for (const auto& [key, n] : pending_downloads_) {
      out.downloads += n;
      if (key.second > today - days) by_day[key.second] += n;
    }
  }
  for (const auto& [day, n] : by_day) out.downloads_by_day.push_back(DayCount{day, n});
  return out;
}

}  // namespace registry
