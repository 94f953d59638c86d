// Mirror statistics: counted from the mirror tables, counters kept in `settings`.
#include "mirror/mirror_stats.h"

namespace registry {

static const char* const kCounterKeys[] = {"mirror.hits", "mirror.misses", "mirror.revalidations",
                                           "mirror.stale", "mirror.upstream_errors"};

static int64_t* CounterField(IndexCacheCounters* c, int i) {
  int64_t* fields[] = {&c->hits, &c->misses, &c->revalidations, &c->stale, &c->upstream_errors};
  return fields[i];
}

Result<MirrorStats> ReadMirrorStats(Database* db) {
  MirrorStats s;
  ReadSnapshot snapshot(db);
  RETURN_IF_ERROR(snapshot.status());
  Statement files =
      db->Prepare("SELECT count(*) - count(body), count(body) FROM mirror_index_files");
  Result<bool> row = files.Step();
  if (!row.ok()) return row.status();
  s.missing = files.Int(0);
  s.index_files = files.Int(1);
  Statement crates = db->Prepare(
      "SELECT count(DISTINCT lower_name), count(*), coalesce(sum(size), 0) FROM mirror_crates");
  row = crates.Step();
  if (!row.ok()) return row.status();
  s.crates = crates.Int(0);
  s.versions = crates.Int(1);
  s.bytes = crates.Int(2);
  Statement settings = db->Prepare("SELECT key, value FROM settings WHERE key LIKE 'mirror.%'");
  for (;;) {
    Result<bool> r = settings.Step();
    if (!r.ok()) return r.status();
    if (!*r) break;
    std::string key = settings.Text(0), value = settings.Text(1);
    for (int i = 0; i < 5; ++i) {
      if (key == kCounterKeys[i]) *CounterField(&s.counters, i) = std::atoll(value.c_str());
    }
    if (key == "mirror.last_error") s.last_error = value;
    if (key == "mirror.last_error_at") s.last_error_at = std::atoll(value.c_str());
    if (key == "mirror.max_size") s.max_bytes = std::atoll(value.c_str());
  }
  return s;
}

Status SaveMirrorCounters(Database* db, const IndexCacheCounters& delta,
                          const std::string& last_error, int64_t last_error_at) {
  Transaction tx(db);
  RETURN_IF_ERROR(tx.status());
  IndexCacheCounters d = delta;
  for (int i = 0; i < 5; ++i) {
    Statement st = db->Prepare(
        "INSERT INTO settings(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET "
        "value = CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER)");
    st.Bind(1, kCounterKeys[i]).Bind(2, std::to_string(*CounterField(&d, i)));
    RETURN_IF_ERROR(st.Run());
  }
  if (!last_error.empty()) {
    Statement st = db->Prepare(
        "INSERT OR REPLACE INTO settings(key, value) VALUES('mirror.last_error', ?1), "
        "('mirror.last_error_at', ?2)");
    st.Bind(1, last_error).Bind(2, std::to_string(last_error_at));
    RETURN_IF_ERROR(st.Run());
  }
  return tx.Commit();
}

Status SaveMirrorCap(Database* db, uint64_t max_bytes) {
  Statement st =
      db->Prepare("INSERT OR REPLACE INTO settings(key, value) VALUES('mirror.max_size', ?1)");
  st.Bind(1, std::to_string(max_bytes));
  return st.Run();
}

double HitRate(const IndexCacheCounters& c) {
  int64_t cached = c.hits + c.revalidations + c.stale;
  int64_t total = cached + c.misses;
  return total == 0 ? 0.0 : static_cast<double>(cached) / static_cast<double>(total);
}

}  // namespace registry
