// A registry database in a temporary directory with every migration applied, for tests.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "db/schema.h"
#include "db/sqlite.h"
#include "test_util/temp_dir.h"

namespace registry {

struct MigratedDatabase {
  TempDir dir;
  DatabasePool pool{dir.path() + "/registry.db"};

  MigratedDatabase() {
    auto db = pool.Acquire();
    if (!db.ok() || !Migrate(db->get()).ok()) {
      std::fputs("cannot create the test database\n", stderr);
      std::abort();
    }
  }
};

}  // namespace registry
