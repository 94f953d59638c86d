// Tests for times gathered in memory and flushed in one transaction.
#include "db/pending_times.h"

#include <doctest/doctest.h>

#include <string>

#include "test_util/temp_dir.h"

namespace registry {

TEST_CASE("pending times: the latest per key is written; a failed flush keeps them") {
  TempDir dir;
  DatabasePool pool(dir.path() + "/t.db");
  {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("CREATE TABLE t (k TEXT PRIMARY KEY, at INTEGER)").ok());
  }
  PendingTimes<std::string> times;
  times.Note("a", 5);
  times.Note("a", 3);  // older: ignored
  times.Note("b", 7);
  CHECK(times.Get("a") == 5);
  CHECK(!times.Get("c"));

  auto failing = [](Database*, const std::string&, int64_t) { return Status::Io("disk gone"); };
  CHECK(times.Flush(&pool, failing).message() == "disk gone");
  CHECK(times.Get("a") == 5);  // kept for the next flush

  auto write = [](Database* db, const std::string& k, int64_t at) {
    Statement st = db->Prepare("INSERT OR REPLACE INTO t(k, at) VALUES(?1, ?2)");
    st.Bind(1, k).Bind(2, at);
    return st.Run();
  };
  REQUIRE(times.Flush(&pool, write).ok());
  CHECK(!times.Get("a"));
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  Statement st = (*db)->Prepare("SELECT group_concat(k || '=' || at) FROM (SELECT * FROM t ORDER BY k)");
  REQUIRE(st.Step().ok());
  CHECK(st.Text(0) == "a=5,b=7");
  CHECK(times.Flush(&pool, failing).ok());  // nothing pending: nothing written
}

}  // namespace registry
