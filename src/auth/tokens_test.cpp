// Tests for API tokens: creation, listing, revocation, authentication and last-used times, on a
// real SQLite database in a temp directory with a fake clock.
#include "auth/tokens.h"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "auth/token.h"
#include "auth/users.h"
#include "test_util/auth_db.h"

namespace registry {
namespace {

constexpr const char* kTokenUserAddress = "192.0.2.9";

// Administrator "root" and members "alice" and "bob" exist.
class TokensFixture : public AuthDb {
 protected:
  TokensFixture() : users(&pool, &clock), tokens(&pool, &clock) {
    for (const char* login : {"root", "alice", "bob"}) {
      Result<User> u = users.Add(Actor::ForCli(), login, std::string(login) == "root");
      REQUIRE(u.ok());
    }
    root = Actor::ForSession(*users.Find("root"), 1, kTokenUserAddress);
    alice = Actor::ForSession(*users.Find("alice"), 2, kTokenUserAddress);
    bob = Actor::ForSession(*users.Find("bob"), 3, kTokenUserAddress);
  }

  NewToken MustCreate(const Actor& by, const std::string& login, TokenSpec spec) {
    Result<NewToken> t = tokens.Create(by, login, spec);
    REQUIRE_MESSAGE(t.ok(), t.status().message());
    return *t;
  }
  NewToken MustCreate(const std::string& login, const std::string& name) {
    TokenSpec spec;
    spec.name = name;
    return MustCreate(Actor::ForCli(), login, spec);
  }

  // The tokens.last_used_at column as stored, or -1 when NULL.
  int64_t StoredLastUsed(int64_t id) {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    Statement st = (*db)->Prepare("SELECT last_used_at FROM tokens WHERE id = ?1");
    st.Bind(1, id);
    Result<bool> row = st.Step();
    REQUIRE(row.ok());
    REQUIRE(*row);
    return st.IsNull(0) ? -1 : st.Int(0);
  }

  std::string AuthError(const std::string& secret) {
    Result<Actor> a = tokens.Authenticate(secret, kTokenUserAddress);
    REQUIRE_FALSE(a.ok());
    CHECK(a.status().code() == Code::kUnauthorized);
    return a.status().message();
  }

