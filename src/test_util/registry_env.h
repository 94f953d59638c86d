// A Registry over a fresh, migrated data directory in a temp dir (real SQLite and blob
// store, fake clock), for tests of what is built on the registry (import, export).
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "auth/users.h"
#include "base/clock.h"
#include "db/schema.h"
#include "db/sqlite.h"
#include "registry/registry.h"
#include "storage/blob_store.h"
#include "storage/file_system.h"
#include "test_util/temp_dir.h"

namespace registry {

class RegistryEnv {
 protected:
  RegistryEnv() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    REQUIRE(blobs.Init().ok());
    REQUIRE(doc_blobs.Init().ok());
  }

  TempDir dir;
  DatabasePool pool{dir.path() + "/registry.db"};
  BlobStore blobs{dir.path(), RealFileSystem()};
  BlobStore doc_blobs{dir.path() + "/docs", RealFileSystem()};
  FakeClock clock{1700000000};  // 2023-11-14T22:13:20Z
  Users users{&pool, &clock};
  Registry registry{&pool, &blobs, &clock, RegistryOptions{}, &doc_blobs};
};

}  // namespace registry
