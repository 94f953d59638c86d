// Tests for the mirror's size cap: which files go, and that a private blob never does.
#include "mirror/eviction.h"

#include <doctest/doctest.h>

#include "base/crypto.h"
#include "test_util/migrated_database.h"

namespace registry {

static std::vector<std::string> Names(const std::vector<CachedCrateFile>& files) {
  std::vector<std::string> out;
  for (const CachedCrateFile& f : files) out.push_back(f.lower_name + "@" + f.vers);
  return out;
}

TEST_CASE("eviction: least recently used first, until the rest fit") {
  std::vector<CachedCrateFile> files = {
      {"serde", "1.0.0", "s", 50, 30, false},
      {"itoa", "1.0.1", "i", 10, 10, false},
      {"ryu", "1.0.2", "r", 40, 20, false},
  };
  CHECK(Names(ChooseEvictions(files, 0)).empty());    // no cap
  CHECK(Names(ChooseEvictions(files, 100)).empty());  // 100 bytes fit
  CHECK(Names(ChooseEvictions(files, 95)) == std::vector<std::string>{"itoa@1.0.1"});
  CHECK(Names(ChooseEvictions(files, 50)) == std::vector<std::string>{"itoa@1.0.1", "ryu@1.0.2"});
  CHECK(Names(ChooseEvictions(files, 1)) ==
        std::vector<std::string>{"itoa@1.0.1", "ryu@1.0.2", "serde@1.0.0"});
  // The file being served stays even when it is the oldest.
  CHECK(Names(ChooseEvictions(files, 95, "itoa", "1.0.1")) ==
        std::vector<std::string>{"ryu@1.0.2"});
}

TEST_CASE("eviction: a blob a private crate shares is never chosen nor counted") {
  std::vector<CachedCrateFile> files = {
      {"shared", "1.0.0", "p", 1000, 1, true},
      {"itoa", "1.0.1", "i", 10, 10, false},
      {"ryu", "1.0.2", "r", 40, 20, false},
  };
  CHECK(Names(ChooseEvictions(files, 50)).empty());
  CHECK(Names(ChooseEvictions(files, 45)) == std::vector<std::string>{"itoa@1.0.1"});
  CHECK(Names(ChooseEvictions(files, 1)) == std::vector<std::string>{"itoa@1.0.1", "ryu@1.0.2"});
}

TEST_CASE("eviction: rows and blobs go, a private crate's identical blob stays") {
  MigratedDatabase t;
  auto db = t.pool.Acquire();
  REQUIRE(db.ok());
  BlobStore blobs(t.dir.path(), RealFileSystem());
  REQUIRE(blobs.Init().ok());
  std::string old_sum = Sha256Hex("old"), new_sum = Sha256Hex("new"), priv = Sha256Hex("both");
  for (const auto& [sum, bytes] : {std::pair{old_sum, "old"}, {new_sum, "new"}, {priv, "both"}})
    REQUIRE(blobs.Put(sum, bytes).ok());
  // `both` is a crates.io crate and, with the very same bytes, a private crate's version.
  std::string sql =
      "INSERT INTO crates(id, name, canonical, created_at, updated_at) VALUES(1, 'both', 'both', 1, 1);"
      "INSERT INTO versions(crate_id, vers, vers_key, cksum, size, index_line, metadata, "
      "published_at) VALUES(1, '1.0.0', '1.0.0', '" + priv + "', 4, '{}', '{}', 1);"
      "INSERT INTO mirror_crates(lower_name, vers, cksum, size, fetched_at, last_used_at) VALUES "
      "('both', '1.0.0', '" + priv + "', 4000, 1, 0), ('old', '1.0.0', '" + old_sum +
      "', 3, 2, 5), ('new', '1.0.0', '" + new_sum + "', 3, 2, 9)";
  REQUIRE((*db)->Exec(sql).ok());

  Result<Evicted> evicted = EvictOverCap(db->get(), &blobs, 5);
  REQUIRE(evicted.ok());
  CHECK(evicted->files == 1);
  CHECK(evicted->bytes == 3);
  CHECK(blobs.Get(old_sum).status().code() == Code::kNotFound);
  CHECK(blobs.Get(new_sum).ok());
  CHECK(blobs.Get(priv).ok());
  Statement left = (*db)->Prepare("SELECT group_concat(lower_name) FROM "
                                  "(SELECT lower_name FROM mirror_crates ORDER BY lower_name)");
  REQUIRE(left.Step().ok());
  CHECK(left.Text(0) == "both,new");

  // Under the cap nothing more goes.
  evicted = EvictOverCap(db->get(), &blobs, 5);
  REQUIRE(evicted.ok());
  CHECK(evicted->files == 0);
}

}  // namespace registry
