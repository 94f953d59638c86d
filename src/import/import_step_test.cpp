// Tests for the shared import step and the file-based sources, on a real registry in a temp
// directory (SQLite, blob store) with .crate files built in memory.
#include "import/import_step.h"

#include <doctest/doctest.h>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "auth/users.h"
#include "base/crypto.h"
#include "db/schema.h"
#include "import/crate_dir.h"
#include "import/importer.h"
#include "import/index_dir.h"
#include "import/kellnr_dir.h"
#include "storage/blob_store.h"
#include "storage/file_system.h"
#include "test_util/crate_builder.h"
#include "test_util/registry_env.h"

namespace registry {
namespace {

constexpr const char* kOldIndex = "https://git.example.com/index";

void WriteFile(const std::string& path, const std::string& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::string Line(const std::string& name, const std::string& vers, const std::string& cksum,
                 const std::string& extra = "") {
  return R"({"name":")" + name + R"(","vers":")" + vers + R"(","deps":[],"cksum":")" + cksum +
         R"(","features":{},"yanked":false)" + extra + "}";
}

class ImportFixture : public RegistryEnv {
 protected:
  ImportFixture() {
    REQUIRE(users.Add(Actor::ForCli(), "admin", true).ok());
    context.registry = &registry;
    context.clock = &clock;
    context.actor = Actor::ForCli();
    context.owner = "admin";
    context.source = "test";
    context.source_registry_urls = {kOldIndex};
  }

  SourceVersion FromLine(const std::string& line, const std::string& crate) {
    SourceVersion v;
    v.label = "test";
    v.index_line = line;
    v.load = [crate]() -> Result<std::string> { return crate; };
    return v;
  }

  std::string IndexBody(const std::string& lower_name) {
    Actor reader = Actor::ForCli();
    Result<IndexFileRef> file = registry.ReadIndexFile(reader, lower_name);
    return file.ok() ? (*file)->body : "";
  }

  ImportContext context;
};

TEST_CASE("LocalizeIndexLine nulls only the source registry's own URL") {
  std::string line =
      R"({"name":"a","vers":"1.0.0","deps":[{"name":"b","req":"^1","registry":"https://git.example.com/index/"},)"
      R"({"name":"serde","req":"^1","registry":"https://github.com/rust-lang/crates.io-index"}],"cksum":"x"})";
  Result<std::string> out = LocalizeIndexLine(line, {kOldIndex});
  REQUIRE(out.ok());
  CHECK(*out ==
        R"({"name":"a","vers":"1.0.0","deps":[{"name":"b","req":"^1","registry":null},)"
        R"({"name":"serde","req":"^1","registry":"https://github.com/rust-lang/crates.io-index"}],"cksum":"x"})");
  // Nothing to change: the bytes as they were, spacing included.
  std::string spaced = R"({"name": "a", "vers": "1.0.0", "deps": [], "cksum": "x"})";
  CHECK(*LocalizeIndexLine(spaced, {kOldIndex}) == spaced);
  CHECK(LocalizeIndexLine("[1]", {kOldIndex}).status().code() == Code::kInvalid);
}

TEST_CASE_FIXTURE(ImportFixture, "an imported line is served verbatim: yanked, pubtime, unknown fields") {
  std::string crate = MakeCrateFile("foo", "1.0.0");
  std::string line = Line("foo", "1.0.0", Sha256Hex(crate),
                          R"(,"pubtime":"2021-03-04T05:06:07Z","x-vendor":{"k":1})");
  line.replace(line.find("\"yanked\":false"), 14, "\"yanked\":true");
  Result<ImportOutcome> outcome = ImportOne(context, FromLine(line, crate));
  REQUIRE_MESSAGE(outcome.ok(), outcome.status().message());
  CHECK(*outcome == ImportOutcome::kImported);
  CHECK(IndexBody("foo") == line + "\n");
  Actor reader = Actor::ForCli();
  Result<std::string> bytes = registry.ReadCrate(reader, "foo", "1.0.0");
  REQUIRE(bytes.ok());
  CHECK(*bytes == crate);
  Result<CrateDetails> details = registry.Details(reader, "foo", "");
  REQUIRE(details.ok());
  REQUIRE(details->versions.size() == 1);
  CHECK(details->versions[0].yanked);
  CHECK(details->versions[0].published_at == 1614834367);
  CHECK(details->owners.at(0).login == "admin");
}

TEST_CASE_FIXTURE(ImportFixture, "a checksum mismatch stops that version with a clear error") {
  std::string crate = MakeCrateFile("foo", "1.0.0");
  std::string wrong(64, 'a');
  Result<ImportOutcome> outcome = ImportOne(context, FromLine(Line("foo", "1.0.0", wrong), crate));
  CHECK(outcome.status().code() == Code::kCorrupt);
  CHECK(outcome.status().message() == "checksum mismatch: the source's index says sha256 " +
                                          wrong + ", the .crate it served has " +
                                          Sha256Hex(crate));
  CHECK(IndexBody("foo").empty());
}

TEST_CASE_FIXTURE(ImportFixture, "a second run skips; other bytes for the same version are refused") {
  std::string crate = MakeCrateFile("foo", "1.0.0");
  SourceVersion v = FromLine(Line("foo", "1.0.0", Sha256Hex(crate)), crate);
  REQUIRE(*ImportOne(context, v) == ImportOutcome::kImported);
  CHECK(*ImportOne(context, v) == ImportOutcome::kAlreadyPresent);
  std::string other = MakeCrateFile("foo", "1.0.0", {{"src/lib.rs", "// other\n"}});
  Result<ImportOutcome> conflict =
      ImportOne(context, FromLine(Line("foo", "1.0.0", Sha256Hex(other)), other));
  CHECK(conflict.status().code() == Code::kConflict);
  CHECK(conflict.status().message().find("is already here with other bytes") != std::string::npos);
  Actor reader = Actor::ForCli();
  CHECK(*registry.ReadCrate(reader, "foo", "1.0.0") == crate);
}

TEST_CASE_FIXTURE(ImportFixture, "imports bypass the feature limit and the reserved names") {
  nlohmann::json features = nlohmann::json::object();
  for (int i = 0; i < 400; ++i) features["f" + std::to_string(i)] = nlohmann::json::array();
  std::string crate = MakeCrateFile("com0", "1.0.0");
  std::string line = R"({"name":"com0","vers":"1.0.0","deps":[],"cksum":")" + Sha256Hex(crate) +
                     R"(","features":)" + features.dump() + R"(,"yanked":false})";
  Result<ImportOutcome> outcome = ImportOne(context, FromLine(line, crate));
  REQUIRE_MESSAGE(outcome.ok(), outcome.status().message());
}

