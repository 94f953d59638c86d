// Tests for schema migrations.
#include "db/schema.h"

#include <doctest/doctest.h>

#include <filesystem>

#include "test_util/temp_dir.h"

namespace registry {

TEST_CASE("Migrate creates the latest schema and is idempotent") {
  TempDir dir;
  auto db = Database::Open(dir.path() + "/r.db");
  REQUIRE(db.ok());
  REQUIRE(Migrate(db->get()).ok());
  REQUIRE(Migrate(db->get()).ok());
  Statement st = (*db)->Prepare("PRAGMA user_version");
  REQUIRE(*st.Step());
  CHECK(st.Int(0) == LatestSchemaVersion());
}

TEST_CASE("Migrate refuses a database from a newer registry and leaves it alone") {
  TempDir dir;
  auto db = Database::Open(dir.path() + "/r.db");
  REQUIRE(db.ok());
  REQUIRE((*db)->Exec("PRAGMA user_version = 999").ok());
  Status st = Migrate(db->get());
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() ==
        "the database has schema version 999, newer than this registry binary "
        "knows (" +
            std::to_string(LatestSchemaVersion()) + "); run a newer registry binary");
  Statement tables = (*db)->Prepare("SELECT count(*) FROM sqlite_master");
  REQUIRE(*tables.Step());
  CHECK(tables.Int(0) == 0);
}

}  // namespace registry
