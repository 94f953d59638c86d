// Tests for StampedCache and DatabasePool::ChangeStamp, on a real SQLite database.
#include "db/stamped_cache.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "db/sqlite.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

std::shared_ptr<const std::string> Value(const std::string& s) {
  return std::make_shared<const std::string>(s);
}

TEST_CASE("a cached value is found under its stamp only") {
  StampedCache<std::string> cache(1 << 20);
  cache.Put("foo", 7, Value("seven"), 5);
  REQUIRE(cache.Find("foo", 7) != nullptr);
  CHECK(*cache.Find("foo", 7) == "seven");
  CHECK(cache.Find("foo", 8) == nullptr);
  CHECK(cache.Find("bar", 7) == nullptr);
  cache.Put("foo", 8, Value("eight"), 5);
  CHECK(*cache.Find("foo", 8) == "eight");
  CHECK(cache.size() == 1);
}

TEST_CASE("the cache stays within its budget, dropping stale entries first") {
  StampedCache<std::string> cache(64 << 10);
  cache.Put("old", 1, Value("x"), 1000);
  for (int i = 0; i < 1000; ++i) {
    cache.Put("k" + std::to_string(i), 2, Value("v"), 1000);
    CHECK(cache.bytes() <= size_t{64} << 10);
  }
  CHECK(cache.Find("old", 1) == nullptr);
  CHECK(cache.size() > 10);
  // The newest entry is always kept.
  CHECK(cache.Find("k999", 2) != nullptr);
}

TEST_CASE("a value read under an older stamp than one already cached is not kept") {
  StampedCache<std::string> cache(1 << 20);
  cache.Put("new", 9, Value("nine"), 4);
  cache.Put("late", 8, Value("eight"), 5);  // a slow reader that started before a write
  CHECK(cache.Find("late", 8) == nullptr);
  CHECK(cache.size() == 1);
  CHECK(*cache.Find("new", 9) == "nine");
}

TEST_CASE("a value larger than a quarter of the budget is not cached") {
  StampedCache<std::string> cache(4000);
  cache.Put("big", 1, Value("b"), 1100);
  CHECK(cache.Find("big", 1) == nullptr);
  StampedCache<std::string> off(0);
  off.Put("any", 1, Value("a"), 1);
  CHECK(off.Find("any", 1) == nullptr);
}

class PoolFixture {
 protected:
  PoolFixture() : pool(dir.path() + "/t.db") {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("CREATE TABLE t(x INTEGER)").ok());
  }
  void Insert(Database* db, int x) {
    Statement st = db->Prepare("INSERT INTO t(x) VALUES(?1)");
    st.Bind(1, int64_t{x});
    REQUIRE(st.Run().ok());
  }
  TempDir dir;
  DatabasePool pool;
};

TEST_CASE_FIXTURE(PoolFixture, "reads leave the change stamp as it is") {
  uint64_t before = pool.ChangeStamp();
  std::this_thread::sleep_for(std::chrono::nanoseconds(2 * DatabasePool::kRecheckNanos));
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  {
    ReadSnapshot snapshot(db->get());
    REQUIRE(snapshot.status().ok());
    Statement st = (*db)->Prepare("SELECT count(*) FROM t");
    REQUIRE(st.Step().ok());
  }
  CHECK(pool.ChangeStamp() == before);
}

TEST_CASE_FIXTURE(PoolFixture, "a commit of this pool changes the stamp at once") {
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  uint64_t before = pool.ChangeStamp();
  {
    Transaction tx(db->get());
    REQUIRE(tx.status().ok());
    Insert(db->get(), 1);
    CHECK(pool.ChangeStamp() == before);  // not committed yet
    REQUIRE(tx.Commit().ok());
  }
  uint64_t after_tx = pool.ChangeStamp();
  CHECK(after_tx != before);
  Insert(db->get(), 2);  // autocommit
  CHECK(pool.ChangeStamp() != after_tx);
}

TEST_CASE_FIXTURE(PoolFixture, "another process's commit changes the stamp within the recheck") {
  uint64_t before = pool.ChangeStamp();
  Result<std::unique_ptr<Database>> other = Database::Open(dir.path() + "/t.db");
  REQUIRE(other.ok());
  Insert(other->get(), 1);
  std::this_thread::sleep_for(std::chrono::nanoseconds(2 * DatabasePool::kRecheckNanos));
  CHECK(pool.ChangeStamp() != before);
}

TEST_CASE_FIXTURE(PoolFixture, "writers of one pool take turns instead of failing") {
  // Each thread runs transactions that read, then write what they read plus one; lost
  // updates or busy errors would leave the sum short.
  {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    Insert(db->get(), 0);
  }
  std::atomic<int> failures{0};
  auto work = [&] {
    for (int i = 0; i < 50; ++i) {
      auto db = pool.Acquire();
      if (!db.ok()) {
        ++failures;
        continue;
      }
      Transaction tx(db->get());
      Statement up = (*db)->Prepare("UPDATE t SET x = x + 1");
      if (!tx.status().ok() || !up.Run().ok() || !tx.Commit().ok()) ++failures;
    }
  };
  std::thread a(work), b(work), c(work);
  a.join();
  b.join();
  c.join();
  CHECK(failures == 0);
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  Statement st = (*db)->Prepare("SELECT x FROM t");
  REQUIRE(*st.Step());
  CHECK(st.Int(0) == 150);
}

}  // namespace
}  // namespace registry