TEST_CASE_FIXTURE(ImportFixture, "a run of many versions goes in batches, in order, refusals apart") {
  std::vector<SourceVersion> versions;
  std::string expected_a;
  for (int i = 0; i < 600; ++i) {
    std::string name = i % 2 == 0 ? "batch-a" : "batch-b";
    std::string vers = "1." + std::to_string(i) + ".0";
    std::string crate = MakeCrateFile(name, vers);
    std::string line = Line(name, vers, Sha256Hex(crate));
    if (name == "batch-a") expected_a += line + "\n";
    versions.push_back(FromLine(line, crate));
  }
  // One bad version in the middle of a batch.
  std::string good = MakeCrateFile("batch-c", "1.0.0");
  versions.insert(versions.begin() + 300, FromLine(Line("batch-c", "1.0.0", std::string(64, 'c')), good));
  size_t last_done = 0;
  ImportSummary summary = RunImport(context, versions, [&](size_t done, size_t total) {
    CHECK(done > last_done);
    CHECK(total == 601);
    last_done = done;
  });
  CHECK(last_done == 601);
  CHECK(summary.imported == 600);
  REQUIRE(summary.refused.size() == 1);
  CHECK(summary.refused[0].second.rfind("checksum mismatch", 0) == 0);
  CHECK(IndexBody("batch-a") == expected_a);
  CHECK(IndexBody("batch-c").empty());
  ImportSummary again = RunImport(context, versions, nullptr);
  CHECK(again.skipped == 600);
  CHECK(again.imported == 0);
  CHECK(again.refused.size() == 1);
}

TEST_CASE_FIXTURE(ImportFixture, "a dry run checks everything and writes nothing") {
  context.dry_run = true;
  std::string crate = MakeCrateFile("foo", "1.0.0");
  CHECK(*ImportOne(context, FromLine(Line("foo", "1.0.0", Sha256Hex(crate)), crate)) ==
        ImportOutcome::kImported);
  CHECK(IndexBody("foo").empty());
}

TEST_CASE_FIXTURE(ImportFixture, "a .crate directory's lines are rebuilt from Cargo.toml") {
  std::string root = dir.path() + "/crates";
  std::string crate = MakeCrateFile(
      "bar", "0.2.0",
      {{"README.md", "# Bar\n"}});
  WriteFile(root + "/bar-0.2.0.crate", crate);
  WriteFile(root + "/notes.txt", "ignored");
  Result<std::vector<SourceVersion>> listed = ListCrateDir(root);
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 1);
  ImportSummary summary = RunImport(context, *listed, nullptr);
  CHECK(summary.imported == 1);
  CHECK(summary.refused.empty());
  nlohmann::json line = nlohmann::json::parse(IndexBody("bar"));
  CHECK(line["name"] == "bar");
  CHECK(line["vers"] == "0.2.0");
  CHECK(line["cksum"] == Sha256Hex(crate));
  CHECK(line["pubtime"] == "2023-11-14T22:13:20Z");
  CHECK(RunImport(context, *listed, nullptr).skipped == 1);
}

