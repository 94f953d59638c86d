// Tests for users: adding, roles, passwords, disabling and sign-in, on a real SQLite database
// in a temp directory with a fake clock.
#include "auth/users.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "auth/sessions.h"
#include "test_util/auth_db.h"

namespace registry {
namespace {

constexpr const char* kRootPassword = "root password 123";
constexpr const char* kAlicePassword = "alice password 123";
constexpr const char* kUsersTestAddress = "192.0.2.7";

// Administrator "root" and member "alice" exist, both with passwords; nobody else.
class UsersFixture : public AuthDb {
 protected:
  UsersFixture() : users(&pool, &clock) {
    Result<User> r = users.Add(Actor::ForCli(), "root", true, kRootPassword);
    REQUIRE(r.ok());
    Result<User> a = users.Add(Actor::ForCli(), "alice", false, kAlicePassword);
    REQUIRE(a.ok());
    root = Actor::ForSession(*r, 0, kUsersTestAddress);
    alice = Actor::ForSession(*a, 0, kUsersTestAddress);
  }

  Users users;
  Actor root;
  Actor alice;
};

TEST_CASE_FIXTURE(UsersFixture, "Add from the command line creates members and administrators") {
  Result<User> u = users.Add(Actor::ForCli(), "bob", false);
  REQUIRE(u.ok());
  CHECK(u->login == "bob");
  CHECK_FALSE(u->is_admin);
  CHECK_FALSE(u->disabled);
  Result<User> found = users.Find("bob");
  REQUIRE(found.ok());
  CHECK(found->id == u->id);
  CHECK_FALSE(found->is_admin);
  Result<User> r = users.Find("root");
  REQUIRE(r.ok());
  CHECK(r->is_admin);
}

TEST_CASE_FIXTURE(UsersFixture, "Add by an administrator is allowed") {
  Result<User> u = users.Add(root, "bob", true);
  REQUIRE(u.ok());
  CHECK(u->is_admin);
  CHECK(*users.Count() == 3);
}

TEST_CASE_FIXTURE(UsersFixture, "Add by a member is Forbidden") {
  Result<User> u = users.Add(alice, "bob", false);
  REQUIRE_FALSE(u.ok());
  CHECK(u.status().code() == Code::kForbidden);
  CHECK(u.status().message() == "only administrators may add users");
  CHECK(users.Find("bob").status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(UsersFixture, "Add accepts logins of ASCII letters, digits, - _ and .") {
  for (std::string login : {std::string("b"), std::string("Bob.Smith-2_x"), std::string(64, 'z')}) {
    CAPTURE(login);
    CHECK(users.Add(Actor::ForCli(), login, false).ok());
  }
}

TEST_CASE_FIXTURE(UsersFixture, "Add rejects bad logins with the reason") {
  const std::string length = "`: it must be 1 to 64 characters long";
  const std::string chars = "`: only ASCII letters, digits, `-`, `_` and `.` are allowed";
  std::string too_long(65, 'z');
  struct Case {
    std::string login;
    std::string message;
  } cases[] = {
      {"", "invalid user name `" + length},
      {too_long, "invalid user name `" + too_long + length},
      {"bob smith", "invalid user name `bob smith" + chars},
      {"bob/x", "invalid user name `bob/x" + chars},
      {"b\xc3\xb6"
       "b",
       "invalid user name `b\xc3\xb6"
       "b" +
           chars},  // "böb"
  };
  for (const Case& c : cases) {
    CAPTURE(c.login);
    Result<User> u = users.Add(Actor::ForCli(), c.login, false);
    REQUIRE_FALSE(u.ok());
    CHECK(u.status().code() == Code::kInvalid);
    CHECK(u.status().message() == c.message);
  }
}

TEST_CASE_FIXTURE(UsersFixture, "Add refuses a taken login regardless of case") {
  for (const char* login : {"alice", "ALICE", "Alice"}) {
    CAPTURE(std::string(login));
    Result<User> u = users.Add(Actor::ForCli(), login, false);
    REQUIRE_FALSE(u.ok());
    CHECK(u.status().code() == Code::kConflict);
    CHECK(u.status().message() == "user `" + std::string(login) + "` already exists");
  }
  CHECK(*users.Count() == 2);
}

TEST_CASE_FIXTURE(UsersFixture, "Add rejects a password that is too short") {
  Result<User> u = users.Add(Actor::ForCli(), "bob", false, "short");
  REQUIRE_FALSE(u.ok());
  CHECK(u.status().code() == Code::kInvalid);
  CHECK(u.status().message() == "passwords must be at least 10 characters long");
  CHECK(users.Find("bob").status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(UsersFixture, "a password given to Add signs the user in") {
  Result<User> u = users.CheckPassword("alice", kAlicePassword, kUsersTestAddress);
  REQUIRE(u.ok());
  CHECK(u->login == "alice");
  CHECK(u->id == alice.user.id);
}

TEST_CASE_FIXTURE(UsersFixture, "CheckPassword finds the user whatever the case of the login") {
  Result<User> u = users.CheckPassword("ALICE", kAlicePassword, kUsersTestAddress);
  REQUIRE(u.ok());
  CHECK(u->login == "alice");
}

TEST_CASE_FIXTURE(UsersFixture, "a password set with SetPassword replaces the old one") {
  REQUIRE(users.Add(Actor::ForCli(), "bob", false).ok());
  REQUIRE(users.SetPassword(root, "bob", "bob's new password").ok());
  CHECK(users.CheckPassword("bob", "bob's new password", kUsersTestAddress).ok());
  REQUIRE(users.SetPassword(root, "bob", "bob's newer password").ok());
  CHECK(users.CheckPassword("bob", "bob's newer password", kUsersTestAddress).ok());
  CHECK(users.CheckPassword("bob", "bob's new password", kUsersTestAddress).status().code() ==
        Code::kUnauthorized);
}

TEST_CASE_FIXTURE(UsersFixture, "SetPassword rejects a password that is too short") {
  Status st = users.SetPassword(alice, "alice", "short");
  CHECK(st.code() == Code::kInvalid);
  CHECK(st.message() == "passwords must be at least 10 characters long");
  CHECK(users.CheckPassword("alice", kAlicePassword, kUsersTestAddress).ok());
}

TEST_CASE_FIXTURE(UsersFixture, "SetPassword for an unknown user is NotFound") {
  Status st = users.SetPassword(root, "nobody", "some password 123");
  CHECK(st.code() == Code::kNotFound);
  CHECK(st.message() == "no user `nobody`");
}

TEST_CASE_FIXTURE(UsersFixture,
                  "CheckPassword gives one message for every failure and audits the reason") {
  REQUIRE(users.Add(Actor::ForCli(), "nopass", false).ok());
  REQUIRE(users.Add(Actor::ForCli(), "gone", false, "gone password 123").ok());
  REQUIRE(users.SetDisabled(root, "gone", true).ok());
  struct Case {
    const char* login;
    const char* password;
    const char* reason;
    bool known;
  } cases[] = {
      {"nobody", "any password 123", "unknown user", false},
      {"alice", "not alice's password", "wrong password", true},
      {"alice", "", "wrong password", true},
      {"nopass", "any password 123", "no password set", true},
      {"gone", "gone password 123", "user disabled", true},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.login));
    CAPTURE(std::string(c.password));
    Result<User> u = users.CheckPassword(c.login, c.password, kUsersTestAddress);
    REQUIRE_FALSE(u.ok());
    CHECK(u.status().code() == Code::kUnauthorized);
    CHECK(u.status().message() == "wrong user name or password");
    AuditEvent e = LastAudit("login-failed");
    CHECK(e.detail == c.reason);
    CHECK(e.target == "user " + std::string(c.login));
    CHECK(e.address == kUsersTestAddress);
    CHECK(e.at == kAuthTestStart);
    CHECK(e.actor == (c.known ? c.login : ""));
    CHECK((e.actor_id != 0) == c.known);
  }
}

TEST_CASE_FIXTURE(UsersFixture, "repeated failed sign-ins write one row per 10 minutes") {
  auto failed_rows = [this] {
    int n = 0;
    for (const AuditEvent& e : Audit()) n += e.action == "login-failed";
    return n;
  };
  for (int i = 0; i < 20; ++i) {
    CHECK(users.CheckPassword("nobody", "guess", kUsersTestAddress).status().code() == Code::kUnauthorized);
    clock.Advance(1);
  }
  CHECK(failed_rows() == 1);
  CHECK(users.CheckPassword("nobody", "guess", "10.9.9.9").status().code() == Code::kUnauthorized);
  CHECK(failed_rows() == 2);  // another address: its own row
  clock.Advance(600);
  CHECK_FALSE(users.CheckPassword("NoBody", "guess", kUsersTestAddress).ok());
  CHECK(failed_rows() == 3);
  CHECK(LastAudit("login-failed").detail ==
        "unknown user; and 19 more failed sign-ins since 2026-09-21T14:13:21Z");
}

TEST_CASE_FIXTURE(UsersFixture, "a successful sign-in writes no login-failed row") {
  REQUIRE(users.CheckPassword("alice", kAlicePassword, kUsersTestAddress).ok());
  for (const AuditEvent& e : Audit()) CHECK(e.action != "login-failed");
}

TEST_CASE_FIXTURE(UsersFixture, "a disabled user cannot sign in until enabled again") {
  REQUIRE(users.SetDisabled(root, "alice", true).ok());
  Result<User> found = users.Find("alice");
  REQUIRE(found.ok());
  CHECK(found->disabled);
  CHECK(users.CheckPassword("alice", kAlicePassword, kUsersTestAddress).status().code() ==
        Code::kUnauthorized);
  REQUIRE(users.SetDisabled(root, "alice", false).ok());
  CHECK(users.CheckPassword("alice", kAlicePassword, kUsersTestAddress).ok());
}

TEST_CASE_FIXTURE(UsersFixture, "a member may neither disable users nor change roles") {
  Status disable = users.SetDisabled(alice, "root", true);
  CHECK(disable.code() == Code::kForbidden);
  CHECK(disable.message() == "only administrators may disable users");
  Status promote = users.SetAdmin(alice, "alice", true);
  CHECK(promote.code() == Code::kForbidden);
  CHECK(promote.message() == "only administrators may change roles");
  CHECK_FALSE(users.Find("alice")->is_admin);
}

TEST_CASE_FIXTURE(UsersFixture,
                  "the last enabled administrator can be neither disabled nor demoted") {
  Status disable = users.SetDisabled(Actor::ForCli(), "root", true);
  CHECK(disable.code() == Code::kInvalid);
  CHECK(disable.message() ==
        "cannot disable `root`: it is the last enabled administrator; make another user an "
        "administrator first");
  Status demote = users.SetAdmin(root, "root", false);
  CHECK(demote.code() == Code::kInvalid);
  CHECK(demote.message() ==
        "cannot demote `root`: it is the last enabled administrator; make another user an "
        "administrator first");
  Result<User> r = users.Find("root");
  REQUIRE(r.ok());
  CHECK(r->is_admin);
  CHECK_FALSE(r->disabled);
}

TEST_CASE_FIXTURE(UsersFixture, "a disabled administrator does not count as another one") {
  REQUIRE(users.Add(Actor::ForCli(), "root2", true).ok());
  REQUIRE(users.SetDisabled(root, "root2", true).ok());
  CHECK(users.SetDisabled(Actor::ForCli(), "root", true).code() == Code::kInvalid);
  CHECK(users.SetAdmin(Actor::ForCli(), "root", false).code() == Code::kInvalid);
}

TEST_CASE_FIXTURE(UsersFixture, "an administrator can be disabled or demoted once another exists") {
  REQUIRE(users.SetAdmin(root, "alice", true).ok());
  CHECK(users.SetAdmin(Actor::ForCli(), "root", false).ok());
  CHECK_FALSE(users.Find("root")->is_admin);
  // alice is now the only administrator.
  CHECK(users.SetDisabled(Actor::ForCli(), "alice", true).code() == Code::kInvalid);
  REQUIRE(users.SetAdmin(Actor::ForCli(), "root", true).ok());
  CHECK(users.SetDisabled(Actor::ForCli(), "alice", true).ok());
  CHECK(users.Find("alice")->disabled);
}

TEST_CASE_FIXTURE(UsersFixture, "a user may set their own password") {
  CHECK(users.SetPassword(alice, "alice", "alice's new password").ok());
  CHECK(users.CheckPassword("alice", "alice's new password", kUsersTestAddress).ok());
}

TEST_CASE_FIXTURE(UsersFixture, "a user is themselves whatever the case of the login") {
  CHECK(users.SetPassword(alice, "ALICE", "alice's new password").ok());
  CHECK(users.CheckPassword("alice", "alice's new password", kUsersTestAddress).ok());
}

TEST_CASE_FIXTURE(UsersFixture, "a member setting another user's password is Forbidden") {
  REQUIRE(users.Add(Actor::ForCli(), "bob", false, "bob password 123").ok());
  Status st = users.SetPassword(alice, "bob", "alice chose this");
  CHECK(st.code() == Code::kForbidden);
  CHECK(st.message() == "only administrators may set other users' passwords");
  CHECK(users.CheckPassword("bob", "bob password 123", kUsersTestAddress).ok());
}

TEST_CASE_FIXTURE(UsersFixture, "SetPassword ends the user's other sessions but not the current") {
  Sessions sessions(&pool, &clock);
  REQUIRE(sessions.Init().ok());
  Result<NewSession> first = sessions.Create(alice.user, kUsersTestAddress);
  Result<NewSession> second = sessions.Create(alice.user, kUsersTestAddress);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  Result<Actor> by = sessions.Authenticate(first->secret, kUsersTestAddress);
  REQUIRE(by.ok());

  REQUIRE(users.SetPassword(*by, "alice", "alice's new password").ok());

  CHECK(sessions.Authenticate(first->secret, kUsersTestAddress).ok());
  Result<Actor> ended = sessions.Authenticate(second->secret, kUsersTestAddress);
  REQUIRE_FALSE(ended.ok());
  CHECK(ended.status().code() == Code::kUnauthorized);
  CHECK(ended.status().message() == "the web session has ended; sign in again");
}

TEST_CASE_FIXTURE(UsersFixture,
                  "an administrator setting a password ends all the user's sessions") {
  Sessions sessions(&pool, &clock);
  REQUIRE(sessions.Init().ok());
  Result<NewSession> s = sessions.Create(alice.user, kUsersTestAddress);
  REQUIRE(s.ok());
  REQUIRE(users.SetPassword(root, "alice", "alice's new password").ok());
  CHECK(sessions.Authenticate(s->secret, kUsersTestAddress).status().code() == Code::kUnauthorized);
}

TEST_CASE_FIXTURE(UsersFixture, "each change to a user is audited with actor and target") {
  clock.Advance(10);
  REQUIRE(users.Add(root, "bob", false, "bob password 123").ok());
  AuditEvent add = LastAudit("user-add");
  CHECK(add.actor == "root");
  CHECK(add.actor_id == root.user.id);
  CHECK(add.address == kUsersTestAddress);
  CHECK(add.target == "user bob");
  CHECK(add.detail == "member, with password");
  CHECK(add.at == kAuthTestStart + 10);

  REQUIRE(users.SetPassword(root, "bob", "bob's new password").ok());
  AuditEvent password = LastAudit("user-password");
  CHECK(password.actor == "root");
  CHECK(password.target == "user bob");

  REQUIRE(users.SetDisabled(root, "bob", true).ok());
  AuditEvent disable = LastAudit("user-disable");
  CHECK(disable.actor == "root");
  CHECK(disable.target == "user bob");

  REQUIRE(users.SetDisabled(root, "bob", false).ok());
  AuditEvent enable = LastAudit("user-enable");
  CHECK(enable.actor == "root");
  CHECK(enable.target == "user bob");

  REQUIRE(users.SetAdmin(root, "bob", true).ok());
  AuditEvent role = LastAudit("user-role");
  CHECK(role.actor == "root");
  CHECK(role.target == "user bob");
  CHECK(role.detail == "administrator");

  std::vector<std::string> actions;
  for (const AuditEvent& e : Audit()) actions.push_back(e.action);
  CHECK(actions == std::vector<std::string>{"user-add", "user-add", "user-add", "user-password",
                                            "user-disable", "user-enable", "user-role"});
}

TEST_CASE_FIXTURE(UsersFixture, "a command-line change is audited with the cli address") {
  REQUIRE(users.Add(Actor::ForCli(), "bob", true).ok());
  AuditEvent add = LastAudit("user-add");
  CHECK(add.actor == "");
  CHECK(add.actor_id == 0);
  CHECK(add.address.rfind("cli:", 0) == 0);
  CHECK(add.detail == "administrator");
}

TEST_CASE_FIXTURE(UsersFixture, "a change that does nothing is not audited") {
  size_t before = Audit().size();
  REQUIRE(users.SetDisabled(root, "alice", false).ok());
  REQUIRE(users.SetAdmin(root, "alice", false).ok());
  CHECK(Audit().size() == before);
}

TEST_CASE_FIXTURE(UsersFixture, "passwords never appear in clear in the database files") {
  REQUIRE(users.SetPassword(root, "alice", "alice's second secret").ok());
  REQUIRE(users.CheckPassword("alice", "a wrong guess at it", kUsersTestAddress).status().code() ==
          Code::kUnauthorized);
  std::string bytes = DatabaseBytes();
  REQUIRE(bytes.find("alice") != std::string::npos);  // the files were read
  for (const char* password :
       {kRootPassword, kAlicePassword, "alice's second secret", "a wrong guess at it"}) {
    CAPTURE(std::string(password));
    CHECK(bytes.find(password) == std::string::npos);
  }
}

TEST_CASE_FIXTURE(UsersFixture, "List shows every user with role, state and password presence") {
  REQUIRE(users.Add(Actor::ForCli(), "bob", false).ok());
  clock.Advance(5);
  REQUIRE(users.SetDisabled(root, "bob", true).ok());
  Result<std::vector<UserInfo>> list = users.List();
  REQUIRE(list.ok());
  REQUIRE(list->size() == 3);
  CHECK((*list)[0].user.login == "alice");
  CHECK((*list)[0].has_password);
  CHECK((*list)[1].user.login == "bob");
  CHECK_FALSE((*list)[1].has_password);
  CHECK((*list)[1].user.disabled);
  CHECK((*list)[1].disabled_at == kAuthTestStart + 5);
  CHECK((*list)[2].user.login == "root");
  CHECK((*list)[2].user.is_admin);
  CHECK((*list)[2].created_at == kAuthTestStart);
}

}  // namespace
}  // namespace registry