  Users users;
  Tokens tokens;
  Actor root, alice, bob;
};

TEST_CASE_FIXTURE(TokensFixture, "a created token authenticates with its scopes and patterns") {
  TokenSpec spec;
  spec.name = "ci";
  spec.scopes = kScopePublishUpdate | kScopeYank;  // read is added
  spec.crate_patterns = {"my-corp-*", "serde"};
  NewToken t = MustCreate(alice, "alice", spec);
  CHECK(t.secret.size() == 68);
  CHECK(t.secret.rfind("crg_", 0) == 0);
  CHECK(t.info.user_login == "alice");
  CHECK(t.info.scopes == (kScopeRead | kScopePublishUpdate | kScopeYank));

  Result<Actor> a = tokens.Authenticate(t.secret, kTokenUserAddress);
  REQUIRE(a.ok());
  CHECK(a->user.login == "alice");
  CHECK(a->user.id == alice.user.id);
  CHECK(a->token_id == t.info.id);
  CHECK(a->token_name == "ci");
  CHECK(a->session_id == 0);
  CHECK(a->scopes == (kScopeRead | kScopePublishUpdate | kScopeYank));
  CHECK(a->crate_patterns == std::vector<std::string>{"my-corp-*", "serde"});
  CHECK(a->address == kTokenUserAddress);
  CHECK(a->Require(kScopeYank, "my-corp-x").ok());
  CHECK(a->Require(kScopePublishNew, "my-corp-x").code() == Code::kForbidden);
}

TEST_CASE_FIXTURE(TokensFixture, "a token with default spec has every scope and any crate") {
  NewToken t = MustCreate("alice", "laptop");
  Result<Actor> a = tokens.Authenticate(t.secret, kTokenUserAddress);
  REQUIRE(a.ok());
  CHECK(a->scopes == kAllScopes);
  CHECK(a->crate_patterns.empty());
}

TEST_CASE_FIXTURE(TokensFixture, "the token secret is not stored in clear") {
  NewToken t = MustCreate("alice", "laptop");
  std::string bytes = DatabaseBytes();
  REQUIRE(bytes.find(HashTokenSecret(t.secret)) != std::string::npos);  // the files were read
  CHECK(bytes.find(t.secret) == std::string::npos);
  CHECK(bytes.find(t.secret.substr(4)) == std::string::npos);
  CHECK(bytes.find(t.secret.substr(4, 32)) == std::string::npos);
}

TEST_CASE_FIXTURE(TokensFixture, "List gives one user's tokens or everyone's, newest first") {
  NewToken a1 = MustCreate("alice", "a1");
  NewToken b1 = MustCreate("bob", "b1");
  NewToken a2 = MustCreate("alice", "a2");

  Result<std::vector<TokenInfo>> mine = tokens.List(alice.user.id, false);
  REQUIRE(mine.ok());
  REQUIRE(mine->size() == 2);
  CHECK((*mine)[0].id == a2.info.id);
  CHECK((*mine)[1].id == a1.info.id);
  CHECK((*mine)[0].user_login == "alice");

  Result<std::vector<TokenInfo>> all = tokens.List(0, false);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 3);
  CHECK((*all)[0].id == a2.info.id);
  CHECK((*all)[1].id == b1.info.id);
  CHECK((*all)[2].id == a1.info.id);
}

TEST_CASE_FIXTURE(TokensFixture, "List leaves out revoked tokens unless asked") {
  NewToken keep = MustCreate("alice", "keep");
  NewToken gone = MustCreate("alice", "gone");
  clock.Advance(60);
  REQUIRE(tokens.Revoke(alice, gone.info.id).ok());

  Result<std::vector<TokenInfo>> live = tokens.List(alice.user.id, false);
  REQUIRE(live.ok());
  REQUIRE(live->size() == 1);
  CHECK((*live)[0].id == keep.info.id);

  Result<std::vector<TokenInfo>> all = tokens.List(alice.user.id, true);
  REQUIRE(all.ok());
  REQUIRE(all->size() == 2);
  CHECK((*all)[0].id == gone.info.id);
  CHECK((*all)[0].revoked_at == kAuthTestStart + 60);
  CHECK((*all)[1].revoked_at == 0);
}

TEST_CASE_FIXTURE(TokensFixture, "List returns the stored scopes, patterns and expiry") {
  TokenSpec spec;
  spec.name = "ci";
  spec.scopes = kScopePublishNew;
  spec.crate_patterns = {"a*", "b"};
  spec.expires_at = kAuthTestStart + 3600;
  MustCreate(alice, "alice", spec);
  Result<std::vector<TokenInfo>> list = tokens.List(alice.user.id, false);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  const TokenInfo& t = (*list)[0];
  CHECK(t.name == "ci");
  CHECK(t.scopes == (kScopeRead | kScopePublishNew));
  CHECK(t.crate_patterns == std::vector<std::string>{"a*", "b"});
  CHECK(t.created_at == kAuthTestStart);
  CHECK(t.expires_at == kAuthTestStart + 3600);
  CHECK(t.last_used_at == 0);
}

TEST_CASE_FIXTURE(TokensFixture, "the owner, an administrator and the command line may revoke") {
  NewToken by_owner = MustCreate("alice", "one");
  NewToken by_admin = MustCreate("alice", "two");
  NewToken by_cli = MustCreate("alice", "three");
  CHECK(tokens.Revoke(alice, by_owner.info.id).ok());
  CHECK(tokens.Revoke(root, by_admin.info.id).ok());
  CHECK(tokens.Revoke(Actor::ForCli(), by_cli.info.id).ok());
  for (const NewToken* t : {&by_owner, &by_admin, &by_cli}) {
    CAPTURE(t->info.name);
    CHECK(tokens.Authenticate(t->secret, kTokenUserAddress).status().code() == Code::kUnauthorized);
  }
}

TEST_CASE_FIXTURE(TokensFixture, "another member revoking a token gets NotFound") {
  NewToken t = MustCreate("alice", "laptop");
  Status st = tokens.Revoke(bob, t.info.id);
  CHECK(st.code() == Code::kNotFound);
  CHECK(st.message() == "no token with id " + std::to_string(t.info.id));
  CHECK(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
}

TEST_CASE_FIXTURE(TokensFixture, "revoking an unknown token is NotFound, a revoked one Ok") {
  CHECK(tokens.Revoke(root, 999).code() == Code::kNotFound);
  NewToken t = MustCreate("alice", "laptop");
  REQUIRE(tokens.Revoke(alice, t.info.id).ok());
  CHECK(tokens.Revoke(alice, t.info.id).ok());
}

TEST_CASE_FIXTURE(TokensFixture, "a revoked token is Unauthorized saying it was revoked") {
  NewToken t = MustCreate("alice", "laptop");
  clock.Advance(3600);
  REQUIRE(tokens.Revoke(alice, t.info.id).ok());
  CHECK(AuthError(t.secret) ==
        "the token `laptop` was revoked on " + FormatUtc(kAuthTestStart + 3600));
}

TEST_CASE_FIXTURE(TokensFixture, "a token is Unauthorized once its expiry passes") {
  TokenSpec spec;
  spec.name = "short";
  spec.expires_at = kAuthTestStart + 100;
  NewToken t = MustCreate(alice, "alice", spec);
  clock.Advance(99);
  CHECK(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
  clock.Advance(1);
  CHECK(AuthError(t.secret) == "the token `short` expired on " + FormatUtc(kAuthTestStart + 100));
}

TEST_CASE_FIXTURE(TokensFixture, "a token in use is refused from its revocation on") {
  NewToken t = MustCreate("alice", "laptop");
  REQUIRE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());  // now kept in memory
  REQUIRE(tokens.Revoke(alice, t.info.id).ok());
  CHECK(AuthError(t.secret).find("was revoked") != std::string::npos);
}

TEST_CASE_FIXTURE(TokensFixture, "a revocation committed by another process is seen") {
  NewToken t = MustCreate("alice", "laptop");
  REQUIRE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
  // Another process (the command line) revokes it through a connection of its own.
  Result<std::unique_ptr<Database>> other = Database::Open(dir.path() + "/registry.db");
  REQUIRE(other.ok());
  Statement st = (*other)->Prepare("UPDATE tokens SET revoked_at = ?1 WHERE id = ?2");
  st.Bind(1, kAuthTestStart).Bind(2, t.info.id);
  REQUIRE(st.Run().ok());
  std::this_thread::sleep_for(std::chrono::nanoseconds(2 * DatabasePool::kRecheckNanos));
  CHECK(AuthError(t.secret).find("was revoked") != std::string::npos);
}

TEST_CASE_FIXTURE(TokensFixture, "a disabled user's token is Unauthorized") {
  NewToken t = MustCreate("alice", "laptop");
  REQUIRE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
  REQUIRE(users.SetDisabled(root, "alice", true).ok());
  CHECK(AuthError(t.secret) == "the account `alice` is disabled");
  REQUIRE(users.SetDisabled(root, "alice", false).ok());
  CHECK(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
}

TEST_CASE_FIXTURE(TokensFixture, "a malformed token is Unauthorized as malformed") {
  std::string good = MustCreate("alice", "laptop").secret;
  std::string upper = good;
  for (size_t i = 4; i < upper.size(); ++i) {
    if (upper[i] >= 'a' && upper[i] <= 'f') upper[i] = static_cast<char>(upper[i] - 'a' + 'A');
  }
  REQUIRE(upper != good);
  std::string bad_prefix = "crs_" + good.substr(4);
  std::string non_hex = good.substr(0, 67) + "g";
  for (const std::string& secret : {bad_prefix, good.substr(0, 67), good + "0", upper, non_hex,
                                    std::string("crg_"), "Bearer " + good}) {
    CAPTURE(secret);
    CHECK(AuthError(secret) ==
          "the token is malformed: registry tokens are `crg_` followed by 64 hex digits");
  }
}

TEST_CASE_FIXTURE(TokensFixture, "an unknown well-formed token is not valid") {
  MustCreate("alice", "laptop");
  CHECK(AuthError(NewTokenSecret()) == "the token is not valid for this registry");
}

TEST_CASE_FIXTURE(TokensFixture, "an empty token says the registry requires one") {
  CHECK(AuthError("") ==
        "this registry requires a token: send it in the Authorization header (cargo: `cargo "
        "login --registry NAME`)");
}

TEST_CASE_FIXTURE(TokensFixture, "Create refuses an expiry that is not in the future") {
  for (int64_t expires_at : {kAuthTestStart - 1, kAuthTestStart}) {
    CAPTURE(expires_at);
    TokenSpec spec;
    spec.name = "late";
    spec.expires_at = expires_at;
    Result<NewToken> t = tokens.Create(alice, "alice", spec);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == Code::kInvalid);
    CHECK(t.status().message() == "the expiry date of a new token must be in the future");
  }
  CHECK(tokens.List(0, true)->empty());
}

TEST_CASE_FIXTURE(TokensFixture, "Create refuses a bad token name") {
  struct Case {
    std::string name;
    const char* message;
  } cases[] = {
      {"", "a token name must be 1 to 64 characters long"},
      {std::string(65, 'n'), "a token name must be 1 to 64 characters long"},
      {"new\nline", "a token name must be UTF-8 text without control or text-direction characters"},
      {"del\x7f", "a token name must be UTF-8 text without control or text-direction characters"},
      {"ci\xe2\x80\xaegpj.exe",
       "a token name must be UTF-8 text without control or text-direction characters"},
      {"c1\xc2\x9b",
       "a token name must be UTF-8 text without control or text-direction characters"},
      {"bad\xff", "a token name must be UTF-8 text without control or text-direction characters"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    TokenSpec spec;
    spec.name = c.name;
    Result<NewToken> t = tokens.Create(alice, "alice", spec);
    REQUIRE_FALSE(t.ok());
    CHECK(t.status().code() == Code::kInvalid);
    CHECK(t.status().message() == c.message);
  }
}

TEST_CASE_FIXTURE(TokensFixture, "Create refuses a bad crate pattern") {
  TokenSpec spec;
  spec.name = "ci";
  spec.crate_patterns = {"good-*", "*"};
  Result<NewToken> t = tokens.Create(alice, "alice", spec);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == Code::kInvalid);
  CHECK(t.status().message() ==
        "invalid crate pattern `*`: give a crate name or a prefix ending in `*`, such as "
        "`my-corp-*`");
}

TEST_CASE_FIXTURE(TokensFixture, "Create refuses a token for a disabled user") {
  REQUIRE(users.SetDisabled(root, "alice", true).ok());
  TokenSpec spec;
  spec.name = "ci";
  Result<NewToken> t = tokens.Create(root, "alice", spec);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == Code::kInvalid);
  CHECK(t.status().message() == "user `alice` is disabled; enable it first");
}

TEST_CASE_FIXTURE(TokensFixture, "Create for an unknown user is NotFound") {
  TokenSpec spec;
  spec.name = "ci";
  Result<NewToken> t = tokens.Create(root, "nobody", spec);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == Code::kNotFound);
  CHECK(t.status().message() == "no user `nobody`");
}

