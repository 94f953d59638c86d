// Tests for the dependency-confusion guard, on a real database.
#include "mirror/name_guard.h"

#include <doctest/doctest.h>

#include "db/schema.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

struct GuardFixture {
  GuardFixture() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    REQUIRE((*db)
                ->Exec("INSERT INTO crates(name, canonical, created_at, updated_at) "
                       "VALUES('Acme-Util', 'acme_util', 0, 0)")
                .ok());
  }
  TempDir dir;
  DatabasePool pool{dir.path() + "/registry.db"};
  NameGuard guard{&pool, {"corp-*"}, "corp"};
};

TEST_CASE_FIXTURE(GuardFixture, "crates.io names that no private crate has pass") {
  CHECK(guard.Check("serde").ok());
  CHECK(guard.Check("acme").ok());
}

TEST_CASE_FIXTURE(GuardFixture, "a private crate's name is refused in any spelling, naming it") {
  for (const char* spelling : {"acme-util", "acme_util", "ACME-UTIL"}) {
    Status st = guard.Check(spelling);
    CHECK(st.code() == Code::kNotFound);
    CHECK(st.message() ==
          "`Acme-Util` is a private crate of this registry, so the crates.io mirror does not "
          "serve a crate of that name (dependency confusion guard); depend on the private crate "
          "with `Acme-Util = { version = \"...\", registry = \"corp\" }`, or have an "
          "administrator run `registry mirror allow Acme-Util` to take it from crates.io");
  }
}

TEST_CASE_FIXTURE(GuardFixture, "reserved patterns are refused before any private crate exists") {
  Status st = guard.Check("corp-logger");
  CHECK(st.code() == Code::kNotFound);
  CHECK(st.message().rfind("`corp-logger` matches `corp-*`, a name pattern reserved", 0) == 0);
}

TEST_CASE_FIXTURE(GuardFixture, "an allowed name is served; only admins may allow") {
  User member;
  member.login = "bob";
  Actor bob = Actor::ForSession(member, 1, "127.0.0.1");
  CHECK(guard.Allow(bob, "acme-util", 10).code() == Code::kForbidden);
  REQUIRE(guard.Allow(Actor::ForCli(), "acme-util", 10).ok());
  CHECK(guard.Check("acme_util").ok());
  REQUIRE(guard.Allow(Actor::ForCli(), "corp-logger", 10).ok());
  CHECK(guard.Check("corp-logger").ok());
  Result<std::vector<std::string>> allowed = guard.Allowed();
  REQUIRE(allowed.ok());
  CHECK(*allowed == std::vector<std::string>{"acme_util", "corp_logger"});
  REQUIRE(guard.Disallow(Actor::ForCli(), "Acme-Util", 11).ok());
  CHECK(guard.Check("acme-util").code() == Code::kNotFound);
  CHECK(guard.Disallow(Actor::ForCli(), "acme-util", 12).code() == Code::kNotFound);
}

}  // namespace
}  // namespace registry
