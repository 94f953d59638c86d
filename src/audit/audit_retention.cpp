// PruneAudit: one transaction that lifts the append-only trigger, deletes, restores it and
// records the prune.
#include "audit/audit_retention.h"

#include <string>

#include "audit/audit_log.h"

namespace registry {

// As in the schema (db/schema.cpp): the trigger that makes DELETE fail.
static constexpr const char* kNoDeleteTrigger =
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

Status PruneAudit(Database* db, const Actor& by, int64_t before, int64_t now, int64_t* removed) {
  *removed = 0;
  if (before > now) {
    return Status::Invalid("--before must not be in the future");
  }
  Transaction tx(db);
  RETURN_IF_ERROR(tx.status());
  // Other connections see the trigger gone only if this commits, and then it is back.
  RETURN_IF_ERROR(db->Exec("DROP TRIGGER audit_no_delete"));
  Statement del = db->Prepare("DELETE FROM audit WHERE at < ?1");
  del.Bind(1, before);
  RETURN_IF_ERROR(del.Run());
  *removed = db->Changes();
  RETURN_IF_ERROR(db->Exec(kNoDeleteTrigger));
  RETURN_IF_ERROR(
      AppendAudit(db, by, now, "audit-prune", "audit log",
                  std::to_string(*removed) + " rows before " + FormatUtc(before) + " removed"));
  return tx.Commit();
}

}  // namespace registry
