// Tests for the mirror's statistics.
#include "mirror/mirror_stats.h"

#include <doctest/doctest.h>

#include "db/schema.h"
#include "test_util/temp_dir.h"

namespace registry {

TEST_CASE("stats count cached files and add up saved counters") {
  TempDir dir;
  DatabasePool pool(dir.path() + "/registry.db");
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  REQUIRE(Migrate(db->get()).ok());
  REQUIRE(
      (*db)
          ->Exec("INSERT INTO mirror_index_files(lower_name, body, fetched_at, checked_at) VALUES "
                 "('itoa', 'x', 1, 1), ('nope', NULL, 1, 1);"
                 "INSERT INTO mirror_crates(lower_name, vers, cksum, size, fetched_at) VALUES "
                 "('itoa', '1.0.0', 'a', 100, 1), ('itoa', '1.0.1', 'b', 50, 1), ('ryu', '1.0.0', "
                 "'c', 7, 1)")
          .ok());
  IndexCacheCounters delta{3, 1, 0, 0, 0};
  REQUIRE(SaveMirrorCounters(db->get(), delta, "", 0).ok());
  delta = {1, 0, 2, 1, 1};
  REQUIRE(SaveMirrorCounters(db->get(), delta, "http://up/x: cannot connect", 77).ok());
  Result<MirrorStats> s = ReadMirrorStats(db->get());
  REQUIRE(s.ok());
  CHECK(s->index_files == 1);
  CHECK(s->missing == 1);
  CHECK(s->crates == 2);
  CHECK(s->versions == 3);
  CHECK(s->bytes == 157);
  CHECK(s->counters.hits == 4);
  CHECK(s->counters.misses == 1);
  CHECK(s->counters.revalidations == 2);
  CHECK(s->counters.upstream_errors == 1);
  CHECK(s->last_error == "http://up/x: cannot connect");
  CHECK(s->last_error_at == 77);
  CHECK(HitRate(s->counters) == doctest::Approx(7.0 / 8.0));
  CHECK(s->max_bytes == 0);
  REQUIRE(SaveMirrorCap(db->get(), 500ull << 20).ok());
  CHECK(ReadMirrorStats(db->get())->max_bytes == 500ll << 20);
}

}  // namespace registry
