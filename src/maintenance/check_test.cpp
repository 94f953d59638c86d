// Tests for `registry check`: a real data directory, damaged on purpose.
#include "maintenance/check.h"

#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "base/crypto.h"
#include "test_util/crate_builder.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

namespace fs = std::filesystem;

struct CheckFixture {
  CheckFixture() {
    auto opened = App::Open(dir.path(), RegistryOptions{});
    REQUIRE(opened.ok());
    app = std::move(*opened);
    auto user = app->users().Add(Actor::ForCli(), "alice", false);
    REQUIRE(user.ok());
    alice = Actor::ForSession(*user, 1, "127.0.0.1");
    for (const char* name : {"one", "two"}) {
      std::string meta = std::string(R"({"name":")") + name + R"(","vers":"1.0.0","deps":[]})";
      auto p = app->registry().Publish(alice, MakePublishBody(meta, MakeCrateFile(name, "1.0.0")));
      REQUIRE(p.ok());
      cksums.push_back(p->cksum);
    }
  }
  CheckReport Run(bool repair = false) {
    CheckOptions options;
    options.repair = repair;
    auto report = CheckDataDir(app.get(), options, nullptr);
    REQUIRE(report.ok());
    return *report;
  }
  std::string BlobPath(size_t i) { return app->blobs().PathOf(cksums[i]); }

  TempDir dir;
  std::unique_ptr<App> app;
  Actor alice;
  std::vector<std::string> cksums;
};

TEST_CASE_FIXTURE(CheckFixture, "check finds a healthy data directory clean") {
  CheckReport r = Run();
  CHECK(r.Clean());
  CHECK(r.problems.empty());
  CHECK(r.versions == 2);
  CHECK(r.blobs == 2);
  CHECK(FormatCheckReport(r).find("\nclean\n") != std::string::npos);
}

TEST_CASE_FIXTURE(CheckFixture, "check reports a corrupt blob and cannot repair it") {
  std::ofstream(BlobPath(0), std::ios::binary | std::ios::trunc) << "tampered";
  CheckReport r = Run(/*repair=*/true);
  CHECK_FALSE(r.Clean());
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].what.find("one 1.0.0: stored crate file") == 0);
  CHECK(r.problems[0].what.find("is corrupt") != std::string::npos);
  CHECK_FALSE(r.problems[0].repaired);
}

TEST_CASE_FIXTURE(CheckFixture, "check reports a missing blob") {
  fs::remove(BlobPath(1));
  CheckReport r = Run();
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].what.find("two 1.0.0: its .crate file is missing") == 0);
  CHECK(FormatCheckReport(r).find("1 problem(s)") != std::string::npos);
}

TEST_CASE_FIXTURE(CheckFixture, "check leaves a recent unreferenced blob alone") {
  std::string orphan = app->data_dir() + "/blobs/ab/ab" + std::string(62, '0');
  fs::create_directories(fs::path(orphan).parent_path());
  std::ofstream(orphan) << "from a publish in flight";
  CheckReport r = Run(/*repair=*/true);
  CHECK(r.Clean());
  CHECK(r.recent_orphans == 1);
  CHECK(fs::exists(orphan));
}

TEST_CASE_FIXTURE(CheckFixture, "check --repair removes an old unreferenced blob") {
  std::string orphan = app->data_dir() + "/blobs/ab/ab" + std::string(62, '0');
  fs::create_directories(fs::path(orphan).parent_path());
  std::ofstream(orphan) << "left by a failed publish";
  fs::last_write_time(orphan, fs::file_time_type::clock::now() - std::chrono::hours(2));
  CheckReport found = Run();
  CHECK_FALSE(found.Clean());
  REQUIRE(found.problems.size() == 1);
  CHECK(found.problems[0].repairable);
  CheckReport repaired = Run(/*repair=*/true);
  CHECK(repaired.Clean());
  CHECK_FALSE(fs::exists(orphan));
  CHECK(FormatCheckReport(repaired).find("clean after repair") != std::string::npos);
}

TEST_CASE_FIXTURE(CheckFixture, "check --repair fixes an index line whose yanked flag is wrong") {
  {
    auto db = app->pool().Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)
                ->Exec("UPDATE versions SET yanked = 1 WHERE vers = '1.0.0' AND "
                       "crate_id = (SELECT id FROM crates WHERE name = 'one')")
                .ok());
  }
  CHECK_FALSE(Run().Clean());
  CHECK(Run(/*repair=*/true).Clean());
  CHECK(Run().problems.empty());
  auto file = app->registry().ReadIndexFile(alice, "one");
  REQUIRE(file.ok());
  CHECK((*file)->body.find("\"yanked\":true") != std::string::npos);
}

TEST_CASE_FIXTURE(CheckFixture, "check --repair rebuilds a stale stored index file") {
  {
    auto db = app->pool().Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("UPDATE index_files SET body = 'stale' WHERE lower_name = 'one'").ok());
  }
  CheckReport found = Run();
  REQUIRE(found.problems.size() == 1);
  CHECK(found.problems[0].what == "one: the stored index file does not match its versions");
  CHECK(Run(/*repair=*/true).Clean());
  CHECK(Run().problems.empty());
  auto file = app->registry().ReadIndexFile(alice, "one");
  REQUIRE(file.ok());
  CHECK((*file)->body.find("\"name\":\"one\"") != std::string::npos);
}

TEST_CASE_FIXTURE(CheckFixture, "check reports an index line naming another checksum") {
  auto db = app->pool().Acquire();
  REQUIRE(db.ok());
  REQUIRE((*db)
              ->Exec("UPDATE versions SET index_line = replace(index_line, cksum, '00') "
                     "WHERE crate_id = (SELECT id FROM crates WHERE name = 'two')")
              .ok());
  CheckReport r = Run(/*repair=*/true);
  REQUIRE(r.problems.size() == 2);
  CHECK(r.problems[0].what == "two 1.0.0: the index line names another crate, version or checksum");
  // The stored file still holds the good line and is not rebuilt from the bad one.
  CHECK(r.problems[1].what == "two: the stored index file does not match its versions");
  CHECK_FALSE(r.problems[1].repaired);
  auto file = app->registry().ReadIndexFile(alice, "two");
  REQUIRE(file.ok());
  CHECK((*file)->body.find(cksums[1]) != std::string::npos);
}


TEST_CASE_FIXTURE(CheckFixture, "check verifies the mirror's blobs and never removes them") {
  std::string bytes = "a crates.io .crate";
  std::string cksum = Sha256Hex(bytes);
  REQUIRE(app->blobs().Put(cksum, bytes).ok());
  fs::last_write_time(app->blobs().PathOf(cksum),
                      fs::file_time_type::clock::now() - std::chrono::hours(2));
  auto db = app->pool().Acquire();
  REQUIRE(db.ok());
  Statement st = (*db)->Prepare(
      "INSERT INTO mirror_crates(lower_name, vers, cksum, size, fetched_at) "
      "VALUES('itoa', '1.0.1', ?1, 18, 0)");
  st.Bind(1, cksum);
  REQUIRE(st.Run().ok());
  CheckReport r = Run(/*repair=*/true);
  CHECK(r.Clean());
  CHECK(fs::exists(app->blobs().PathOf(cksum)));
  std::ofstream(app->blobs().PathOf(cksum), std::ios::binary | std::ios::trunc) << "tampered";
  CheckReport bad = Run();
  REQUIRE(bad.problems.size() == 1);
  CHECK(bad.problems[0].what.rfind("crates.io mirror: itoa 1.0.1: ", 0) == 0);
}

}  // namespace
}  // namespace registry
