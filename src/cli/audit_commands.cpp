// `registry audit prune`: removes audit rows older than --before, recording the prune.
#include "cli/audit_commands.h"

#include <cstdio>

#include "app/app.h"
#include "audit/audit_log.h"
#include "audit/audit_retention.h"
#include "base/clock.h"

namespace registry {

int AuditPruneCommand(const ParsedArgs& args) {
  auto fail = [](const Status& st) {
    std::fprintf(stderr, "error: %s\n", st.message().c_str());
    return 1;
  };
  int64_t now = SystemClock().Now();
  Result<int64_t> before = ParseSince(args.Get("--before"), now);
  if (!before.ok()) return fail(before.status());
  Result<std::unique_ptr<App>> app = App::Open(args.Get("--data"), RegistryOptions{});
  if (!app.ok()) return fail(app.status());
  auto db = (*app)->pool().Acquire();
  if (!db.ok()) return fail(db.status());
  int64_t removed = 0;
  Status st = PruneAudit(db->get(), Actor::ForCli(), *before, now, &removed);
  if (!st.ok()) return fail(st);
  std::fprintf(stderr, "removed %lld audit rows before %s\n", static_cast<long long>(removed),
               FormatUtc(*before).c_str());
  return 0;
}

}  // namespace registry
