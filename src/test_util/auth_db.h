// A fresh, migrated registry database in a temp directory with a fake clock, for tests of
// users, tokens, sessions and the audit log.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "base/clock.h"
#include "db/schema.h"
#include "db/sqlite.h"
#include "test_util/temp_dir.h"

namespace registry {

constexpr int64_t kAuthTestStart = 1790000000;  // 2026-09-21T14:13:20Z

class AuthDb {
 public:
  AuthDb() : pool(dir.path() + "/registry.db"), clock(kAuthTestStart) {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
  }

  // Every audit row, oldest first.
  std::vector<AuditEvent> Audit() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    AuditQuery all;
    all.limit = 1000000;
    Result<std::vector<AuditEvent>> events = ReadAudit(db->get(), all);
    REQUIRE(events.ok());
    return *events;
  }

  // The newest audit row with `action`; REQUIREs that there is one.
  AuditEvent LastAudit(const std::string& action) {
    std::vector<AuditEvent> events = Audit();
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
      if (it->action == action) return *it;
    }
    FAIL("no audit row with action " << action);
    return {};
  }

  // The raw bytes of registry.db, registry.db-wal and registry.db-shm, as they are on disk now
  // (call while the pool is open, so recent writes are still in the WAL).
  std::string DatabaseBytes() const {
    std::string all;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::ifstream in(dir.path() + "/registry.db" + suffix, std::ios::binary);
      all.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return all;
  }

  TempDir dir;  // first: the pool's file lives in it
  DatabasePool pool;
  FakeClock clock;
};

}  // namespace registry
