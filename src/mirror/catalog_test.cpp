// Tests for listing the mirror's cached crates.
#include "mirror/catalog.h"

#include <doctest/doctest.h>

#include "test_util/migrated_database.h"

namespace registry {

static void Fill(Database* db) {
  REQUIRE(db->Exec(
                "INSERT INTO mirror_index_files(lower_name, body, fetched_at, checked_at) VALUES "
                "('itoa', '{\"name\":\"itoa\",\"vers\":\"1.0.1\",\"cksum\":\"a\"}\n"
                "{\"name\":\"itoa\",\"vers\":\"1.0.10\",\"yanked\":true,\"cksum\":\"b\"}\n"
                "not json\n"
                "{\"name\":\"itoa\",\"vers\":\"1.0.2\",\"cksum\":\"c\"}\n', 1, 1),"
                "('gone', NULL, 1, 1);"
                "INSERT INTO mirror_crates(lower_name, vers, cksum, size, fetched_at) VALUES "
                "('itoa', '1.0.1', 'a', 100, 1), ('itoa', '1.0.10', 'b', 50, 1), "
                "('ryu', '1.0.2', 'r', 7, 1), ('a_b', '0.1.0', 'x', 1, 1)")
            .ok());
}

TEST_CASE("catalog: cached crates by substring, with their newest cached version") {
  MigratedDatabase t;
  auto db = t.pool.Acquire();
  REQUIRE(db.ok());
  Fill(db->get());
  Result<std::vector<CachedCrate>> all = SearchCachedCrates(db->get(), "", 10);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK((*all)[1].name == "itoa");
  CHECK((*all)[1].max_version == "1.0.10");
  CHECK((*all)[1].versions_cached == 2);
  CHECK((*all)[1].bytes == 150);
  Result<std::vector<CachedCrate>> it = SearchCachedCrates(db->get(), "TO", 10);
  REQUIRE(it.ok());
  REQUIRE(it->size() == 1);
  CHECK((*it)[0].name == "itoa");
  // `_` is a character, not LIKE's wildcard.
  CHECK(SearchCachedCrates(db->get(), "a_", 10)->size() == 1);
  CHECK(SearchCachedCrates(db->get(), "", 1)->size() == 1);
}

TEST_CASE("catalog: one crate's versions from its cached index file, marked cached or not") {
  MigratedDatabase t;
  auto db = t.pool.Acquire();
  REQUIRE(db.ok());
  Fill(db->get());
  Result<CachedCrate> c = ReadCachedCrate(db->get(), "ITOA");
  REQUIRE(c.ok());
  CHECK(c->name == "itoa");
  REQUIRE(c->versions.size() == 3);
  CHECK(c->versions[0].num == "1.0.10");
  CHECK(c->versions[0].yanked);
  CHECK(c->versions[0].cached);
  CHECK(c->versions[1].num == "1.0.2");
  CHECK(!c->versions[1].cached);
  CHECK(c->versions[2].size == 100);
  CHECK(c->bytes == 150);
  CHECK(ReadCachedCrate(db->get(), "gone").status().code() == Code::kNotFound);
  CHECK(ReadCachedCrate(db->get(), "ryu").status().message() ==
        "the crates.io mirror has not cached `ryu`");
}

}  // namespace registry