TEST_CASE_FIXTURE(TokensFixture, "a member creating a token for another user is Forbidden") {
  TokenSpec spec;
  spec.name = "ci";
  Result<NewToken> t = tokens.Create(alice, "bob", spec);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().code() == Code::kForbidden);
  CHECK(t.status().message() == "only administrators may create tokens for other users");
  CHECK(tokens.Create(root, "bob", spec).ok());
}

TEST_CASE_FIXTURE(TokensFixture,
                  "Authenticate records last use in memory; FlushLastUsed writes it") {
  NewToken t = MustCreate("alice", "laptop");
  clock.Advance(30);
  REQUIRE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());

  CHECK(StoredLastUsed(t.info.id) == -1);  // not written per request
  Result<std::vector<TokenInfo>> listed = tokens.List(alice.user.id, false);
  REQUIRE(listed.ok());
  CHECK((*listed)[0].last_used_at == kAuthTestStart + 30);  // the pending value, merged

  REQUIRE(tokens.FlushLastUsed().ok());
  CHECK(StoredLastUsed(t.info.id) == kAuthTestStart + 30);
  listed = tokens.List(alice.user.id, false);
  REQUIRE(listed.ok());
  CHECK((*listed)[0].last_used_at == kAuthTestStart + 30);
}

TEST_CASE_FIXTURE(TokensFixture, "FlushLastUsed keeps the newest time of several uses") {
  NewToken t = MustCreate("alice", "laptop");
  clock.Advance(10);
  REQUIRE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
  clock.Advance(10);
  REQUIRE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
  REQUIRE(tokens.FlushLastUsed().ok());
  CHECK(StoredLastUsed(t.info.id) == kAuthTestStart + 20);
  // Nothing pending: a second flush changes nothing.
  REQUIRE(tokens.FlushLastUsed().ok());
  CHECK(StoredLastUsed(t.info.id) == kAuthTestStart + 20);
}

