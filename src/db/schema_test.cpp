// Tests for schema migrations.
#include "db/schema.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "auth/token.h"
#include "auth/tokens.h"
#include "base/clock.h"
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

TEST_CASE("a version 1 token keeps every scope and no expiry after migrating to the latest") {
  TempDir dir;
  const std::string path = dir.path() + "/registry.db";
  const std::string secret = NewTokenSecret();
  {
    auto db = Database::Open(path);
    REQUIRE(db.ok());
    REQUIRE(MigrateTo(db->get(), 1).ok());
    // Rows as a version 1 registry wrote them, with only the columns it knew.
    REQUIRE((*db)
                ->Exec("INSERT INTO users(id, login, created_at) VALUES(1, 'alice', 1700000000)")
                .ok());
    Statement st = (*db)->Prepare(
        "INSERT INTO tokens(user_id, name, hash, created_at) VALUES(1, 'old', ?1, 1700000000)");
    st.Bind(1, HashTokenSecret(secret));
    REQUIRE(st.Run().ok());
    Statement version = (*db)->Prepare("PRAGMA user_version");
    REQUIRE(*version.Step());
    REQUIRE(version.Int(0) == 1);
  }
  {
    auto db = Database::Open(path);
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    Statement audit = (*db)->Prepare("SELECT count(*) FROM audit");
    Result<bool> row = audit.Step();
    REQUIRE_MESSAGE(row.ok(), row.status().message());  // the audit table exists
    CHECK(audit.Int(0) == 0);
  }
  DatabasePool pool(path);
  FakeClock clock(1800000000);
  Tokens tokens(&pool, &clock);
  Result<Actor> actor = tokens.Authenticate(secret, "127.0.0.1");
  REQUIRE_MESSAGE(actor.ok(), actor.status().message());
  CHECK(actor->user.login == "alice");
  CHECK(actor->token_name == "old");
  CHECK(actor->scopes == kAllScopes);
  CHECK(actor->crate_patterns.empty());
  Result<std::vector<TokenInfo>> list = tokens.List(0, true);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  CHECK((*list)[0].expires_at == 0);
  CHECK((*list)[0].revoked_at == 0);
}

TEST_CASE("a version 5 database with crates gains an empty crate_limits table") {
  TempDir dir;
  auto db = Database::Open(dir.path() + "/registry.db");
  REQUIRE(db.ok());
  REQUIRE(MigrateTo(db->get(), 5).ok());
  REQUIRE((*db)
              ->Exec("INSERT INTO crates(name, canonical, created_at, updated_at) "
                     "VALUES('winapi', 'winapi', 1700000000, 1700000000)")
              .ok());
  REQUIRE(Migrate(db->get()).ok());
  Statement count = (*db)->Prepare("SELECT count(*) FROM crate_limits");
  Result<bool> row = count.Step();
  REQUIRE_MESSAGE(row.ok(), row.status().message());
  CHECK(count.Int(0) == 0);
  REQUIRE((*db)
              ->Exec("INSERT INTO crate_limits(canonical, max_features, updated_at) "
                     "VALUES('winapi', 500, 1700000000)")
              .ok());
  Statement crates = (*db)->Prepare("SELECT count(*) FROM crates");
  REQUIRE(*crates.Step());
  CHECK(crates.Int(0) == 1);
}

}  // namespace registry

namespace registry {

TEST_CASE("migration 8 records the dependencies of versions published before it") {
  TempDir dir;
  auto db = Database::Open(dir.path() + "/r.db");
  REQUIRE(db.ok());
  REQUIRE(MigrateTo(db->get(), 7).ok());
  REQUIRE((*db)
              ->Exec("INSERT INTO crates(id, name, canonical, created_at, updated_at) "
                     "VALUES(1, 'app', 'app', 0, 0);"
                     "INSERT INTO versions(id, crate_id, vers, vers_key, cksum, size, index_line, "
                     "metadata, published_at) VALUES(1, 1, '1.0.0', '1.0.0', 'x', 1, '', "
                     "'{\"deps\":[{\"name\":\"My-Base\",\"version_req\":\"^1\",\"kind\":\"dev\","
                     "\"optional\":true},{\"name\":\"far\",\"version_req\":\"^2\",\"registry\":"
                     "\"https://x/index\"},{\"version_req\":\"^3\"}]}', 0);"
                     "INSERT INTO versions(id, crate_id, vers, vers_key, cksum, size, index_line, "
                     "metadata, published_at) VALUES(2, 1, '1.0.1', '1.0.1', 'y', 1, '', "
                     "'not json', 0);")
              .ok());
  REQUIRE(MigrateTo(db->get(), 8).ok());
  Statement st =
      (*db)->Prepare("SELECT version_id, crate_canonical, req, kind, optional FROM dependencies");
  REQUIRE(*st.Step());
  CHECK(st.Int(0) == 1);
  CHECK(st.Text(1) == "my_base");
  CHECK(st.Text(2) == "^1");
  CHECK(st.Text(3) == "dev");
  CHECK(st.Int(4) == 1);
  CHECK_FALSE(*st.Step());  // the other registry's and the nameless one are not recorded
}

}  // namespace registry