TEST_CASE_FIXTURE(ImportFixture, "an index directory lists every line of every file but config.json") {
  std::string index = dir.path() + "/index";
  std::string a = MakeCrateFile("ab", "1.0.0"), b = MakeCrateFile("ab", "1.1.0");
  WriteFile(index + "/config.json", R"({"dl":"https://example.com/{crate}/{version}"})");
  WriteFile(index + "/2/ab", Line("ab", "1.0.0", Sha256Hex(a)) + "\n" +
                                 Line("ab", "1.1.0", Sha256Hex(b)) + "\n");
  WriteFile(index + "/.git/HEAD", "ref: refs/heads/main\n");
  WriteFile(index + "/.git/config",
            "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://git.example.com/index\n");
  std::string crates = dir.path() + "/files";
  WriteFile(crates + "/ab-1.0.0.crate", a);
  WriteFile(crates + "/ab/1.1.0/download", b);
  Result<std::vector<SourceVersion>> listed = ListIndexDir(index, DirCrateLoader(crates));
  REQUIRE(listed.ok());
  REQUIRE(listed->size() == 2);
  CHECK(*ReadIndexDl(index) == "https://example.com/{crate}/{version}");
  CHECK(GitOriginUrl(index) == "https://git.example.com/index");
  ImportSummary summary = RunImport(context, *listed, nullptr);
  CHECK(summary.imported == 2);
  CHECK(IndexBody("ab") == Line("ab", "1.0.0", Sha256Hex(a)) + "\n" +
                               Line("ab", "1.1.0", Sha256Hex(b)) + "\n");
}

TEST_CASE_FIXTURE(ImportFixture, "a missing .crate is refused by name and the rest go on") {
  std::string index = dir.path() + "/index";
  std::string a = MakeCrateFile("ab", "1.0.0");
  WriteFile(index + "/2/ab", Line("ab", "1.0.0", Sha256Hex(a)) + "\n" +
                                 Line("ab", "2.0.0", std::string(64, 'b')) + "\n");
  std::string crates = dir.path() + "/files";
  WriteFile(crates + "/ab-1.0.0.crate", a);
  Result<std::vector<SourceVersion>> listed = ListIndexDir(index, DirCrateLoader(crates));
  REQUIRE(listed.ok());
  ImportSummary summary = RunImport(context, *listed, nullptr);
  CHECK(summary.imported == 1);
  REQUIRE(summary.refused.size() == 1);
  CHECK(summary.refused[0].first == "ab 2.0.0");
  CHECK(FormatImportSummary(summary, false).rfind("imported 1, skipped 0 (already here), refused 1:\n  ab 2.0.0: no .crate", 0) == 0);
}

TEST_CASE_FIXTURE(ImportFixture, "a Kellnr data directory's rows become index lines") {
  std::string kellnr = dir.path() + "/kellnr";
  std::string crate = MakeCrateFile("kc", "0.1.0");
  WriteFile(kellnr + "/crates/kc-0.1.0.crate", crate);
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((kellnr + "/db.sqlite").c_str(), &db) == SQLITE_OK);
  std::string sql =
      "CREATE TABLE crate_index(id INTEGER PRIMARY KEY, name TEXT, vers TEXT, deps TEXT, "
      "cksum TEXT, features TEXT, yanked INTEGER, links TEXT, v INTEGER, pubtime TEXT);"
      "INSERT INTO crate_index(name, vers, deps, cksum, features, yanked, links, v, pubtime) "
      "VALUES('kc', '0.1.0', '[]', '" + Sha256Hex(crate) +
      "', '{\"std\":[]}', 1, NULL, 1, '2024-05-01 10:00:00.5');";
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  CHECK(IsKellnrDir(kellnr));
  Result<std::vector<SourceVersion>> listed = ListKellnrDir(kellnr);
  REQUIRE_MESSAGE(listed.ok(), listed.status().message());
  REQUIRE(listed->size() == 1);
  CHECK((*listed)[0].index_line ==
        R"({"name":"kc","vers":"0.1.0","deps":[],"cksum":")" + Sha256Hex(crate) +
            R"(","features":{"std":[]},"yanked":true,"links":null,"v":1,"pubtime":"2024-05-01T10:00:00Z"})");
  CHECK(RunImport(context, *listed, nullptr).imported == 1);
}

}  // namespace
}  // namespace registry
