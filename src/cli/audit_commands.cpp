// `registry audit` prints the audit log; `registry audit prune` removes rows older than
// --before, recording the prune.
#include "cli/audit_commands.h"

#include <cstdio>

#include "audit/audit_log.h"
#include "audit/audit_retention.h"
#include "base/clock.h"

namespace registry {

namespace {

int Audit(const ParsedArgs& args) {
  AuditQuery query;
  query.limit = 1000000;
  if (!args.Get("--since").empty()) {
    Result<int64_t> since = ParseSince(args.Get("--since"), SystemClock().Now());
    if (!since.ok()) return UsageError("audit", since.status());
    query.since = *since;
  }
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  Result<std::vector<AuditEvent>> events = (*app)->audit().Read(query);
  if (!events.ok()) return Fail(events.status());
  for (const AuditEvent& e : *events) std::printf("%s\n", FormatAuditLine(e).c_str());
  return 0;
}

int AuditPrune(const ParsedArgs& args) {
  int64_t now = SystemClock().Now();
  Result<int64_t> before = ParseSince(args.Get("--before"), now);
  if (!before.ok()) return UsageError("audit prune", before.status());
  Result<std::unique_ptr<App>> app = OpenApp(args);
  if (!app.ok()) return Fail(app.status());
  auto db = (*app)->pool().Acquire();
  if (!db.ok()) return Fail(db.status());
  int64_t removed = 0;
  Status st = PruneAudit(db->get(), Actor::ForCli(), *before, now, &removed);
  if (!st.ok()) return Fail(st);
  std::fprintf(stderr, "removed %lld audit rows before %s\n", static_cast<long long>(removed),
               FormatUtc(*before).c_str());
  return 0;
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {
      {{"audit",
        {"--data", "--since"},
        {},
        {"--data"},
        0,
        0,
        "registry audit --data DIR [--since 7d|2026-11-01|2026-11-01T10:00:00Z]",
        "print the audit log of every state change, oldest first"},
       Audit},
      {{"audit prune",
        {"--data", "--before"},
        {},
        {"--data", "--before"},
        0,
        0,
        "registry audit prune --data DIR --before 365d|2026-01-01|2026-01-01T00:00:00Z",
        "remove audit rows older than the date (the prune itself is audited)"},
       AuditPrune},
  };
}

}  // namespace registry
