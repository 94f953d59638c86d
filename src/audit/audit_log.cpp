// Audit rows in SQLite; triggers in the schema refuse UPDATE and DELETE on them.
#include "audit/audit_log.h"

#include "base/display_text.h"

#include <ctime>

namespace registry {

Status AppendAuditEvent(Database* db, const AuditEvent& e) {
  Statement st = db->Prepare(
      "INSERT INTO audit(at, actor, actor_id, token_id, address, action, target, detail) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  st.Bind(1, e.at).Bind(2, e.actor);
  if (e.actor_id) {
    st.Bind(3, e.actor_id);
  } else {
    st.BindNull(3);
  }
  if (e.token_id) {
    st.Bind(4, e.token_id);
  } else {
    st.BindNull(4);
  }
  st.Bind(5, e.address).Bind(6, e.action).Bind(7, e.target).Bind(8, e.detail);
  return st.Run();
}

Status AppendAudit(Database* db, const Actor& actor, int64_t now, std::string_view action,
                   std::string_view target, std::string_view detail) {
  AuditEvent e;
  e.at = now;
  e.actor = actor.user.login;
  e.actor_id = actor.user.id;
  e.token_id = actor.token_id;
  e.address = actor.address;
  e.action = std::string(action);
  e.target = std::string(target);
  e.detail = std::string(detail);
  return AppendAuditEvent(db, e);
}

Result<std::vector<AuditEvent>> ReadAudit(Database* db, const AuditQuery& query) {
  // An empty filter matches everything, so one statement serves every combination.
  Statement st = db->Prepare(
      "SELECT * FROM (SELECT id, at, actor, coalesce(actor_id, 0), coalesce(token_id, 0), "
      "address, action, target, detail FROM audit WHERE at >= ?1 AND (?3 = 0 OR at < ?3) "
      "AND (?4 = 0 OR id < ?4) AND (?5 = '' OR lower(actor) = lower(?5)) "
      "AND (?6 = '' OR action = ?6) "
      "AND (?7 = '' OR lower(target) = lower(?7) OR "
      "     lower(substr(target, 1, length(?7) + 1)) = lower(?7) || '@') "
      "ORDER BY id DESC LIMIT ?2) ORDER BY id");
  st.Bind(1, query.since).Bind(2, query.limit).Bind(3, query.until).Bind(4, query.before_id);
  st.Bind(5, query.actor).Bind(6, query.action).Bind(7, query.crate);
  std::vector<AuditEvent> events;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    AuditEvent e;
    e.id = st.Int(0);
    e.at = st.Int(1);
    e.actor = st.Text(2);
    e.actor_id = st.Int(3);
    e.token_id = st.Int(4);
    e.address = st.Text(5);
    e.action = st.Text(6);
    e.target = st.Text(7);
    e.detail = st.Text(8);
    events.push_back(std::move(e));
  }
  return events;
}

Result<std::vector<AuditEvent>> AuditLog::Read(const AuditQuery& query) {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  return ReadAudit(db->get(), query);
}

std::string FormatUtc(int64_t unix_seconds) {
  std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string FormatAuditLine(const AuditEvent& e) {
  // Fields hold client text (a failed sign-in's login, an address): escaped, so none can
  // print a second, forged line or send escape sequences to the operator's terminal.
  std::string line = FormatUtc(e.at) + "  " + EscapeForDisplay(e.action) + "  " +
                     (e.actor.empty() ? std::string("-") : EscapeForDisplay(e.actor)) + "  " +
                     EscapeForDisplay(e.address);
  if (!e.target.empty()) line += "  " + EscapeForDisplay(e.target);
  if (!e.detail.empty()) line += "  (" + EscapeForDisplay(e.detail) + ")";
  return line;
}

}  // namespace registry
