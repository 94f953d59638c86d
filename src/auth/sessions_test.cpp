// Tests for web sessions and their CSRF tokens, on a real SQLite database in a temp directory
// with a fake clock.
#include "auth/sessions.h"

#include <doctest/doctest.h>

#include <string>

#include "audit/audit_log.h"
#include "auth/users.h"
#include "test_util/auth_db.h"

namespace registry {
namespace {

constexpr const char* kAddress = "198.51.100.4";
constexpr int64_t kLifetime = 3600;

// Administrator "root" and member "alice" exist; sessions last an hour.
class SessionsFixture : public AuthDb {
 protected:
  SessionsFixture() : users(&pool, &clock), sessions(&pool, &clock, kLifetime) {
    REQUIRE(users.Add(Actor::ForCli(), "root", true).ok());
    REQUIRE(users.Add(Actor::ForCli(), "alice", false).ok());
    alice = *users.Find("alice");
    REQUIRE(sessions.Init().ok());
  }

  NewSession MustCreate(const User& user) {
    Result<NewSession> s = sessions.Create(user, kAddress);
    REQUIRE_MESSAGE(s.ok(), s.status().message());
    return *s;
  }

  std::string AuthError(const std::string& secret) {
    Result<Actor> a = sessions.Authenticate(secret, kAddress);
    REQUIRE_FALSE(a.ok());
    CHECK(a.status().code() == Code::kUnauthorized);
    return a.status().message();
  }

