// Tests for the append-only audit log on a real SQLite database in a temp directory.
#include "audit/audit_log.h"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "test_util/auth_db.h"

namespace registry {
namespace {

constexpr int64_t kT = 1795000000;  // 2026-11-18T11:06:40Z

class AuditFixture : public AuthDb {
 protected:
  AuditFixture() {
    auto lease = pool.Acquire();
    REQUIRE(lease.ok());
    db = std::make_unique<DatabasePool::Lease>(std::move(*lease));
  }

  // Appends an event with `action` at `at` by the operator.
  void Append(int64_t at, const std::string& action) {
    Actor cli = Actor::ForCli();
    REQUIRE(AppendAudit(db->get(), cli, at, action, "target", "").ok());
  }

  std::vector<std::string> Actions(const AuditQuery& query) {
    Result<std::vector<AuditEvent>> events = ReadAudit(db->get(), query);
    REQUIRE(events.ok());
    std::vector<std::string> actions;
    for (const AuditEvent& e : *events) actions.push_back(e.action);
    return actions;
  }

  static AuditQuery Query(int64_t since, int64_t limit) {
    AuditQuery q;
    q.since = since;
    q.limit = limit;
    return q;
  }

  std::unique_ptr<DatabasePool::Lease> db;
};

TEST_CASE_FIXTURE(AuditFixture, "AppendAudit and ReadAudit round-trip every field") {
  Actor a;
  a.user = User{5, "alice", "", false, false};
  a.token_id = 9;
  a.address = "192.0.2.1";
  REQUIRE(AppendAudit(db->get(), a, kT, "publish", "serde@1.0.0", "1234 bytes").ok());
  Result<std::vector<AuditEvent>> events = ReadAudit(db->get(), AuditQuery{});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  const AuditEvent& e = (*events)[0];
  CHECK(e.id > 0);
  CHECK(e.at == kT);
  CHECK(e.actor == "alice");
  CHECK(e.actor_id == 5);
  CHECK(e.token_id == 9);
  CHECK(e.address == "192.0.2.1");
  CHECK(e.action == "publish");
  CHECK(e.target == "serde@1.0.0");
  CHECK(e.detail == "1234 bytes");
}

TEST_CASE_FIXTURE(AuditFixture, "an event without user or token reads back with zero ids") {
  AuditEvent in;
  in.at = kT;
  in.address = "cli:op";
  in.action = "blob-gc";
  REQUIRE(AppendAuditEvent(db->get(), in).ok());
  Result<std::vector<AuditEvent>> events = ReadAudit(db->get(), AuditQuery{});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK((*events)[0].actor == "");
  CHECK((*events)[0].actor_id == 0);
  CHECK((*events)[0].token_id == 0);
  CHECK((*events)[0].target == "");
  CHECK((*events)[0].detail == "");
}

TEST_CASE_FIXTURE(AuditFixture, "ReadAudit returns events oldest first") {
  Append(kT, "first");
  Append(kT + 1, "second");
  Append(kT + 2, "third");
  CHECK(Actions(AuditQuery{}) == std::vector<std::string>{"first", "second", "third"});
}

TEST_CASE_FIXTURE(AuditFixture, "ReadAudit since keeps events at or after that time") {
  Append(kT, "old");
  Append(kT + 10, "boundary");
  Append(kT + 20, "new");
  CHECK(Actions(Query(kT + 10, 1000)) == std::vector<std::string>{"boundary", "new"});
  CHECK(Actions(Query(kT + 21, 1000)).empty());
}

TEST_CASE_FIXTURE(AuditFixture, "ReadAudit limit keeps the newest events, still oldest first") {
  for (int i = 0; i < 5; ++i) Append(kT + i, "e" + std::to_string(i));
  CHECK(Actions(Query(0, 2)) == std::vector<std::string>{"e3", "e4"});
  CHECK(Actions(Query(kT + 1, 10)) == std::vector<std::string>{"e1", "e2", "e3", "e4"});
}

TEST_CASE_FIXTURE(AuditFixture, "AuditLog reads through the pool") {
  Append(kT, "one");
  AuditLog log(&pool);
  Result<std::vector<AuditEvent>> events = log.Read(AuditQuery{});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK((*events)[0].action == "one");
}

TEST_CASE_FIXTURE(AuditFixture, "UPDATE and DELETE on the audit log fail as append-only") {
  Append(kT, "keep");
  for (const char* sql :
       {"UPDATE audit SET action = 'changed'", "DELETE FROM audit", "DELETE FROM audit WHERE 1"}) {
    CAPTURE(std::string(sql));
    Status st = (*db)->Exec(sql);
    CHECK_FALSE(st.ok());
    CHECK(st.message() == "database error while executing SQL: the audit log is append-only");
  }
  CHECK(Actions(AuditQuery{}) == std::vector<std::string>{"keep"});
}

TEST_CASE("FormatUtc writes an ISO 8601 UTC time") {
  CHECK(FormatUtc(0) == "1970-01-01T00:00:00Z");
  CHECK(FormatUtc(1793527200) == "2026-11-01T10:00:00Z");
}

TEST_CASE("FormatAuditLine writes time, action, actor, address, target and detail") {
  AuditEvent e;
  e.at = 1793527200;
  e.actor = "alice";
  e.address = "127.0.0.1";
  e.action = "publish";
  e.target = "serde@1.0.0";
  e.detail = "1234 bytes";
  CHECK(FormatAuditLine(e) ==
        "2026-11-01T10:00:00Z  publish  alice  127.0.0.1  serde@1.0.0  (1234 bytes)");
}

TEST_CASE("FormatAuditLine shows - for no actor and omits an empty target and detail") {
  AuditEvent e;
  e.at = 1793527200;
  e.address = "cli:op";
  e.action = "blob-gc";
  CHECK(FormatAuditLine(e) == "2026-11-01T10:00:00Z  blob-gc  -  cli:op");
}

TEST_CASE("FormatAuditLine escapes controls in every field, so no line can be forged") {
  AuditEvent e;
  e.at = 1793527200;
  e.actor = "\x1b]0;owned\x07";
  e.address = "10.0.0.1\r";
  e.action = "login-failed";
  e.target = "user x\n2026-11-01T10:00:00Z  user-role  admin  127.0.0.1  user mallory\x1b[2K";
  e.detail = "wrong password\xe2\x80\xae";
  std::string line = FormatAuditLine(e);
  CHECK(line.find('\n') == std::string::npos);
  CHECK(line.find('\r') == std::string::npos);
  CHECK(line.find('\x1b') == std::string::npos);
  CHECK(line.find('\x07') == std::string::npos);
  CHECK(line.find("\xe2\x80\xae") == std::string::npos);
  CHECK(line ==
        "2026-11-01T10:00:00Z  login-failed  \\x1b]0;owned\\x07  10.0.0.1\\x0d  user "
        "x\\x0a2026-11-01T10:00:00Z  user-role  admin  127.0.0.1  user mallory\\x1b[2K  "
        "(wrong password\\u{202e})");
}

TEST_CASE_FIXTURE(AuditFixture, "ReadAudit filters by user, action, crate, time and id") {
  auto append = [&](int64_t at, const char* login, const char* action, const char* target) {
    Actor a;
    a.user = User{login[0] == 'a' ? 5 : 6, login, "", false, false};
    a.address = "192.0.2.1";
    REQUIRE(AppendAudit(db->get(), a, at, action, target, "").ok());
  };
  append(kT, "alice", "publish", "serde@1.0.0");
  append(kT + 10, "bob", "publish", "serde_json@1.0.0");
  append(kT + 20, "Alice", "yank", "serde@1.0.0");
  append(kT + 30, "bob", "owner-add", "serde");
  append(kT + 40, "alice", "token-create", "token 3");
  auto targets = [&](const AuditQuery& q) {
    std::vector<std::string> out;
    Result<std::vector<AuditEvent>> events = ReadAudit(db->get(), q);
    REQUIRE(events.ok());
    for (const AuditEvent& e : *events) out.push_back(e.action + " " + e.target);
    return out;
  };
  using V = std::vector<std::string>;
  AuditQuery q;
  q.actor = "ALICE";
  CHECK(targets(q) == V{"publish serde@1.0.0", "yank serde@1.0.0", "token-create token 3"});
  q = AuditQuery{};
  q.action = "publish";
  CHECK(targets(q) == V{"publish serde@1.0.0", "publish serde_json@1.0.0"});
  // A crate is its name or its name@version, never another crate it is a prefix of.
  q = AuditQuery{};
  q.crate = "Serde";
  CHECK(targets(q) == V{"publish serde@1.0.0", "yank serde@1.0.0", "owner-add serde"});
  q = AuditQuery{};
  q.since = kT + 10;
  q.until = kT + 30;
  CHECK(targets(q) == V{"publish serde_json@1.0.0", "yank serde@1.0.0"});
  // Paging back: the newest two, then the two before the first of them.
  q = AuditQuery{};
  q.limit = 2;
  Result<std::vector<AuditEvent>> page = ReadAudit(db->get(), q);
  REQUIRE(page.ok());
  REQUIRE(page->size() == 2);
  q.before_id = page->front().id;
  CHECK(targets(q) == V{"publish serde_json@1.0.0", "yank serde@1.0.0"});
  q = AuditQuery{};
  q.actor = "bob";
  q.crate = "serde";
  CHECK(targets(q) == V{"owner-add serde"});
  q.actor = "nobody";
  CHECK(targets(q).empty());
}

}  // namespace
}  // namespace registry
