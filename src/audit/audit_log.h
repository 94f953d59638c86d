// The append-only audit log: one row per state change (publish, yank, owners, tokens,
// users, logins), written in the same transaction as the change it records.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

struct AuditEvent {
  int64_t id = 0;
  int64_t at = 0;        // Unix seconds
  std::string actor;     // login; "" for the operator at the command line or nobody
  int64_t actor_id = 0;  // users.id, 0 when none
  int64_t token_id = 0;  // tokens.id used, 0 when none
  std::string address;   // client address, or "cli:$USER"
  std::string action;    // "publish", "yank", "token-create", "login-failed", ...
  std::string target;    // what was acted on: "serde@1.0.0", "user bob", "token 12"
  std::string detail;    // free text; never a secret
};

// Appends a row. Call inside the transaction of the change, so both commit or neither.
Status AppendAudit(Database* db, const Actor& actor, int64_t now, std::string_view action,
                   std::string_view target, std::string_view detail = "");
Status AppendAuditEvent(Database* db, const AuditEvent& event);

// Every filter left at its default matches every event.
struct AuditQuery {
  int64_t since = 0;      // events at or after this time
  int64_t limit = 1000;   // newest first when limited
  int64_t until = 0;      // events before this time; 0: no bound
  int64_t before_id = 0;  // events with a smaller id (the next page back); 0: no bound
  std::string actor;      // events by this login (case-insensitive); "": anyone
  std::string action;     // events of this action; "": any
  std::string crate;      // events on this crate ("serde" or "serde@..."; case-insensitive)
};

// The newest `limit` events matching every filter of `query`, oldest first.
Result<std::vector<AuditEvent>> ReadAudit(Database* db, const AuditQuery& query);

// Reading the log through a connection pool. Thread-safe; `pool` must outlive it.
class AuditLog {
 public:
  explicit AuditLog(DatabasePool* pool) : pool_(pool) {}
  Result<std::vector<AuditEvent>> Read(const AuditQuery& query);

 private:
  DatabasePool* pool_;
};

// "2026-11-24T10:00:00Z  publish  alice  127.0.0.1  serde@1.0.0  (detail)"
std::string FormatAuditLine(const AuditEvent& event);
std::string FormatUtc(int64_t unix_seconds);  // "2026-11-24T10:00:00Z"

}  // namespace registry
