// Tests for Accounts: users, token creation and authentication on a real SQLite database.
#include "auth/accounts.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "auth/token.h"
#include "base/clock.h"
#include "db/schema.h"
#include "db/sqlite.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

class AccountsFixture {
 protected:
  AccountsFixture() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
  }

  // Every byte of the database, its WAL and shared-memory files, concatenated.
  std::string DatabaseBytes() {
    std::string bytes;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::ifstream in(db_path + suffix, std::ios::binary);
      bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return bytes;
  }

  TempDir dir;
  std::string db_path = dir.path() + "/registry.db";
  DatabasePool pool{db_path};
  FakeClock clock{1700000000};
  Accounts accounts{&pool, &clock};
};

TEST_CASE_FIXTURE(AccountsFixture, "a created token authenticates as its user") {
  Result<User> alice = accounts.AddUser("alice", true);
  REQUIRE(alice.ok());
  REQUIRE(accounts.AddUser("bob", false).ok());
  Result<std::string> secret = accounts.CreateToken("alice", "laptop");
  REQUIRE(secret.ok());

  Result<User> user = accounts.Authenticate(*secret);
  REQUIRE(user.ok());
  CHECK(user->id == alice->id);
  CHECK(user->login == "alice");
  CHECK(user->is_admin);
}

TEST_CASE_FIXTURE(AccountsFixture, "each token is a distinct secret and all of them authenticate") {
  REQUIRE(accounts.AddUser("alice", false).ok());
  Result<std::string> first = accounts.CreateToken("alice", "laptop");
  Result<std::string> second = accounts.CreateToken("alice", "ci");
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(*first != *second);
  CHECK(accounts.Authenticate(*first)->login == "alice");
  CHECK(accounts.Authenticate(*second)->login == "alice");
}

TEST_CASE_FIXTURE(AccountsFixture, "an empty or unknown token is Unauthorized") {
  REQUIRE(accounts.AddUser("alice", false).ok());
  Result<std::string> secret = accounts.CreateToken("alice", "laptop");
  REQUIRE(secret.ok());
  struct Case {
    std::string token;
    std::string message;
  };
  const std::string unknown = "the token is not valid for this registry";
  const Case cases[] = {
      {"",
       "this registry requires a token: send it in the Authorization header (cargo: `cargo login "
       "--registry NAME`)"},
      {NewTokenSecret(), unknown},
      {"crg_", unknown},
      {secret->substr(0, secret->size() - 1), unknown},  // one character short
      {*secret + " ", unknown},                          // headers are trimmed before this
      {HashTokenSecret(*secret), unknown},               // what the database holds
  };
  for (const Case& c : cases) {
    CAPTURE(c.token);
    Result<User> user = accounts.Authenticate(c.token);
    CHECK(user.status().code() == Code::kUnauthorized);
    CHECK(user.status().message() == c.message);
  }
}

TEST_CASE_FIXTURE(AccountsFixture, "a token for an unknown user is NotFound") {
  Result<std::string> secret = accounts.CreateToken("ghost", "laptop");
  CHECK(secret.status().code() == Code::kNotFound);
  CHECK(secret.status().message() == "no user `ghost`");
}

TEST_CASE_FIXTURE(AccountsFixture, "the database files never hold a token secret in clear") {
  REQUIRE(accounts.AddUser("alice", false).ok());
  Result<std::string> secret = accounts.CreateToken("alice", "laptop");
  REQUIRE(secret.ok());
  REQUIRE(secret->rfind("crg_", 0) == 0);
  REQUIRE(accounts.Authenticate(*secret).ok());

  const std::string bytes = DatabaseBytes();
  // The stored hash is there, so these are the files the token went to.
  REQUIRE(bytes.find(HashTokenSecret(*secret)) != std::string::npos);
  CHECK(bytes.find(*secret) == std::string::npos);
  CHECK(bytes.find(secret->substr(4)) == std::string::npos);  // nor its random part alone
}

TEST_CASE_FIXTURE(AccountsFixture, "logins are unique ignoring case") {
  REQUIRE(accounts.AddUser("alice", false).ok());
  for (const char* login : {"alice", "ALICE", "Alice"}) {
    CAPTURE(login);
    Result<User> again = accounts.AddUser(login, false);
    CHECK(again.status().code() == Code::kConflict);
    CHECK(again.status().message() == "user `" + std::string(login) + "` already exists");
  }
  CHECK(*accounts.CountUsers() == 1);
}

TEST_CASE_FIXTURE(AccountsFixture, "a user is found by login in any case") {
  Result<User> added = accounts.AddUser("Alice", false);
  REQUIRE(added.ok());
  Result<User> found = accounts.FindUser("aLIce");
  REQUIRE(found.ok());
  CHECK(found->id == added->id);
  CHECK(found->login == "Alice");
  CHECK_FALSE(found->is_admin);

  Result<User> missing = accounts.FindUser("bob");
  CHECK(missing.status().code() == Code::kNotFound);
  CHECK(missing.status().message() == "no user `bob`");
}

TEST_CASE_FIXTURE(AccountsFixture, "logins are validated") {
  struct Case {
    std::string login;
    std::string error;  // empty: accepted
  };
  const std::string chars = "`: only ASCII letters, digits, `-`, `_` and `.` are allowed";
  const std::string length = "`: it must be 1 to 64 characters long";
  const Case cases[] = {
      {"a", ""},
      {"A.b-c_9", ""},
      {std::string(64, 'x'), ""},
      {"", "invalid user name `" + length},
      {std::string(65, 'x'), "invalid user name `" + std::string(65, 'x') + length},
      {"a b", "invalid user name `a b" + chars},
      {"al/ice", "invalid user name `al/ice" + chars},
      {"\xc3\xa9mile", "invalid user name `\xc3\xa9mile" + chars},
      {"bob@example.com", "invalid user name `bob@example.com" + chars},
  };
  for (const Case& c : cases) {
    CAPTURE(c.login);
    Result<User> user = accounts.AddUser(c.login, false);
    if (c.error.empty()) {
      CHECK(user.ok());
    } else {
      CHECK(user.status().code() == Code::kInvalid);
      CHECK(user.status().message() == c.error);
    }
  }
  CHECK(*accounts.CountUsers() == 3);
}

}  // namespace
}  // namespace registry
