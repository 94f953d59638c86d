// Tests for PruneAudit: what it removes, that it is audited, and that the log stays
// append-only around it.
#include "audit/audit_retention.h"

#include <doctest/doctest.h>

#include "audit/audit_log.h"
#include "test_util/auth_db.h"

namespace registry {
namespace {

TEST_CASE("PruneAudit removes rows before the date, records itself and keeps DELETE refused") {
  AuthDb t;
  auto db = t.pool.Acquire();
  REQUIRE(db.ok());
  for (int64_t at : {100, 200, 300}) {
    REQUIRE(AppendAudit(db->get(), Actor::ForCli(), at, "publish", "foo@1.0." + std::to_string(at))
                .ok());
  }
  int64_t removed = 0;
  REQUIRE(PruneAudit(db->get(), Actor::ForCli(), 250, 1000, &removed).ok());
  CHECK(removed == 2);
  std::vector<AuditEvent> events = t.Audit();
  REQUIRE(events.size() == 2);
  CHECK(events[0].target == "foo@1.0.300");
  CHECK(events[1].action == "audit-prune");
  CHECK(events[1].at == 1000);
  CHECK(events[1].detail == "2 rows before 1970-01-01T00:04:10Z removed");
  // Append-only again afterwards.
  CHECK_FALSE((*db)->Exec("DELETE FROM audit").ok());
  CHECK_FALSE((*db)->Exec("UPDATE audit SET detail = 'x'").ok());
  CHECK(t.Audit().size() == 2);
}

TEST_CASE("PruneAudit refuses a date in the future and changes nothing") {
  AuthDb t;
  auto db = t.pool.Acquire();
  REQUIRE(db.ok());
  REQUIRE(AppendAudit(db->get(), Actor::ForCli(), 100, "publish", "foo@1.0.0").ok());
  int64_t removed = 0;
  Status st = PruneAudit(db->get(), Actor::ForCli(), 2000, 1000, &removed);
  CHECK(st.code() == Code::kInvalid);
  CHECK(t.Audit().size() == 1);
}

}  // namespace
}  // namespace registry
