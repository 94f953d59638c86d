// Tests for mirror bundles: export from one data directory, import into another.
#include "mirror/bundle.h"

#include <doctest/doctest.h>

#include <memory>

#include "base/crypto.h"
#include "db/schema.h"
#include "mirror/mirror.h"
#include "storage/file_system.h"
#include "test_util/fake_fetcher.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

// One data directory's database and blobs.
struct Store {
  explicit Store(const std::string& dir)
      : pool(dir + "/registry.db"), blobs(dir, RealFileSystem()) {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    REQUIRE(blobs.Init().ok());
  }
  DatabasePool pool;
  BlobStore blobs;
};

struct BundleFixture {
  BundleFixture() {
    upstream.Put("http://up/config.json", R"({"dl":"http://dl"})");
    for (const char* name : {"itoa", "ryu"}) {
      std::string bytes = std::string(name) + " bytes";
      upstream.Put(std::string("http://up/") + (name[3] ? "it/oa/" : "3/r/") + name,
                   std::string(R"({"name":")") + name + R"(","vers":"1.0.0","cksum":")" +
                       Sha256Hex(bytes) + "\"}\n");
      upstream.Put(std::string("http://dl/") + name + "/1.0.0/download", bytes);
    }
    MirrorOptions o;
    o.index.upstream = "http://up/";
    Mirror mirror(&from.pool, &from.blobs, &upstream, &clock, o);
    REQUIRE(mirror.OpenCrate(Actor::ForCli(), "itoa", "1.0.0").ok());
    REQUIRE(mirror.OpenCrate(Actor::ForCli(), "ryu", "1.0.0").ok());
  }
  TempDir dir1, dir2;
  Store from{dir1.path()};
  Store to{dir2.path()};
  FakeFetcher upstream;
  FakeClock clock{1000};
};

TEST_CASE_FIXTURE(BundleFixture,
                  "an exported cache imports into an offline mirror that serves it") {
  std::string bundle = dir1.path() + "/cache.bundle";
  Result<BundleStats> out = ExportMirror(&from.pool, &from.blobs, {}, bundle);
  REQUIRE_MESSAGE(out.ok(), out.status().message());
  CHECK(out->index_files == 2);
  CHECK(out->crates == 2);
  Result<BundleStats> in = ImportMirror(&to.pool, &to.blobs, &clock, bundle);
  REQUIRE_MESSAGE(in.ok(), in.status().message());
  CHECK(in->index_files == 2);
  CHECK(in->crates == 2);
  MirrorOptions offline;
  offline.index.upstream = "";
  Mirror mirror(&to.pool, &to.blobs, &upstream, &clock, offline);
  Result<StoredCrateFile> f = mirror.OpenCrate(Actor::ForCli(), "ryu", "1.0.0");
  REQUIRE_MESSAGE(f.ok(), f.status().message());
  CHECK(f->size == std::string("ryu bytes").size());
}

TEST_CASE_FIXTURE(BundleFixture, "export can be limited to lock file crates") {
  std::string bundle = dir1.path() + "/some.bundle";
  Result<BundleStats> out = ExportMirror(&from.pool, &from.blobs, {{"itoa", "1.0.0", ""}}, bundle);
  REQUIRE(out.ok());
  CHECK(out->index_files == 1);
  CHECK(out->crates == 1);
  Result<BundleStats> missing =
      ExportMirror(&from.pool, &from.blobs, {{"serde", "1.0.0", ""}}, bundle);
  CHECK(missing.status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(BundleFixture, "a .crate its index line does not list is refused on import") {
  // Make the source cache claim other bytes for itoa 1.0.0 than its index line lists.
  std::string other = "not itoa";
  REQUIRE(from.blobs.Put(Sha256Hex(other), other).ok());
  auto db = from.pool.Acquire();
  REQUIRE(db.ok());
  Statement st = (*db)->Prepare("UPDATE mirror_crates SET cksum = ?1 WHERE lower_name = 'itoa'");
  st.Bind(1, Sha256Hex(other));
  REQUIRE(st.Run().ok());
  std::string bundle = dir1.path() + "/bad.bundle";
  REQUIRE(ExportMirror(&from.pool, &from.blobs, {}, bundle).ok());
  Result<BundleStats> in = ImportMirror(&to.pool, &to.blobs, &clock, bundle);
  CHECK(in.status().code() == Code::kCorrupt);
  CHECK(in.status().message() ==
        "the bundle's file of `itoa` version `1.0.0` is not the one its "
        "index line lists; nothing was imported");
  auto db2 = to.pool.Acquire();
  Statement count = (*db2)->Prepare("SELECT count(*) FROM mirror_crates");
  REQUIRE(count.Step().ok());
  CHECK(count.Int(0) == 0);
}

TEST_CASE("a file that is not a bundle is refused") {
  TempDir dir;
  Store to(dir.path());
  FakeClock clock(0);
  std::string path = dir.path() + "/junk";
  FILE* f = std::fopen(path.c_str(), "wb");
  std::fputs("junk", f);
  std::fclose(f);
  CHECK(!ImportMirror(&to.pool, &to.blobs, &clock, path).ok());
}

}  // namespace
}  // namespace registry
