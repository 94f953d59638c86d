// Tests for measuring a data directory's disk usage.
#include "app/data_dir_usage.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "test_util/temp_dir.h"

namespace registry {

static void WriteFile(const std::string& path, size_t size) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << std::string(size, 'x');
}

TEST_CASE("data dir usage: sums every blob and the database with its WAL files") {
  TempDir dir;
  WriteFile(dir.path() + "/blobs/ab/ab01", 100);
  WriteFile(dir.path() + "/blobs/ab/ab02", 20);
  WriteFile(dir.path() + "/blobs/cd/cd03", 3);
  WriteFile(dir.path() + "/registry.db", 4096);
  WriteFile(dir.path() + "/registry.db-wal", 1000);
  WriteFile(dir.path() + "/tmp/partial", 5000);  // not counted: a write in progress
  Result<DataDirUsage> usage = MeasureDataDir(dir.path());
  REQUIRE(usage.ok());
  CHECK(usage->blob_bytes == 123);
  CHECK(usage->database_bytes == 5096);
}

TEST_CASE("data dir usage: a directory without blobs/ is an Io error naming it") {
  TempDir dir;
  Result<DataDirUsage> usage = MeasureDataDir(dir.path());
  REQUIRE(!usage.ok());
  CHECK(usage.status().code() == Code::kIo);
  CHECK(usage.status().message().find(dir.path() + "/blobs") != std::string::npos);
}

}  // namespace registry
