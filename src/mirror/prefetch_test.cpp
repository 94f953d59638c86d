// Tests for prefetching lock files' crates, with a fake upstream.
#include "mirror/prefetch.h"

#include <doctest/doctest.h>

#include "base/crypto.h"
#include "db/schema.h"
#include "storage/file_system.h"
#include "test_util/fake_fetcher.h"
#include "test_util/temp_dir.h"

namespace registry {

TEST_CASE("prefetch fetches what is missing, skips what is cached, reports the rest") {
  TempDir dir;
  DatabasePool pool(dir.path() + "/registry.db");
  {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
  }
  BlobStore blobs(dir.path(), RealFileSystem());
  REQUIRE(blobs.Init().ok());
  FakeFetcher upstream;
  FakeClock clock(1000);
  const std::string crate = "itoa's bytes";
  upstream.Put("http://up/config.json", R"({"dl":"http://dl"})");
  upstream.Put("http://up/it/oa/itoa",
               R"({"name":"itoa","vers":"1.0.1","cksum":")" + Sha256Hex(crate) + "\"}\n");
  upstream.Put("http://dl/itoa/1.0.1/download", crate);
  MirrorOptions options;
  options.index.upstream = "http://up/";
  Mirror mirror(&pool, &blobs, &upstream, &clock, options);

  std::vector<LockedCrate> lock = {{"itoa", "1.0.1", Sha256Hex(crate)},
                                   {"itoa", "1.0.1", ""},
                                   {"itoa", "1.0.1", std::string(64, '0')},
                                   {"nope", "1.0.0", ""}};
  std::vector<size_t> seen;
  PrefetchReport r = Prefetch(&mirror, lock, [&](size_t i, size_t n, const LockedCrate&) {
    CHECK(n == 4);
    seen.push_back(i);
  });
  CHECK(seen == std::vector<size_t>{0, 1, 2, 3});
  CHECK(r.fetched == 1);
  CHECK(r.cached == 1);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0] == "itoa 1.0.1: the lock file's checksum " + std::string(64, '0') +
                           " differs from the index's " + Sha256Hex(crate));
  CHECK(r.errors[1] == "nope 1.0.0: crates.io has no crate named `nope`");
}

}  // namespace registry
