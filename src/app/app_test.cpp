// Tests for App::Open: the data directory layout, migration and cleanup of stale temp files.
#include "app/app.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_util/crate_builder.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

namespace fs = std::filesystem;

// Adds the member "alice" to `app` and publishes foo 1.0.0 as her.
void PublishFooAsAlice(App* app) {
  Result<User> added = app->users().Add(Actor::ForCli(), "alice", false);
  REQUIRE(added.ok());
  Actor alice = Actor::ForSession(*added, 1, "127.0.0.1");
  std::string body =
      MakePublishBody(R"({"name":"foo","vers":"1.0.0","deps":[]})", MakeCrateFile("foo", "1.0.0"));
  auto published = app->registry().Publish(alice, body);
  REQUIRE_MESSAGE(published.ok(), published.status().message());
}

TEST_CASE("Open creates a private data directory with its database, blobs/ and tmp/") {
  TempDir dir;
  const std::string data = dir.path() + "/nested/data";
  auto app = App::Open(data, RegistryOptions{});
  REQUIRE_MESSAGE(app.ok(), app.status().message());
  CHECK((*app)->data_dir() == data);
  CHECK(fs::is_directory(data + "/blobs"));
  CHECK(fs::is_directory(data + "/tmp"));
  CHECK(fs::exists(data + "/registry.db"));
  struct stat st {};
  REQUIRE(::stat(data.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
}

TEST_CASE("OpenExisting refuses a directory without a registry and creates nothing") {
  TempDir dir;
  const std::string typo = dir.path() + "/typo";
  auto missing = App::OpenExisting(typo, RegistryOptions{});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message() ==
        "no registry in `" + typo + "`: check the path, or start one with `registry serve --data " +
            typo + "`");
  CHECK_FALSE(fs::exists(typo));
  // An empty directory (made by hand, or a mount point) is not a registry either.
  auto empty = App::OpenExisting(dir.path(), RegistryOptions{});
  CHECK_FALSE(empty.ok());
  CHECK_FALSE(fs::exists(dir.path() + "/registry.db"));
  REQUIRE(App::Open(dir.path(), RegistryOptions{}).ok());
  CHECK(App::OpenExisting(dir.path(), RegistryOptions{}).ok());
}

TEST_CASE("reopening a data directory keeps its users and crates") {
  TempDir dir;
  {
    auto app = App::Open(dir.path(), RegistryOptions{});
    REQUIRE(app.ok());
    PublishFooAsAlice(app->get());
  }
  auto app = App::Open(dir.path(), RegistryOptions{});
  REQUIRE_MESSAGE(app.ok(), app.status().message());
  Result<User> alice = (*app)->users().Find("alice");
  REQUIRE(alice.ok());
  Actor reader = Actor::ForSession(*alice, 1, "127.0.0.1");
  CHECK((*app)->registry().ReadIndexFile(reader, "foo").ok());
  CHECK((*app)->registry().ReadCrate(reader, "foo", "1.0.0").ok());
}

TEST_CASE("Open removes temp files older than an hour and keeps younger ones") {
  TempDir dir;
  REQUIRE(App::Open(dir.path(), RegistryOptions{}).ok());
  const std::string stale = dir.path() + "/tmp/stale";
  const std::string young = dir.path() + "/tmp/young";
  std::ofstream(stale) << "left by a crash";
  std::ofstream(young) << "being written now";
  fs::last_write_time(stale, fs::file_time_type::clock::now() - std::chrono::hours(2));
  fs::last_write_time(young, fs::file_time_type::clock::now() - std::chrono::minutes(5));

  REQUIRE(App::Open(dir.path(), RegistryOptions{}).ok());
  CHECK_FALSE(fs::exists(stale));
  CHECK(fs::exists(young));
}

TEST_CASE("Open removes young temp files of dead writers and keeps those of live ones") {
  TempDir dir;
  REQUIRE(App::Open(dir.path(), RegistryOptions{}).ok());
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  REQUIRE(child > 0);
  ::waitpid(child, nullptr, 0);
  const std::string dead = dir.path() + "/tmp/" + std::to_string(child) + "-ab.tmp";
  const std::string live = dir.path() + "/tmp/" + std::to_string(::getppid()) + "-cd.tmp";
  const std::string mine = dir.path() + "/tmp/" + std::to_string(::getpid()) + "-ef.tmp";
  for (const std::string& f : {dead, live, mine}) std::ofstream(f) << "partial";

  REQUIRE(App::Open(dir.path(), RegistryOptions{}).ok());
  CHECK_FALSE(fs::exists(dead));
  CHECK(fs::exists(live));
  CHECK_FALSE(fs::exists(mine));  // this PID writes nothing before Open: a previous run left it
}

TEST_CASE("Open builds the stored index files of crates published before they were stored") {
  TempDir dir;
  {
    auto app = App::Open(dir.path(), RegistryOptions{});
    REQUIRE(app.ok());
    PublishFooAsAlice(app->get());
    auto db = (*app)->pool().Acquire();
    REQUIRE(db.ok());
    // As a schema-3 database: no stored index files, and no mark that they were built.
    REQUIRE(
        (*db)
            ->Exec("DELETE FROM index_files; DELETE FROM settings WHERE key = 'index_files_built'")
            .ok());
  }
  auto app = App::Open(dir.path(), RegistryOptions{});
  REQUIRE(app.ok());
  Actor reader = Actor::ForSession(*(*app)->users().Find("alice"), 1, "127.0.0.1");
  auto file = (*app)->registry().ReadIndexFile(reader, "foo");
  REQUIRE(file.ok());
  CHECK((*file)->body.find(R"("name":"foo","vers":"1.0.0")") != std::string::npos);
}

}  // namespace
}  // namespace registry
