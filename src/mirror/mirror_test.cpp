// Tests for the mirror's read paths and .crate fetches, with a fake upstream.
#include "mirror/mirror.h"

#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "base/crypto.h"
#include "db/schema.h"
#include "storage/file_system.h"
#include "test_util/fake_fetcher.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

const std::string kCrate = "pretend .crate bytes of itoa 1.0.1";

struct MirrorFixture {
  MirrorFixture() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    REQUIRE(blobs.Init().ok());
    REQUIRE((*db)
                ->Exec("INSERT INTO crates(name, canonical, created_at, updated_at) "
                       "VALUES('corp-log', 'corp_log', 0, 0)")
                .ok());
    upstream.Put("http://up/config.json", R"({"dl":"http://dl/{crate}/{crate}-{version}.crate"})");
    upstream.Put("http://up/it/oa/itoa",
                 R"({"name":"itoa","vers":"1.0.1","cksum":")" + Sha256Hex(kCrate) + "\"}\n",
                 "\"i1\"");
    upstream.Put("http://up/co/rp/corp-log", R"({"name":"corp-log","vers":"9.9.9"})"
                                             "\n");
    upstream.Put("http://dl/itoa/itoa-1.0.1.crate", kCrate);
    MirrorOptions o;
    o.index.upstream = "http://up/";
    o.index.wait = std::chrono::milliseconds(2000);
    o.registry_name = "corp";
    mirror = std::make_unique<Mirror>(&pool, &blobs, &upstream, &clock, o);
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  TempDir dir;
  DatabasePool pool{dir.path() + "/registry.db"};
  BlobStore blobs{dir.path(), RealFileSystem()};
  FakeFetcher upstream;
  FakeClock clock{1000};
  Actor reader = Actor::ForCli();
  std::unique_ptr<Mirror> mirror;
};

TEST_CASE_FIXTURE(MirrorFixture,
                  "a .crate is fetched once, verified, stored and served from disk") {
  Result<StoredCrateFile> f = mirror->OpenCrate(reader, "itoa", "1.0.1");
  REQUIRE_MESSAGE(f.ok(), f.status().message());
  CHECK(f->size == kCrate.size());
  CHECK(Slurp(f->path) == kCrate);
  upstream.SetDown(true);
  Result<StoredCrateFile> again = mirror->OpenCrate(reader, "itoa", "1.0.1");
  REQUIRE(again.ok());
  CHECK(upstream.Requests("http://dl/itoa/itoa-1.0.1.crate") == 1);
}

TEST_CASE_FIXTURE(MirrorFixture, "a .crate that does not match its cksum is refused and not kept") {
  upstream.Put("http://dl/itoa/itoa-1.0.1.crate", "tampered bytes");
  Result<StoredCrateFile> f = mirror->OpenCrate(reader, "itoa", "1.0.1");
  CHECK(f.status().code() == Code::kBadGateway);
  CHECK(f.status().message() ==
        "the crates.io upstream sent a file for `itoa` version `1.0.1` whose SHA-256 is " +
            Sha256Hex("tampered bytes") + ", but the index says " + Sha256Hex(kCrate) +
            "; it was refused and not stored");
  std::ifstream stored(blobs.PathOf(Sha256Hex(kCrate)));
  CHECK(!stored.good());
  // Once upstream is fixed the file is fetched again.
  upstream.Put("http://dl/itoa/itoa-1.0.1.crate", kCrate);
  CHECK(mirror->OpenCrate(reader, "itoa", "1.0.1").ok());
}

TEST_CASE_FIXTURE(MirrorFixture, "unknown versions and crates are NotFound, naming them") {
  Result<StoredCrateFile> v = mirror->OpenCrate(reader, "itoa", "9.0.0");
  CHECK(v.status().code() == Code::kNotFound);
  CHECK(v.status().message() == "crates.io has no version `9.0.0` of `itoa`");
  CHECK(mirror->OpenCrate(reader, "nope", "1.0.0").status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(MirrorFixture, "upstream down: an uncached .crate says so, never a bare 404") {
  REQUIRE(mirror->ReadIndexFile(reader, "itoa").ok());
  upstream.SetDown(true);
  Result<StoredCrateFile> f = mirror->OpenCrate(reader, "itoa", "1.0.1");
  CHECK(f.status().code() == Code::kUnavailable);
  CHECK(f.status().message() ==
        "the crates.io upstream is unreachable and `itoa` version `1.0.1` is not cached yet: "
        "http://up/config.json: cannot connect");
}

TEST_CASE_FIXTURE(MirrorFixture, "concurrent downloads of one missing file fetch it once") {
  upstream.SetDelay(std::chrono::milliseconds(50));
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      if (mirror->OpenCrate(reader, "itoa", "1.0.1").ok()) ++ok;
    });
  }
  for (auto& t : clients) t.join();
  CHECK(ok == 8);
  CHECK(upstream.Requests("http://dl/itoa/itoa-1.0.1.crate") == 1);
  CHECK(upstream.Requests("http://up/it/oa/itoa") == 1);
}

TEST_CASE_FIXTURE(MirrorFixture, "the crates.io view never serves a private crate's name") {
  Result<MirrorIndexFile> f = mirror->ReadIndexFile(reader, "corp_log");
  CHECK(f.status().code() == Code::kNotFound);
  CHECK(f.status().message().rfind("`corp-log` is a private crate of this registry", 0) == 0);
  CHECK(mirror->OpenCrate(reader, "corp-log", "9.9.9").status().code() == Code::kNotFound);
  CHECK(upstream.Requests("http://up/co/rp/corp-log") == 0);
  REQUIRE(mirror->guard().Allow(Actor::ForCli(), "corp-log", 5).ok());
  CHECK(mirror->ReadIndexFile(reader, "corp-log").ok());
}

TEST_CASE_FIXTURE(MirrorFixture, "reads need the read scope and matching crate patterns") {
  Actor limited = Actor::ForCli();
  limited.crate_patterns = {"serde*"};
  Result<MirrorIndexFile> f = mirror->ReadIndexFile(limited, "itoa");
  CHECK(f.status().code() == Code::kForbidden);
  CHECK(mirror->OpenCrate(limited, "itoa", "1.0.1").status().code() == Code::kForbidden);
}

TEST_CASE_FIXTURE(MirrorFixture, "publishing a name crates.io has too gives a warning") {
  CHECK(
      mirror->PublishWarning("corp_log").rfind("crates.io also has a crate named `corp-log`", 0) ==
      0);
  CHECK(mirror->PublishWarning("unique-name") == "");
}

TEST_CASE_FIXTURE(MirrorFixture, "metrics count reads by cache state and upstream requests") {
  REQUIRE(mirror->OpenCrate(reader, "itoa", "1.0.1").ok());
  REQUIRE(mirror->ReadIndexFile(reader, "itoa").ok());
  std::string m = mirror->RenderMetrics();
  CHECK(m.find("registry_mirror_index_reads_total{cache=\"miss\"} 1\n") != std::string::npos);
  CHECK(m.find("registry_mirror_index_reads_total{cache=\"hit\"} 1\n") != std::string::npos);
  CHECK(m.find("registry_mirror_crate_fetches_total 1\n") != std::string::npos);
  // The index file, config.json and the .crate.
  CHECK(m.find("registry_mirror_upstream_requests_total 3\n") != std::string::npos);
  CHECK(m.find("registry_mirror_upstream_errors_total 0\n") != std::string::npos);
}

}  // namespace
}  // namespace registry
