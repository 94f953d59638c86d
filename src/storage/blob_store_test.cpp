// Tests for the content-addressed blob store, including injected write failures.
#include "storage/blob_store.h"

#include <doctest/doctest.h>

#include <fstream>

#include "base/crypto.h"
#include "test_util/full_disk_file_system.h"
#include "test_util/temp_dir.h"

namespace registry {

TEST_CASE("a stored blob reads back verified") {
  TempDir dir;
  BlobStore store(dir.path(), RealFileSystem());
  REQUIRE(store.Init().ok());
  std::string sum = Sha256Hex("crate bytes");
  REQUIRE(store.Put(sum, "crate bytes").ok());
  auto got = store.Get(sum);
  REQUIRE(got.ok());
  CHECK(*got == "crate bytes");
  CHECK(store.PathOf(sum) == dir.path() + "/blobs/" + sum.substr(0, 2) + "/" + sum);
}

TEST_CASE("blobs put unsynced are in place and Sync flushes them") {
  TempDir dir;
  BlobStore store(dir.path(), RealFileSystem());
  REQUIRE(store.Init().ok());
  std::string a = Sha256Hex("first"), b = Sha256Hex("second");
  REQUIRE(store.PutUnsynced(a, "first").ok());
  REQUIRE(store.PutUnsynced(b, "second").ok());
  REQUIRE(store.PutUnsynced(a, "first").ok());  // already there: nothing written
  REQUIRE(store.Sync().ok());
  CHECK(*store.Get(a) == "first");
  CHECK(*store.Get(b) == "second");
}

TEST_CASE("a full disk fails an unsynced put too") {
  TempDir dir;
  FullDiskFileSystem fs;
  BlobStore store(dir.path(), &fs);
  REQUIRE(store.Init().ok());
  fs.full = true;
  CHECK(store.PutUnsynced(Sha256Hex("x"), "x").code() == Code::kNoSpace);
}

TEST_CASE("a missing blob is NotFound") {
  TempDir dir;
  BlobStore store(dir.path(), RealFileSystem());
  REQUIRE(store.Init().ok());
  CHECK(store.Get(Sha256Hex("nothing")).status().code() == Code::kNotFound);
}

TEST_CASE("a removed blob is gone; removing it again is Ok") {
  TempDir dir;
  BlobStore store(dir.path(), RealFileSystem());
  REQUIRE(store.Init().ok());
  std::string sum = Sha256Hex("evicted");
  REQUIRE(store.Put(sum, "evicted").ok());
  CHECK(store.Remove(sum).ok());
  CHECK(store.Get(sum).status().code() == Code::kNotFound);
  CHECK(store.Remove(sum).ok());
  CHECK(store.Remove("../x").code() == Code::kInternal);
}

TEST_CASE("a blob altered on disk is reported Corrupt, never returned") {
  TempDir dir;
  BlobStore store(dir.path(), RealFileSystem());
  REQUIRE(store.Init().ok());
  std::string sum = Sha256Hex("original");
  REQUIRE(store.Put(sum, "original").ok());
  std::ofstream(store.PathOf(sum), std::ios::trunc) << "tampered";
  auto got = store.Get(sum);
  CHECK(got.status().code() == Code::kCorrupt);
  CHECK(got.status().message() == "stored crate file " + store.PathOf(sum) +
                                      " is corrupt: its SHA-256 is " + Sha256Hex("tampered") +
                                      ", expected " + sum);
}

TEST_CASE("a full disk fails the put and leaves no blob behind") {
  TempDir dir;
  FullDiskFileSystem fs;
  BlobStore store(dir.path(), &fs);
  REQUIRE(store.Init().ok());
  fs.full = true;
  std::string sum = Sha256Hex("data");
  CHECK(store.Put(sum, "data").code() == Code::kNoSpace);
  CHECK_FALSE(fs.Exists(store.PathOf(sum)));
}

}  // namespace registry
