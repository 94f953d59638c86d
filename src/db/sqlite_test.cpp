// Tests for the SQLite wrappers: read snapshots across connections.
#include "db/sqlite.h"

#include <doctest/doctest.h>

#include <string>

#include "test_util/temp_dir.h"

namespace registry {
namespace {

int64_t CountRows(Database* db) {
  Statement st = db->Prepare("SELECT count(*) FROM t");
  Result<bool> row = st.Step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return st.Int(0);
}

TEST_CASE("a read snapshot does not see commits made after its first read, until it ends") {
  TempDir dir;
  auto reader = Database::Open(dir.path() + "/r.db");
  auto writer = Database::Open(dir.path() + "/r.db");
  REQUIRE(reader.ok());
  REQUIRE(writer.ok());
  REQUIRE((*writer)->Exec("CREATE TABLE t(x); INSERT INTO t VALUES(1)").ok());
  {
    ReadSnapshot snapshot(reader->get());
    REQUIRE(snapshot.status().ok());
    CHECK(CountRows(reader->get()) == 1);
    REQUIRE((*writer)->Exec("INSERT INTO t VALUES(2)").ok());
    CHECK(CountRows(reader->get()) == 1);
  }
  CHECK(CountRows(reader->get()) == 2);
}

}  // namespace
}  // namespace registry