  Users users;
  Sessions sessions;
  User alice;
};

TEST_CASE_FIXTURE(SessionsFixture, "Init stores one key that every process derives tokens from") {
  NewSession s = MustCreate(alice);
  // A second process: its own pool and Sessions on the same database file.
  DatabasePool other_pool(dir.path() + "/registry.db");
  Sessions other(&other_pool, &clock, kLifetime);
  REQUIRE(other.Init().ok());
  CHECK(other.CsrfToken(s.secret) == s.csrf_token);
  CHECK(sessions.CsrfToken(s.secret) == s.csrf_token);

  auto db = pool.Acquire();
  REQUIRE(db.ok());
  Statement st = (*db)->Prepare("SELECT count(*) FROM settings WHERE key = 'csrf_key'");
  REQUIRE(*st.Step());
  CHECK(st.Int(0) == 1);
}

TEST_CASE_FIXTURE(SessionsFixture, "a new session authenticates as its user with full rights") {
  NewSession s = MustCreate(alice);
  CHECK(s.secret.rfind("crs_", 0) == 0);
  CHECK(s.expires_at == kAuthTestStart + kLifetime);
  Result<Actor> a = sessions.Authenticate(s.secret, "203.0.113.1");
  REQUIRE(a.ok());
  CHECK(a->user.id == alice.id);
  CHECK(a->user.login == "alice");
  CHECK(a->session_id != 0);
  CHECK(a->token_id == 0);
  CHECK(a->scopes == kAllScopes);
  CHECK(a->address == "203.0.113.1");
}

TEST_CASE_FIXTURE(SessionsFixture, "two sessions of one user have distinct ids") {
  Result<Actor> a = sessions.Authenticate(MustCreate(alice).secret, kAddress);
  Result<Actor> b = sessions.Authenticate(MustCreate(alice).secret, kAddress);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(a->session_id != b->session_id);
}

TEST_CASE_FIXTURE(SessionsFixture, "an unknown session is Unauthorized as not valid") {
  MustCreate(alice);
  CHECK(AuthError("crs_0123") == "the web session is not valid; sign in again");
  CHECK(AuthError("") == "the web session is not valid; sign in again");
}

TEST_CASE_FIXTURE(SessionsFixture, "an ended session is Unauthorized as ended") {
  NewSession s = MustCreate(alice);
  Result<Actor> a = sessions.Authenticate(s.secret, kAddress);
  REQUIRE(a.ok());
  REQUIRE(sessions.End(*a).ok());
  CHECK(AuthError(s.secret) == "the web session has ended; sign in again");
}

TEST_CASE_FIXTURE(SessionsFixture,
                  "a session is Unauthorized as expired once its lifetime passes") {
  NewSession s = MustCreate(alice);
  clock.Advance(kLifetime - 1);
  CHECK(sessions.Authenticate(s.secret, kAddress).ok());
  clock.Advance(1);
  CHECK(AuthError(s.secret) == "the web session has expired; sign in again");
}

TEST_CASE_FIXTURE(SessionsFixture, "a disabled user's session is Unauthorized") {
  NewSession s = MustCreate(alice);
  REQUIRE(users.SetDisabled(Actor::ForCli(), "alice", true).ok());
  CHECK(AuthError(s.secret) == "the account `alice` is disabled");
}

TEST_CASE_FIXTURE(SessionsFixture, "ending one session leaves the user's others alone") {
  NewSession first = MustCreate(alice);
  NewSession second = MustCreate(alice);
  REQUIRE(sessions.End(*sessions.Authenticate(first.secret, kAddress)).ok());
  CHECK(sessions.Authenticate(second.secret, kAddress).ok());
}

TEST_CASE_FIXTURE(SessionsFixture, "End without a session is Ok and does nothing") {
  size_t before = Audit().size();
  CHECK(sessions.End(Actor::ForCli()).ok());
  CHECK(Audit().size() == before);
}

TEST_CASE_FIXTURE(SessionsFixture, "the CSRF token differs per session and is stable") {
  NewSession a = MustCreate(alice);
  NewSession b = MustCreate(alice);
  CHECK(a.csrf_token != b.csrf_token);
  CHECK(a.csrf_token.size() == 64);
  CHECK(sessions.CsrfToken(a.secret) == a.csrf_token);
  CHECK(a.csrf_token.find(a.secret.substr(4)) == std::string::npos);
}

TEST_CASE_FIXTURE(SessionsFixture, "CSRF tokens differ between registries with different keys") {
  NewSession s = MustCreate(alice);
  AuthDb elsewhere;
  Sessions other(&elsewhere.pool, &elsewhere.clock, kLifetime);
  REQUIRE(other.Init().ok());
  CHECK(other.CsrfToken(s.secret) != s.csrf_token);
}

TEST_CASE_FIXTURE(SessionsFixture, "signing in and out are audited") {
  NewSession s = MustCreate(alice);
  AuditEvent login = LastAudit("login");
  CHECK(login.actor == "alice");
  CHECK(login.actor_id == alice.id);
  CHECK(login.address == kAddress);
  CHECK(login.target == "user alice");
  CHECK(login.at == kAuthTestStart);

  clock.Advance(7);
  Result<Actor> a = sessions.Authenticate(s.secret, "203.0.113.1");
  REQUIRE(a.ok());
  REQUIRE(sessions.End(*a).ok());
  AuditEvent logout = LastAudit("logout");
  CHECK(logout.actor == "alice");
  CHECK(logout.address == "203.0.113.1");
  CHECK(logout.target == "user alice");
  CHECK(logout.at == kAuthTestStart + 7);
}

TEST_CASE_FIXTURE(SessionsFixture, "the session secret is not stored in clear") {
  NewSession s = MustCreate(alice);
  std::string bytes = DatabaseBytes();
  REQUIRE(bytes.find("alice") != std::string::npos);
  CHECK(bytes.find(s.secret.substr(4)) == std::string::npos);
}

TEST_CASE_FIXTURE(SessionsFixture, "List shows a user's live sessions, newest first") {
  NewSession first = MustCreate(alice);
  clock.Advance(10);
  NewSession second = MustCreate(alice);
  MustCreate(*users.Find("root"));
  clock.Advance(10);
  Result<Actor> by = sessions.Authenticate(first.secret, kAddress);
  REQUIRE(by.ok());
  REQUIRE(sessions.End(*by).ok());
  MustCreate(alice);
  Result<std::vector<LiveSession>> list = sessions.List(alice.id);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);  // the ended one and root's are not listed
  CHECK((*list)[0].created_at == kAuthTestStart + 20);
  CHECK((*list)[1].created_at == kAuthTestStart + 10);
  CHECK((*list)[1].address == kAddress);
  clock.Advance(kLifetime - 5);
  list = sessions.List(alice.id);
  REQUIRE(list.ok());
  CHECK(list->size() == 1);  // `second` has expired
}

TEST_CASE_FIXTURE(SessionsFixture, "EndAll ends every session of the user, its own too") {
  NewSession a1 = MustCreate(alice);
  NewSession a2 = MustCreate(alice);
  NewSession r = MustCreate(*users.Find("root"));
  Result<Actor> by = sessions.Authenticate(a1.secret, kAddress);
  REQUIRE(by.ok());
  Result<int64_t> ended = sessions.EndAll(*by);
  REQUIRE(ended.ok());
  CHECK(*ended == 2);
  CHECK(AuthError(a1.secret).find("has ended") != std::string::npos);
  CHECK(AuthError(a2.secret).find("has ended") != std::string::npos);
  CHECK(sessions.Authenticate(r.secret, kAddress).ok());
  AuditEvent e = LastAudit("logout-everywhere");
  CHECK(e.actor == "alice");
  CHECK(e.detail == "2 sessions");
}

}  // namespace
}  // namespace registry
