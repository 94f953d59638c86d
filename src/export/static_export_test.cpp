// Tests for the static sparse-index export: layout, byte equality, incremental runs.
#include "export/static_export.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/users.h"
#include "base/crypto.h"
#include "db/schema.h"
#include "db/sqlite.h"
#include "registry/registry.h"
#include "storage/file_system.h"
#include "test_util/crate_builder.h"
#include "test_util/registry_env.h"

namespace registry {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class ExportFixture : public RegistryEnv {
 protected:
  ExportFixture() {
    REQUIRE(users.Add(Actor::ForCli(), "alice", false).ok());
    alice = Actor::ForSession(*users.Find("alice"), 1, "127.0.0.1");
    options.out_dir = dir.path() + "/out";
    options.base_url = "https://cdn.example.com/reg/";
  }
  void Publish(const std::string& name, const std::string& vers) {
    std::string meta = R"({"name":")" + name + R"(","vers":")" + vers +
                       R"(","deps":[],"features":{}})";
    Result<Published> p = registry.Publish(alice, MakePublishBody(meta, MakeCrateFile(name, vers)));
    REQUIRE_MESSAGE(p.ok(), p.status().message());
  }

  Actor alice;
  ExportOptions options;
};

TEST_CASE_FIXTURE(ExportFixture, "the tree holds config.json, the served index bytes and the crates") {
  Publish("serde", "1.0.0");
  Publish("serde", "1.0.1");
  Result<ExportReport> report = ExportStaticIndex(&pool, blobs, options);
  REQUIRE_MESSAGE(report.ok(), report.status().message());
  CHECK(report->written == 4);
  CHECK(Slurp(options.out_dir + "/config.json") ==
        "{\n  \"api\": \"https://cdn.example.com/reg\",\n  \"dl\": "
        "\"https://cdn.example.com/reg/crates/{crate}/{crate}-{version}.crate\"\n}\n");
  Result<IndexFileRef> served = registry.ReadIndexFile(alice, "serde");
  REQUIRE(served.ok());
  CHECK(Slurp(options.out_dir + "/se/rd/serde") == (*served)->body);
  CHECK(Slurp(options.out_dir + "/crates/serde/serde-1.0.1.crate") ==
        MakeCrateFile("serde", "1.0.1"));
}

TEST_CASE_FIXTURE(ExportFixture, "a second run rewrites only what changed and removes the rest") {
  Publish("serde", "1.0.0");
  REQUIRE(ExportStaticIndex(&pool, blobs, options).ok());
  std::ofstream(options.out_dir + "/crates/gone.crate") << "stale";
  Publish("serde", "1.0.1");
  Result<ExportReport> report = ExportStaticIndex(&pool, blobs, options);
  REQUIRE(report.ok());
  CHECK(report->written == 2);    // the index file and the new .crate
  CHECK(report->unchanged == 2);  // config.json and the old .crate
  CHECK(report->removed == 1);
  CHECK_FALSE(std::filesystem::exists(options.out_dir + "/crates/gone.crate"));
  Result<ExportReport> again = ExportStaticIndex(&pool, blobs, options);
  REQUIRE(again.ok());
  CHECK(again->written == 0);
  CHECK(again->removed == 0);
}

TEST_CASE_FIXTURE(ExportFixture, "the base URL must be http or https") {
  options.base_url = "ftp://x";
  CHECK(ExportStaticIndex(&pool, blobs, options).status().message() ==
        "--base-url must be an http:// or https:// URL, got `ftp://x`");
}

TEST_CASE_FIXTURE(ExportFixture, "with include_mirror the mirror's cache goes under crates-io/") {
  std::string crate = MakeCrateFile("Itoa", "1.0.1");
  std::string cksum = Sha256Hex(crate);
  REQUIRE(blobs.Put(cksum, crate).ok());
  std::string line = R"({"name":"Itoa","vers":"1.0.1","deps":[],"cksum":")" + cksum +
                     R"(","features":{},"yanked":false})" + "\n";
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  Statement index = (*db)->Prepare(
      "INSERT INTO mirror_index_files(lower_name, body, gzip, fetched_at, checked_at) "
      "VALUES('itoa', ?1, x'', 0, 0)");
  index.BindBlob(1, line);
  REQUIRE(index.Run().ok());
  Statement file = (*db)->Prepare(
      "INSERT INTO mirror_crates(lower_name, vers, cksum, size, fetched_at) "
      "VALUES('itoa', '1.0.1', ?1, ?2, 0)");
  file.Bind(1, cksum).Bind(2, static_cast<int64_t>(crate.size()));
  REQUIRE(file.Run().ok());
  REQUIRE(ExportStaticIndex(&pool, blobs, options).ok());
  CHECK_FALSE(std::filesystem::exists(options.out_dir + "/crates-io"));
  options.include_mirror = true;
  REQUIRE(ExportStaticIndex(&pool, blobs, options).ok());
  CHECK(Slurp(options.out_dir + "/crates-io/it/oa/itoa") == line);
  // At the path cargo asks for: the name as the index spells it.
  CHECK(Slurp(options.out_dir + "/crates-io/crates/Itoa/Itoa-1.0.1.crate") == crate);
  CHECK(Slurp(options.out_dir + "/crates-io/config.json").find(
            "https://cdn.example.com/reg/crates-io/crates/{crate}/{crate}-{version}.crate") !=
        std::string::npos);
}

}  // namespace
}  // namespace registry