TEST_CASE_FIXTURE(TokensFixture, "a failed authentication records no last use") {
  NewToken t = MustCreate("alice", "laptop");
  REQUIRE(tokens.Revoke(alice, t.info.id).ok());
  CHECK_FALSE(tokens.Authenticate(t.secret, kTokenUserAddress).ok());
  REQUIRE(tokens.FlushLastUsed().ok());
  CHECK(StoredLastUsed(t.info.id) == -1);
}

TEST_CASE_FIXTURE(TokensFixture, "creating and revoking tokens are audited") {
  TokenSpec spec;
  spec.name = "ci";
  spec.scopes = kScopeYank;
  spec.crate_patterns = {"my-corp-*"};
  spec.expires_at = kAuthTestStart + 86400;
  NewToken t = MustCreate(root, "alice", spec);
  AuditEvent create = LastAudit("token-create");
  CHECK(create.actor == "root");
  CHECK(create.actor_id == root.user.id);
  CHECK(create.address == kTokenUserAddress);
  CHECK(create.target == "token " + std::to_string(t.info.id));
  CHECK(create.detail == "`ci` for alice; scopes: read yank; crates: my-corp-*; expires " +
                             FormatUtc(kAuthTestStart + 86400));
  CHECK(create.detail.find(t.secret.substr(4)) == std::string::npos);

  clock.Advance(5);
  REQUIRE(tokens.Revoke(alice, t.info.id).ok());
  AuditEvent revoke = LastAudit("token-revoke");
  CHECK(revoke.actor == "alice");
  CHECK(revoke.target == "token " + std::to_string(t.info.id));
  CHECK(revoke.detail == "`ci` of alice");
  CHECK(revoke.at == kAuthTestStart + 5);
}

}  // namespace
}  // namespace registry
