// Tests for backup archives: round trip, refusal of damaged archives and non-empty targets.
#include "maintenance/backup.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "test_util/crate_builder.h"
#include "test_util/docs_archive_builder.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

namespace fs = std::filesystem;

struct BackupFixture {
  BackupFixture() {
    auto opened = App::Open(dir.path() + "/data", RegistryOptions{});
    REQUIRE(opened.ok());
    app = std::move(*opened);
    auto user = app->users().Add(Actor::ForCli(), "alice", false);
    REQUIRE(user.ok());
    alice = Actor::ForSession(*user, 1, "127.0.0.1");
    for (const char* vers : {"1.0.0", "1.1.0", "2.0.0"}) {
      std::string meta = std::string(R"({"name":"foo","vers":")") + vers + R"(","deps":[]})";
      REQUIRE(
          app->registry().Publish(alice, MakePublishBody(meta, MakeCrateFile("foo", vers))).ok());
    }
  }
  TempDir dir;
  std::unique_ptr<App> app;
  Actor alice;
};

TEST_CASE_FIXTURE(BackupFixture, "a backup restores into a working registry with every version") {
  std::string archive = dir.path() + "/b.cpio.zst";
  auto stats = Backup(app.get(), archive, nullptr);
  REQUIRE_MESSAGE(stats.ok(), stats.status().message());
  CHECK(stats->versions == 3);
  CHECK(stats->blobs == 3);
  CHECK(fs::exists(archive));
  CHECK_FALSE(fs::exists(archive + ".partial"));

  auto restored = Restore(archive, dir.path() + "/new", nullptr);
  REQUIRE_MESSAGE(restored.ok(), restored.status().message());
  CHECK(restored->versions == 3);
  auto copy = App::Open(dir.path() + "/new", RegistryOptions{});
  REQUIRE(copy.ok());
  auto file = (*copy)->registry().ReadIndexFile(alice, "foo");
  REQUIRE(file.ok());
  auto original = app->registry().ReadIndexFile(alice, "foo");
  REQUIRE(original.ok());
  CHECK((*file)->body == (*original)->body);
  CHECK((*copy)->registry().ReadCrate(alice, "foo", "2.0.0").ok());
  CHECK((*copy)->users().Find("alice").ok());
  auto report = CheckDataDir(copy->get(), CheckOptions{}, nullptr);
  REQUIRE(report.ok());
  CHECK(report->Clean());
}

TEST_CASE_FIXTURE(BackupFixture, "hosted docs are backed up, restored and checked") {
  std::vector<DocsEntry> tree = MinimalDocsTree("foo");
  REQUIRE(app->registry().UploadDocs(alice, "foo", "1.0.0", MakeDocsArchive(tree), {}).ok());
  tree[1].data = "<p>the docs of 2.0.0";
  REQUIRE(app->registry().UploadDocs(alice, "foo", "2.0.0", MakeDocsArchive(tree), {}).ok());
  auto report = CheckDataDir(app.get(), CheckOptions{}, nullptr);
  REQUIRE(report.ok());
  CHECK(report->Clean());
  CHECK(report->doc_files == 6);
  CHECK(report->doc_blobs == 4);

  std::string archive = dir.path() + "/b.cpio.zst";
  auto stats = Backup(app.get(), archive, nullptr);
  REQUIRE_MESSAGE(stats.ok(), stats.status().message());
  CHECK(stats->doc_blobs == 4);
  auto restored = Restore(archive, dir.path() + "/new", nullptr);
  REQUIRE_MESSAGE(restored.ok(), restored.status().message());
  CHECK(restored->doc_blobs == 4);
  auto copy = App::Open(dir.path() + "/new", RegistryOptions{});
  REQUIRE(copy.ok());
  auto page = (*copy)->registry().ReadDocsFile(alice, "foo", "2.0.0", "foo/index.html");
  REQUIRE_MESSAGE(page.ok(), page.status().message());
  CHECK(RealFileSystem()->ReadFile(page->path).value().find("the docs of 2.0.0") !=
        std::string::npos);

  // A lost docs file: check names the version, and backup refuses to copy the gap.
  fs::remove(page->path);
  auto damaged = CheckDataDir(copy->get(), CheckOptions{}, nullptr);
  REQUIRE(damaged.ok());
  REQUIRE(damaged->problems.size() == 1);
  CHECK(damaged->problems[0].what.find("foo 2.0.0: docs file foo/index.html: missing") !=
        std::string::npos);
  CHECK_FALSE(Backup(copy->get(), dir.path() + "/c.cpio.zst", nullptr).ok());
}

TEST_CASE_FIXTURE(BackupFixture, "restore refuses a directory that is not empty") {
  std::string archive = dir.path() + "/b.cpio.zst";
  REQUIRE(Backup(app.get(), archive, nullptr).ok());
  auto st = Restore(archive, dir.path() + "/data", nullptr);
  CHECK(st.status().code() == Code::kInvalid);
  CHECK(app->registry().ReadCrate(alice, "foo", "1.0.0").ok());
}

TEST_CASE_FIXTURE(BackupFixture, "a damaged or truncated archive is refused and leaves nothing") {
  std::string archive = dir.path() + "/b.cpio.zst";
  REQUIRE(Backup(app.get(), archive, nullptr).ok());
  std::string bytes;
  {
    std::ifstream in(archive, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  struct Case {
    const char* name;
    std::string data;
  };
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x5a;
  const Case cases[] = {{"flipped", flipped},
                        {"truncated", bytes.substr(0, bytes.size() * 2 / 3)},
                        {"not an archive", "hello"}};
  for (const Case& c : cases) {
    CAPTURE(c.name);
    std::string path = dir.path() + "/bad-" + std::string(c.name);
    std::ofstream(path, std::ios::binary) << c.data;
    std::string target = dir.path() + "/target-" + std::string(c.name);
    auto st = Restore(path, target, nullptr);
    CHECK_FALSE(st.ok());
    CHECK((!fs::exists(target) || fs::is_empty(target)));
  }
}

}  // namespace
}  // namespace registry
