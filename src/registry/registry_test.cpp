// Tests for the Registry service: publish, index files, yank, owners, search and downloads,
// on a real SQLite database and blob store in a temp directory, with a fake clock.
#include "registry/registry.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/audit_log.h"
#include "auth/users.h"
#include "base/clock.h"
#include "base/crypto.h"
#include "crate/name.h"
#include "db/schema.h"
#include "db/sqlite.h"
#include "index/index_line.h"
#include "storage/blob_store.h"
#include "storage/file_system.h"
#include "test_util/crate_builder.h"
#include "test_util/full_disk_file_system.h"
#include "test_util/temp_dir.h"

namespace registry {
namespace {

using Json = nlohmann::json;

constexpr int64_t kStartTime = 1700000000;  // 2023-11-14T22:13:20Z
constexpr const char* kCratesIo = "https://github.com/rust-lang/crates.io-index";

// The publish JSON cargo would send for a crate with no dependencies or features.
Json Meta(const std::string& name, const std::string& vers) {
  return Json{
      {"name", name}, {"vers", vers}, {"deps", Json::array()}, {"features", Json::object()}};
}

// One registry over a fresh data directory; users alice, bob and carol exist.
class RegistryFixture {
 protected:
  RegistryFixture() {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE(Migrate(db->get()).ok());
    REQUIRE(blobs.Init().ok());
    for (const char* login : {"alice", "bob", "carol"})
      REQUIRE(users.Add(Actor::ForCli(), login, false).ok());
    alice = Actor::ForSession(*users.Find("alice"), 1, "127.0.0.1");
    bob = Actor::ForSession(*users.Find("bob"), 2, "127.0.0.1");
    carol = Actor::ForSession(*users.Find("carol"), 3, "127.0.0.1");
  }

  // Publishes `meta` with a real .crate whose Cargo.toml matches its name and version.
  Result<Published> Publish(const Actor& user, const Json& meta) {
    std::string crate =
        MakeCrateFile(meta["name"].get<std::string>(), meta["vers"].get<std::string>());
    return registry.Publish(user, MakePublishBody(meta.dump(), crate));
  }
  Result<Published> Publish(const Actor& user, const std::string& name, const std::string& vers) {
    return Publish(user, Meta(name, vers));
  }
  void MustPublish(const Actor& user, const Json& meta) {
    Result<Published> p = Publish(user, meta);
    REQUIRE_MESSAGE(p.ok(), p.status().message());
  }
  void MustPublish(const Actor& user, const std::string& name, const std::string& vers) {
    MustPublish(user, Meta(name, vers));
  }

  // The index file's lines, parsed; empty when the crate has no index file.
  std::vector<Json> IndexLines(const std::string& lower_name) {
    std::vector<Json> lines;
    Result<IndexFileRef> file = registry.ReadIndexFile(alice, lower_name);
    if (!file.ok()) return lines;
    size_t start = 0;
    for (size_t nl; (nl = (*file)->body.find('\n', start)) != std::string::npos; start = nl + 1) {
      lines.push_back(Json::parse((*file)->body.substr(start, nl - start)));
    }
    return lines;
  }

  std::vector<std::string> OwnerLogins(const std::string& name) {
    std::vector<std::string> logins;
    auto owners = registry.ListOwners(alice, name);
    REQUIRE(owners.ok());
    for (const Owner& o : *owners) logins.push_back(o.login);
    return logins;
  }

  std::vector<std::string> SearchNames(const std::string& query, int per_page = 100, int page = 1) {
    std::vector<std::string> names;
    auto found = registry.Search(alice, query, per_page, page);
    REQUIRE(found.ok());
    for (const SearchHit& hit : found->crates) names.push_back(hit.name);
    return names;
  }

  // Crates for the search tests, published in an order unrelated to the expected ranking.
  void PublishSearchCorpus() {
    const std::pair<const char*, const char*> crates[] = {
        {"zzz-tool", "Works with Serde data"},
        {"serde_json", "JSON for serde"},
        {"abc-serde", nullptr},
        {"unrelated", "nothing to see"},
        {"serde-yaml", nullptr},
        {"serde", "The serialization framework"},
    };
    for (const auto& [name, description] : crates) {
      Json meta = Meta(name, "1.0.0");
      if (description) meta["description"] = description;
      MustPublish(alice, meta);
    }
  }

  std::string CksumOf(const std::string& lower_name, size_t line) {
    return IndexLines(lower_name).at(line)["cksum"].get<std::string>();
  }

  TempDir dir;
  FullDiskFileSystem fs;
  DatabasePool pool{dir.path() + "/registry.db"};
  BlobStore blobs{dir.path(), &fs};
  FakeClock clock{kStartTime};
  Users users{&pool, &clock};
  Registry registry{&pool, &blobs, &clock, RegistryOptions{}};
  Actor alice, bob, carol;
};

// --- Reserved names and per-crate limits ----------------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture, "crates named like Cargo's directories can be published") {
  for (const char* name : {"target", "build", "deps", "examples", "src"}) {
    CAPTURE(name);
    MustPublish(alice, name, "2.0.0");
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "a new crate may not take a name crates.io reserves") {
  for (const char* name : {"std", "com0", "lpt0", "Nul", "rustc"}) {
    CAPTURE(name);
    Result<Published> p = Publish(alice, name, "1.0.0");
    CHECK(p.status().code() == Code::kInvalid);
    CHECK(p.status().message() == ValidateNewCrateName(name).message());
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "dependency names are not checked against the reserved list") {
  MustPublish(alice, "target", "2.0.0");
  Json meta = Meta("uses-target", "1.0.0");
  meta["deps"].push_back(CargoDep("target", "^2"));
  meta["deps"].push_back(CargoDep("com0", "^1", {{"registry", kCratesIo}}));
  MustPublish(alice, meta);
}

Json WithFeatures(Json meta, int count) {
  for (int i = 0; i < count; ++i) meta["features"]["f" + std::to_string(i)] = Json::array();
  return meta;
}

TEST_CASE_FIXTURE(RegistryFixture, "more features than the server's limit are refused") {
  MustPublish(alice, WithFeatures(Meta("small", "1.0.0"), 300));
  Result<Published> p = Publish(alice, WithFeatures(Meta("winapi", "0.3.9"), 399));
  CHECK(p.status().code() == Code::kInvalid);
  CHECK(p.status().message() ==
        "invalid publish metadata: at most 300 features are allowed, got 399; an administrator "
        "can raise this crate's limit with `registry crate limits --data DIR winapi "
        "--max-features N`");
}

TEST_CASE_FIXTURE(RegistryFixture, "a crate's own feature limit applies before its first publish") {
  CrateLimits limits;
  limits.max_features = 400;
  REQUIRE(registry.SetCrateLimits(Actor::ForCli(), "WinAPI", limits).ok());
  MustPublish(alice, WithFeatures(Meta("winapi", "0.3.9"), 399));
  // Other crates keep the server's limit.
  CHECK(Publish(alice, WithFeatures(Meta("other", "1.0.0"), 399)).status().code() ==
        Code::kInvalid);
  Result<CrateLimits> read = registry.GetCrateLimits("winapi");
  REQUIRE(read.ok());
  CHECK(read->max_features == 400);
  CHECK_FALSE(read->max_size.has_value());
}

TEST_CASE_FIXTURE(RegistryFixture, "a crate's own size limit lowers or raises the server's") {
  CrateLimits small;
  small.max_size = 100;
  REQUIRE(registry.SetCrateLimits(Actor::ForCli(), "tiny", small).ok());
  Result<Published> p = Publish(alice, "tiny", "1.0.0");
  CHECK(p.status().code() == Code::kTooLarge);
  CrateLimits big;
  big.max_size = 64ull << 20;
  REQUIRE(registry.SetCrateLimits(Actor::ForCli(), "huge", big).ok());
  Result<uint64_t> largest = registry.LargestCrateSize();
  REQUIRE(largest.ok());
  CHECK(*largest == (64ull << 20));
}

TEST_CASE_FIXTURE(RegistryFixture, "only administrators change a crate's limits, audited") {
  CrateLimits limits;
  limits.max_features = 500;
  CHECK(registry.SetCrateLimits(alice, "winapi", limits).code() == Code::kForbidden);
  REQUIRE(registry.SetCrateLimits(Actor::ForCli(), "winapi", limits).ok());
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  Statement st = (*db)->Prepare("SELECT target, detail FROM audit WHERE action = 'crate-limits'");
  REQUIRE(*st.Step());
  CHECK(st.Text(0) == "winapi");
  CHECK(st.Text(1) == "max features 500, max size default");
}

// --- Publish ---------------------------------------------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture,
                  "the first publish creates the crate with its publisher as owner") {
  std::string crate = MakeCrateFile("foo", "0.1.0");
  Result<Published> p =
      registry.Publish(alice, MakePublishBody(Meta("foo", "0.1.0").dump(), crate));
  REQUIRE_MESSAGE(p.ok(), p.status().message());
  CHECK(p->name == "foo");
  CHECK(p->vers == "0.1.0");
  CHECK(p->cksum == Sha256Hex(crate));
  auto owners = registry.ListOwners(alice, "foo");
  REQUIRE(owners.ok());
  REQUIRE(owners->size() == 1);
  CHECK((*owners)[0].id == alice.user.id);
  CHECK((*owners)[0].login == "alice");
}

TEST_CASE_FIXTURE(RegistryFixture, "the index file has one line per version, in publish order") {
  const std::vector<std::string> versions = {"1.0.0", "0.9.0", "1.1.0-beta.1", "0.9.1"};
  for (const std::string& v : versions) {
    MustPublish(alice, "foo", v);
    clock.Advance(60);
  }
  Result<IndexFileRef> file = registry.ReadIndexFile(alice, "foo");
  REQUIRE(file.ok());
  CHECK((*file)->body.back() == '\n');
  std::vector<Json> lines = IndexLines("foo");
  REQUIRE(lines.size() == versions.size());
  for (size_t i = 0; i < versions.size(); ++i) {
    CAPTURE(i);
    const Json& line = lines[i];
    CHECK(line["name"] == "foo");
    CHECK(line["vers"] == versions[i]);
    CHECK(line["deps"] == Json::array());
    CHECK(line["cksum"] == Sha256Hex(MakeCrateFile("foo", versions[i])));
    CHECK(line["features"] == Json::object());
    CHECK(line["yanked"] == false);
    CHECK(line["links"] == nullptr);
    CHECK(line["pubtime"] == FormatPubtime(kStartTime + 60 * static_cast<int64_t>(i)));
    CHECK_FALSE(line.contains("features2"));
    CHECK_FALSE(line.contains("v"));
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "the index file is found by the lower-cased crate name") {
  MustPublish(alice, "MyCrate", "1.0.0");
  std::vector<Json> lines = IndexLines("mycrate");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["name"] == "MyCrate");
}

TEST_CASE_FIXTURE(RegistryFixture, "the index file of an unknown crate is NotFound") {
  Result<IndexFileRef> file = registry.ReadIndexFile(alice, "nope");
  CHECK(file.status().code() == Code::kNotFound);
  CHECK(file.status().message() == "crate `nope` does not exist");
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "a renamed dependency is indexed under its alias with the real name as package") {
  MustPublish(alice, "real-dep", "1.2.0");
  Json meta = Meta("foo", "0.1.0");
  meta["deps"].push_back(CargoDep("real-dep", "^1.2",
                             {{"explicit_name_in_toml", "alias"},
                              {"features", {"extra"}},
                              {"optional", true},
                              {"default_features", false},
                              {"target", "cfg(unix)"},
                              {"kind", "dev"}}));
  MustPublish(alice, meta);
  std::vector<Json> lines = IndexLines("foo");
  REQUIRE(lines.size() == 1);
  const Json expected = Json::parse(R"json([{
      "name": "alias", "req": "^1.2", "features": ["extra"], "optional": true,
      "default_features": false, "target": "cfg(unix)", "kind": "dev", "registry": null,
      "package": "real-dep"}])json");
  CHECK(lines[0]["deps"] == expected);
}

TEST_CASE_FIXTURE(RegistryFixture, "features using dep: or ?/ syntax go to features2 with v 2") {
  Json meta = Meta("foo", "0.1.0");
  meta["deps"].push_back(CargoDep("serde", "^1", {{"optional", true}, {"registry", kCratesIo}}));
  meta["features"] = {{"default", {"std"}},
                      {"std", Json::array()},
                      {"serde", {"dep:serde"}},
                      {"serde-std", {"serde?/std"}}};
  MustPublish(alice, meta);
  std::vector<Json> lines = IndexLines("foo");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["features"] == Json{{"default", {"std"}}, {"std", Json::array()}});
  CHECK(lines[0]["features2"] == Json{{"serde", {"dep:serde"}}, {"serde-std", {"serde?/std"}}});
  CHECK(lines[0]["v"] == 2);
}

TEST_CASE_FIXTURE(RegistryFixture, "the index ETag changes when a version is added") {
  MustPublish(alice, "foo", "1.0.0");
  Result<IndexFileRef> before = registry.ReadIndexFile(alice, "foo");
  REQUIRE(before.ok());
  Result<IndexFileRef> again = registry.ReadIndexFile(alice, "foo");
  REQUIRE(again.ok());
  CHECK((*again)->etag == (*before)->etag);
  CHECK((*before)->etag.front() == '"');
  CHECK((*before)->etag.back() == '"');

  MustPublish(alice, "foo", "1.0.1");
  Result<IndexFileRef> after = registry.ReadIndexFile(alice, "foo");
  REQUIRE(after.ok());
  CHECK((*after)->etag != (*before)->etag);
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "the index Last-Modified is the clock time of the latest change") {
  MustPublish(alice, "foo", "1.0.0");
  CHECK((*registry.ReadIndexFile(alice, "foo"))->last_modified == kStartTime);

  clock.Set(kStartTime + 1000);
  MustPublish(alice, "foo", "1.0.1");
  CHECK((*registry.ReadIndexFile(alice, "foo"))->last_modified == kStartTime + 1000);

  clock.Set(kStartTime + 5000);
  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", true).ok());
  CHECK((*registry.ReadIndexFile(alice, "foo"))->last_modified == kStartTime + 5000);
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "a version already uploaded is a Conflict, whatever its build metadata") {
  struct Case {
    std::string first, second;
  };
  const Case cases[] = {
      {"1.0.0", "1.0.0"},   {"1.0.0", "1.0.0+build.7"},     {"1.0.0+a", "1.0.0+b"},
      {"1.0.0+a", "1.0.0"}, {"2.0.0-rc.1+x", "2.0.0-rc.1"},
  };
  int n = 0;
  for (const Case& c : cases) {
    CAPTURE(c.first);
    CAPTURE(c.second);
    const std::string name = "dup" + std::to_string(n++);
    MustPublish(alice, name, c.first);
    Result<Published> p = Publish(alice, name, c.second);
    CHECK(p.status().code() == Code::kConflict);
    CHECK(p.status().message() == "crate `" + name + "` version `" + c.first +
                                      "` is already uploaded; versions are immutable: publish a "
                                      "new version");
    CHECK(IndexLines(name).size() == 1);
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "a yanked version cannot be published again") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", true).ok());
  Result<Published> p = Publish(alice, "foo", "1.0.0");
  CHECK(p.status().code() == Code::kConflict);
  CHECK(p.status().message() ==
        "crate `foo` version `1.0.0` is already uploaded (and yanked); versions are immutable: "
        "publish a new version");
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "a name differing only in case or -/_ from an existing crate is a Conflict") {
  MustPublish(alice, "foo-bar", "1.0.0");
  for (const char* name : {"Foo-Bar", "foo_bar", "FOO_BAR", "fOO-bAR"}) {
    CAPTURE(name);
    Result<Published> p = Publish(alice, name, "2.0.0");
    CHECK(p.status().code() == Code::kConflict);
    CHECK(p.status().message() ==
          "crate `" + std::string(name) +
              "` conflicts with existing crate `foo-bar` (names differing only in case or `-`/`_` "
              "are the same crate); publish it as `foo-bar`");
  }
  CHECK(IndexLines("foo-bar").size() == 1);
  CHECK(IndexLines("foo_bar").empty());
}

TEST_CASE_FIXTURE(RegistryFixture, "a user who does not own a crate cannot publish to it") {
  MustPublish(alice, "foo", "1.0.0");
  Result<Published> p = Publish(bob, "foo", "1.1.0");
  CHECK(p.status().code() == Code::kForbidden);
  CHECK(p.status().message() ==
        "user `bob` is not an owner of crate `foo` and may not publish new versions of it");
  CHECK(IndexLines("foo").size() == 1);
}

TEST_CASE_FIXTURE(RegistryFixture, "an added owner can publish new versions") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(registry.AddOwners(alice, "foo", {"bob"}).ok());
  MustPublish(bob, "foo", "1.1.0");
  CHECK(IndexLines("foo").size() == 2);
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "a dependency on a crate missing from this registry is Invalid") {
  struct Case {
    const char* dep;
    const char* why;
    const char* hint;
  };
  MustPublish(alice, "present", "1.0.0");
  const Case cases[] = {
      {"missing", "absent", "publish it here first, or depend on it from its own registry"},
      {"Present", "differs in case from the existing crate", "did you mean `present`?"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.why);
    Json meta = Meta("foo", "0.1.0");
    meta["deps"].push_back(CargoDep(c.dep, "^1"));
    Result<Published> p = Publish(alice, meta);
    CHECK(p.status().code() == Code::kInvalid);
    CHECK(p.status().message() ==
          "dependency `" + std::string(c.dep) + "` does not exist in this registry; " + c.hint);
    CHECK(IndexLines("foo").empty());
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "a dependency on another registry is accepted with its URL") {
  Json meta = Meta("foo", "0.1.0");
  meta["deps"].push_back(CargoDep("serde", "^1.0", {{"registry", kCratesIo}}));
  MustPublish(alice, meta);
  std::vector<Json> lines = IndexLines("foo");
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0]["deps"].size() == 1);
  CHECK(lines[0]["deps"][0]["name"] == "serde");
  CHECK(lines[0]["deps"][0]["registry"] == kCratesIo);
  CHECK_FALSE(lines[0]["deps"][0].contains("package"));
}

TEST_CASE_FIXTURE(RegistryFixture, "a crate may depend on itself, e.g. as a dev-dependency") {
  Json meta = Meta("foo", "0.2.0");
  meta["deps"].push_back(CargoDep("foo", "^0.1", {{"kind", "dev"}}));
  MustPublish(alice, meta);
  CHECK(IndexLines("foo").size() == 1);
}

TEST_CASE_FIXTURE(RegistryFixture, "a publish whose blob write fails leaves no version behind") {
  MustPublish(alice, "foo", "1.0.0");
  fs.full = true;

  Result<Published> p = Publish(alice, "foo", "1.1.0");
  CHECK(p.status().code() == Code::kNoSpace);
  std::vector<Json> lines = IndexLines("foo");
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["vers"] == "1.0.0");

  Result<Published> fresh = Publish(alice, "newcrate", "1.0.0");
  CHECK(fresh.status().code() == Code::kNoSpace);
  CHECK(registry.ReadIndexFile(alice, "newcrate").status().code() == Code::kNotFound);
  CHECK(registry.ListOwners(alice, "newcrate").status().code() == Code::kNotFound);

  // Once there is room again the same publish goes through.
  fs.full = false;
  MustPublish(alice, "foo", "1.1.0");
  CHECK(IndexLines("foo").size() == 2);
}

// --- Yank ------------------------------------------------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture,
                  "yanking sets \"yanked\" in the index line and unyanking clears it") {
  MustPublish(alice, "foo", "1.0.0");
  MustPublish(alice, "foo", "1.1.0");
  const std::string original = (*registry.ReadIndexFile(alice, "foo"))->body;

  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", true).ok());
  std::vector<Json> lines = IndexLines("foo");
  REQUIRE(lines.size() == 2);
  CHECK(lines[0]["yanked"] == true);
  CHECK(lines[1]["yanked"] == false);

  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", false).ok());
  CHECK((*registry.ReadIndexFile(alice, "foo"))->body == original);
}

TEST_CASE_FIXTURE(RegistryFixture, "only an owner may yank or unyank") {
  MustPublish(alice, "foo", "1.0.0");
  Status yank = registry.SetYanked(bob, "foo", "1.0.0", true);
  CHECK(yank.code() == Code::kForbidden);
  CHECK(yank.message() == "user `bob` is not an owner of crate `foo` and may not yank it");
  Status unyank = registry.SetYanked(bob, "foo", "1.0.0", false);
  CHECK(unyank.code() == Code::kForbidden);
  CHECK(unyank.message() == "user `bob` is not an owner of crate `foo` and may not unyank it");
  CHECK(IndexLines("foo")[0]["yanked"] == false);
}

TEST_CASE_FIXTURE(RegistryFixture, "yanking an unknown crate or version is NotFound") {
  MustPublish(alice, "foo", "1.0.0");
  struct Case {
    const char* name;
    const char* vers;
    const char* message;
  };
  const Case cases[] = {
      {"foo", "9.9.9", "crate `foo` has no version `9.9.9`"},
      {"foo", "1.0.0-rc.1", "crate `foo` has no version `1.0.0-rc.1`"},
      {"nope", "1.0.0", "crate `nope` does not exist"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    Status s = registry.SetYanked(alice, c.name, c.vers, true);
    CHECK(s.code() == Code::kNotFound);
    CHECK(s.message() == c.message);
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "yanking the newest version lowers the crate's max_version") {
  Json meta = Meta("foo", "1.0.0");
  meta["description"] = "a foo";
  MustPublish(alice, meta);
  MustPublish(alice, "foo", "2.0.0");
  REQUIRE(registry.SetYanked(alice, "foo", "2.0.0", true).ok());
  auto found = registry.Search(alice, "foo", 10, 1);
  REQUIRE(found.ok());
  REQUIRE(found->crates.size() == 1);
  CHECK(found->crates[0].max_version == "1.0.0");
}

// --- Owners ----------------------------------------------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture, "AddOwners names the new owners the way cargo prints them") {
  MustPublish(alice, "foo", "1.0.0");
  auto one = registry.AddOwners(alice, "foo", {"bob"});
  REQUIRE(one.ok());
  CHECK(*one == "user `bob` is now an owner of crate `foo`");
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice", "bob"});

  auto two = registry.AddOwners(alice, "foo", {"bob", "carol"});
  REQUIRE(two.ok());
  CHECK(*two == "users `bob` and `carol` are now owners of crate `foo`");
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice", "bob", "carol"});

  auto three = registry.AddOwners(alice, "foo", {"alice", "bob", "carol"});
  REQUIRE(three.ok());
  CHECK(*three == "users `alice`, `bob` and `carol` are now owners of crate `foo`");
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "owners are named by their stored login, whatever case is given") {
  MustPublish(alice, "foo", "1.0.0");
  auto added = registry.AddOwners(alice, "foo", {"BOB"});
  REQUIRE(added.ok());
  CHECK(*added == "user `bob` is now an owner of crate `foo`");
}

TEST_CASE_FIXTURE(RegistryFixture, "RemoveOwners names the removed owners") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(registry.AddOwners(alice, "foo", {"bob", "carol"}).ok());
  auto removed = registry.RemoveOwners(alice, "foo", {"bob", "carol"});
  REQUIRE(removed.ok());
  CHECK(*removed == "removed `bob` and `carol` from the owners of crate `foo`");
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice"});
}

TEST_CASE_FIXTURE(RegistryFixture, "an owner may remove themselves while another owner remains") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(registry.AddOwners(alice, "foo", {"bob"}).ok());
  auto removed = registry.RemoveOwners(alice, "foo", {"alice"});
  REQUIRE(removed.ok());
  CHECK(*removed == "removed `alice` from the owners of crate `foo`");
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"bob"});
}

TEST_CASE_FIXTURE(RegistryFixture, "removing every owner is refused and changes nothing") {
  MustPublish(alice, "foo", "1.0.0");
  auto alone = registry.RemoveOwners(alice, "foo", {"alice"});
  CHECK(alone.status().code() == Code::kInvalid);
  CHECK(alone.status().message() ==
        "cannot remove every owner of crate `foo`: add another owner first");

  REQUIRE(registry.AddOwners(alice, "foo", {"bob"}).ok());
  auto both = registry.RemoveOwners(alice, "foo", {"alice", "bob"});
  CHECK(both.status().code() == Code::kInvalid);
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice", "bob"});
}

TEST_CASE_FIXTURE(RegistryFixture, "removing a user who is not an owner is Invalid") {
  MustPublish(alice, "foo", "1.0.0");
  auto removed = registry.RemoveOwners(alice, "foo", {"bob"});
  CHECK(removed.status().code() == Code::kInvalid);
  CHECK(removed.status().message() == "user `bob` is not an owner of crate `foo`");
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "an unknown user cannot be added or removed, and nothing changes") {
  MustPublish(alice, "foo", "1.0.0");
  auto added = registry.AddOwners(alice, "foo", {"bob", "ghost"});
  CHECK(added.status().code() == Code::kNotFound);
  CHECK(added.status().message() == "no user `ghost` on this registry");
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice"});

  auto removed = registry.RemoveOwners(alice, "foo", {"ghost"});
  CHECK(removed.status().code() == Code::kNotFound);
  CHECK(removed.status().message() == "no user `ghost` on this registry");
}

TEST_CASE_FIXTURE(RegistryFixture, "only an owner may change a crate's owners") {
  MustPublish(alice, "foo", "1.0.0");
  const std::string message =
      "user `bob` is not an owner of crate `foo` and may not change its owners";
  auto added = registry.AddOwners(bob, "foo", {"bob"});
  CHECK(added.status().code() == Code::kForbidden);
  CHECK(added.status().message() == message);
  auto removed = registry.RemoveOwners(bob, "foo", {"alice"});
  CHECK(removed.status().code() == Code::kForbidden);
  CHECK(removed.status().message() == message);
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice"});
}

TEST_CASE_FIXTURE(RegistryFixture, "an empty list of owners is Invalid") {
  MustPublish(alice, "foo", "1.0.0");
  auto added = registry.AddOwners(alice, "foo", {});
  CHECK(added.status().code() == Code::kInvalid);
  CHECK(added.status().message() == "no users given to add as owners");
  auto removed = registry.RemoveOwners(alice, "foo", {});
  CHECK(removed.status().code() == Code::kInvalid);
  CHECK(removed.status().message() == "no users given to remove as owners");
}

TEST_CASE_FIXTURE(RegistryFixture, "owners of an unknown crate are NotFound") {
  const std::string message = "crate `nope` does not exist";
  CHECK(registry.ListOwners(alice, "nope").status().message() == message);
  CHECK(registry.AddOwners(alice, "nope", {"bob"}).status().code() == Code::kNotFound);
  CHECK(registry.RemoveOwners(alice, "nope", {"bob"}).status().message() == message);
}

// --- Search ----------------------------------------------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture,
                  "search ranks the exact name first, then prefixes by name, then other matches "
                  "by relevance") {
  PublishSearchCorpus();
  // `-` and `_` compare equal in names; a match in a name outranks one in a description.
  const std::vector<std::string> expected = {"serde", "serde_json", "serde-yaml", "abc-serde",
                                             "zzz-tool"};
  CHECK(SearchNames("serde") == expected);
  CHECK(SearchNames("SeRdE") == expected);
  auto found = registry.Search(alice, "serde", 10, 1);
  REQUIRE(found.ok());
  CHECK(found->total == 5);
  CHECK(found->crates[0].max_version == "1.0.0");
  CHECK(found->crates[0].description == "The serialization framework");
  CHECK(found->crates[2].description == "");
}

TEST_CASE_FIXTURE(RegistryFixture, "search pages through the matches and counts them all") {
  PublishSearchCorpus();
  struct Case {
    int per_page, page;
    std::vector<std::string> names;
  };
  const Case cases[] = {
      {2, 1, {"serde", "serde_json"}},
      {2, 2, {"serde-yaml", "abc-serde"}},
      {2, 3, {"zzz-tool"}},
      {2, 4, {}},
      {2, 0, {"serde", "serde_json"}},  // pages start at 1
  };
  for (const Case& c : cases) {
    CAPTURE(c.per_page);
    CAPTURE(c.page);
    auto found = registry.Search(alice, "serde", c.per_page, c.page);
    REQUIRE(found.ok());
    CHECK(found->total == 5);
    std::vector<std::string> names;
    for (const SearchHit& hit : found->crates) names.push_back(hit.name);
    CHECK(names == c.names);
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "search treats `_` and `%` in the query literally") {
  MustPublish(alice, "a_b", "1.0.0");
  MustPublish(alice, "axb", "1.0.0");
  CHECK(SearchNames("a_b") == std::vector<std::string>{"a_b"});
  CHECK(SearchNames("%").empty());
}

TEST_CASE_FIXTURE(RegistryFixture, "search clamps per_page to 100 and defaults it to 10 below 1") {
  for (int i = 0; i < 101; ++i) MustPublish(alice, "many" + std::to_string(1000 + i), "1.0.0");
  struct Case {
    int per_page;
    size_t hits;
  };
  const Case cases[] = {{1000, 100}, {101, 100}, {100, 100}, {1, 1}, {0, 10}, {-5, 10}};
  for (const Case& c : cases) {
    CAPTURE(c.per_page);
    auto found = registry.Search(alice, "many", c.per_page, 1);
    REQUIRE(found.ok());
    CHECK(found->total == 101);
    CHECK(found->crates.size() == c.hits);
  }
}

// --- Downloads -------------------------------------------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture, "a downloaded crate hashes to the index cksum") {
  MustPublish(alice, "foo", "1.0.0");
  Result<std::string> bytes = registry.ReadCrate(alice, "foo", "1.0.0");
  REQUIRE(bytes.ok());
  CHECK(*bytes == MakeCrateFile("foo", "1.0.0"));
  CHECK(Sha256Hex(*bytes) == CksumOf("foo", 0));
}

TEST_CASE_FIXTURE(RegistryFixture, "a yanked version can still be downloaded") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", true).ok());
  CHECK(registry.ReadCrate(alice, "foo", "1.0.0").ok());
}

TEST_CASE_FIXTURE(RegistryFixture, "a crate file altered on disk is Corrupt, never served") {
  MustPublish(alice, "foo", "1.0.0");
  const std::string cksum = CksumOf("foo", 0);
  const std::string path = blobs.PathOf(cksum);
  REQUIRE(std::filesystem::exists(path));
  std::ofstream(path, std::ios::binary | std::ios::app) << "x";

  Result<std::string> bytes = registry.ReadCrate(alice, "foo", "1.0.0");
  CHECK(bytes.status().code() == Code::kCorrupt);
  CHECK(bytes.status().message().find("is corrupt: its SHA-256 is ") != std::string::npos);
}

TEST_CASE_FIXTURE(RegistryFixture, "a crate file missing from disk is Corrupt") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(std::filesystem::remove(blobs.PathOf(CksumOf("foo", 0))));
  Result<std::string> bytes = registry.ReadCrate(alice, "foo", "1.0.0");
  CHECK(bytes.status().code() == Code::kCorrupt);
  CHECK(bytes.status().message() ==
        "the stored file for crate `foo` version `1.0.0` is missing from the blob store");
}

TEST_CASE_FIXTURE(RegistryFixture, "downloading an unknown crate or version is NotFound") {
  MustPublish(alice, "foo", "1.0.0");
  struct Case {
    const char* name;
    const char* vers;
    const char* message;
  };
  const Case cases[] = {
      {"foo", "2.0.0", "crate `foo` has no version `2.0.0`"},
      {"foo", "latest", "crate `foo` has no version `latest`"},
      {"nope", "1.0.0", "crate `nope` does not exist"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.message);
    Result<std::string> bytes = registry.ReadCrate(alice, c.name, c.vers);
    CHECK(bytes.status().code() == Code::kNotFound);
    CHECK(bytes.status().message() == c.message);
  }
}

TEST_CASE_FIXTURE(RegistryFixture, "the crate's description follows its highest version") {
  Json v2 = Meta("described", "2.0.0");
  v2["description"] = "the new description";
  MustPublish(alice, v2);
  Json v1 = Meta("described", "1.5.0");
  v1["description"] = "an old backport";
  MustPublish(alice, v1);
  auto found = registry.Search(alice, "described", 10, 1);
  REQUIRE(found.ok());
  REQUIRE(found->crates.size() == 1);
  CHECK(found->crates[0].description == "the new description");
  CHECK(found->crates[0].max_version == "2.0.0");
}

// --- Scopes, crate patterns and audit -------------------------------------------------------

// `base` limited to `scopes` and `patterns`, as a token would be.
Actor Limited(const Actor& base, ScopeSet scopes, std::vector<std::string> patterns = {}) {
  Actor a = base;
  a.token_id = 99;
  a.session_id = 0;
  a.scopes = scopes | kScopeRead;
  a.crate_patterns = std::move(patterns);
  return a;
}

TEST_CASE_FIXTURE(RegistryFixture,
                  "a read-only actor can read but not publish, yank or change owners") {
  MustPublish(alice, "foo", "1.0.0");
  Actor reader = Limited(alice, kScopeRead);
  CHECK(registry.ReadIndexFile(reader, "foo").ok());
  CHECK(registry.ReadCrate(reader, "foo", "1.0.0").ok());
  Result<Published> p = Publish(reader, "foo", "1.1.0");
  CHECK(p.status().code() == Code::kForbidden);
  CHECK(p.status().message() ==
        "this token lacks the `publish-update` scope (it has: read); create a token with "
        "`publish-update`");
  CHECK(registry.SetYanked(reader, "foo", "1.0.0", true).message().find("`yank` scope") !=
        std::string::npos);
  CHECK(registry.AddOwners(reader, "foo", {"bob"}).status().message().find("`change-owners`") !=
        std::string::npos);
  CHECK(IndexLines("foo").size() == 1);
}

TEST_CASE_FIXTURE(RegistryFixture, "publish-update may add versions but not create crates") {
  MustPublish(alice, "foo", "1.0.0");
  Actor updater = Limited(alice, kScopePublishUpdate);
  CHECK(Publish(updater, "foo", "1.1.0").ok());
  Result<Published> fresh = Publish(updater, "brand-new", "1.0.0");
  CHECK(fresh.status().code() == Code::kForbidden);
  CHECK(fresh.status().message().find("`publish-new` scope") != std::string::npos);
  CHECK(IndexLines("brand-new").empty());
  CHECK(Publish(Limited(alice, kScopePublishNew), "brand-new", "1.0.0").ok());
}

TEST_CASE_FIXTURE(RegistryFixture, "crate patterns limit every operation and search") {
  MustPublish(alice, "corp-a", "1.0.0");
  MustPublish(alice, "other", "1.0.0");
  Actor corp = Limited(alice, kAllScopes, {"Corp_*"});
  CHECK(registry.ReadIndexFile(corp, "corp-a").ok());
  Result<IndexFileRef> other = registry.ReadIndexFile(corp, "other");
  CHECK(other.status().code() == Code::kForbidden);
  CHECK(other.status().message() ==
        "this token is limited to crates matching `Corp_*`, which `other` does not match");
  CHECK(registry.ReadCrate(corp, "other", "1.0.0").status().code() == Code::kForbidden);
  CHECK(registry.Details(corp, "other", "").status().code() == Code::kForbidden);
  CHECK(registry.ListOwners(corp, "other").status().code() == Code::kForbidden);
  CHECK(registry.SetYanked(corp, "other", "1.0.0", true).code() == Code::kForbidden);
  CHECK(Publish(corp, "other", "1.1.0").status().code() == Code::kForbidden);
  CHECK(Publish(corp, "corp-b", "1.0.0").ok());
  auto found = registry.Search(corp, "", 10, 1);
  REQUIRE(found.ok());
  CHECK(found->total == 2);
  for (const SearchHit& hit : found->crates) CHECK(hit.name.rfind("corp-", 0) == 0);
}

TEST_CASE_FIXTURE(RegistryFixture, "an administrator may yank and change owners of any crate") {
  MustPublish(alice, "foo", "1.0.0");
  Actor admin = bob;
  admin.user.is_admin = true;
  CHECK(registry.SetYanked(bob, "foo", "1.0.0", true).code() == Code::kForbidden);
  CHECK(registry.SetYanked(admin, "foo", "1.0.0", true).ok());
  CHECK(registry.AddOwners(admin, "foo", {"carol"}).ok());
  CHECK(OwnerLogins("foo") == std::vector<std::string>{"alice", "carol"});
  // Publishing still needs ownership.
  CHECK(Publish(admin, "foo", "2.0.0").status().code() == Code::kForbidden);
}

TEST_CASE_FIXTURE(RegistryFixture, "state changes are audited with who, what and from where") {
  MustPublish(alice, "foo", "1.0.0");
  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", true).ok());
  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", false).ok());
  REQUIRE(registry.AddOwners(alice, "foo", {"bob"}).ok());
  REQUIRE(registry.RemoveOwners(alice, "foo", {"bob"}).ok());
  CHECK(Publish(bob, "foo", "9.0.0").status().code() == Code::kForbidden);
  auto db = pool.Acquire();
  REQUIRE(db.ok());
  auto events = ReadAudit(db->get(), AuditQuery{});
  REQUIRE(events.ok());
  std::vector<std::string> seen;
  for (const AuditEvent& e : *events) {
    if (e.action == "user-add") continue;
    seen.push_back(e.action + " " + e.actor + " " + e.address + " " + e.target);
  }
  CHECK(seen == std::vector<std::string>{
                    "publish alice 127.0.0.1 foo@1.0.0", "yank alice 127.0.0.1 foo@1.0.0",
                    "unyank alice 127.0.0.1 foo@1.0.0", "owner-add alice 127.0.0.1 foo",
                    "owner-remove alice 127.0.0.1 foo"});
}

// --- Crate details, full-text search and downloads -------------------------------------------

TEST_CASE_FIXTURE(RegistryFixture, "details list versions newest first with deps and features") {
  MustPublish(alice, "dep", "1.0.0");
  Json v1 = Meta("app", "1.0.0");
  v1["license"] = "MIT";
  MustPublish(alice, v1);
  Json v2 = Meta("app", "1.10.0");
  v2["license"] = "Apache-2.0";
  v2["repository"] = "https://example.com/app";
  v2["keywords"] = Json::array({"cli"});
  v2["features"] = Json{{"fast", Json::array({"dep:dep"})}};
  v2["deps"] = Json::array({CargoDep("dep", "^1", {{"optional", true}})});
  MustPublish(alice, v2);
  Json v19 = Meta("app", "1.9.0");
  MustPublish(alice, v19);
  REQUIRE(registry.SetYanked(alice, "app", "1.9.0", true).ok());

  auto d = registry.Details(bob, "app", "");
  REQUIRE_MESSAGE(d.ok(), d.status().message());
  CHECK(d->name == "app");
  CHECK(d->version == "1.10.0");
  CHECK(d->license == "Apache-2.0");
  CHECK(d->repository == "https://example.com/app");
  CHECK(d->keywords == std::vector<std::string>{"cli"});
  REQUIRE(d->versions.size() == 3);
  CHECK(d->versions[0].num == "1.10.0");
  CHECK(d->versions[1].num == "1.9.0");
  CHECK(d->versions[1].yanked);
  CHECK(d->versions[2].num == "1.0.0");
  CHECK(d->versions[0].published_by == "alice");
  REQUIRE(d->versions[0].deps.size() == 1);
  CHECK(d->versions[0].deps[0].name == "dep");
  CHECK(d->versions[0].deps[0].optional);
  CHECK(d->versions[0].features.at("fast") == std::vector<std::string>{"dep:dep"});
  CHECK(d->owners.size() == 1);
  auto old = registry.Details(bob, "app", "1.0.0");
  REQUIRE(old.ok());
  CHECK(old->license == "MIT");
  CHECK(registry.Details(bob, "app", "7.0.0").status().code() == Code::kNotFound);
  CHECK(registry.Details(bob, "nope", "").status().code() == Code::kNotFound);
}

TEST_CASE_FIXTURE(RegistryFixture, "the README is rendered at publish, sanitized, per version") {
  Json v1 = Meta("doc", "1.0.0");
  v1["readme"] =
      "# Title\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n<script>alert(1)</script>\n\n![l](logo.png)\n";
  v1["repository"] = "https://github.com/acme/doc";
  MustPublish(alice, v1);
  MustPublish(alice, "doc", "1.1.0");
  auto with = registry.Details(alice, "doc", "1.0.0");
  REQUIRE(with.ok());
  REQUIRE(with->readme_html.has_value());
  CHECK(with->readme_html->find("<h1 id=\"user-content-title\">Title</h1>") != std::string::npos);
  // Relative images resolve against the crate's own repository.
  CHECK(with->readme_html->find("src=\"https://github.com/acme/doc/raw/HEAD/logo.png\"") !=
        std::string::npos);
  CHECK(with->readme_html->find("<table>") != std::string::npos);
  CHECK(with->readme_html->find("<script") == std::string::npos);
  auto without = registry.Details(alice, "doc", "");
  REQUIRE(without.ok());
  CHECK_FALSE(without->readme_html.has_value());
}

TEST_CASE_FIXTURE(RegistryFixture, "search finds words in names, keywords and descriptions") {
  Json a = Meta("fast-parser", "1.0.0");
  a["keywords"] = Json::array({"tokenizer"});
  MustPublish(alice, a);
  Json b = Meta("other", "1.0.0");
  b["description"] = "A parser combinator library";
  MustPublish(alice, b);
  CHECK(SearchNames("parser") == std::vector<std::string>{"fast-parser", "other"});
  CHECK(SearchNames("token") == std::vector<std::string>{"fast-parser"});
  CHECK(SearchNames("combinator lib") == std::vector<std::string>{"other"});
  CHECK(SearchNames("\"*) OR (").empty());
}

TEST_CASE_FIXTURE(RegistryFixture, "an empty search lists the most recently updated crates") {
  MustPublish(alice, "first", "1.0.0");
  clock.Advance(10);
  MustPublish(alice, "second", "1.0.0");
  clock.Advance(10);
  MustPublish(alice, "first", "1.1.0");
  CHECK(SearchNames("") == std::vector<std::string>{"first", "second"});
  CHECK(SearchNames("  ") == std::vector<std::string>{"first", "second"});
}

TEST_CASE_FIXTURE(RegistryFixture, "lookups kept in memory never outlive a change") {
  // Index files and download lookups are kept until the next write: a miss is never kept,
  // a publish shows at once, and patterns apply before memory is consulted.
  MustPublish(alice, "corp-a", "1.0.0");
  CHECK(registry.ReadCrate(alice, "corp-a", "2.0.0").status().code() == Code::kNotFound);
  CHECK(registry.ReadIndexFile(alice, "corp-b").status().code() == Code::kNotFound);
  REQUIRE(registry.ReadIndexFile(alice, "corp-a").ok());
  MustPublish(alice, "corp-a", "2.0.0");
  MustPublish(alice, "corp-b", "1.0.0");
  CHECK(registry.ReadCrate(alice, "corp-a", "2.0.0").ok());
  CHECK(registry.ReadIndexFile(alice, "corp-b").ok());
  CHECK(IndexLines("corp-a").size() == 2);
  REQUIRE(registry.ReadCrate(alice, "corp-a", "1.0.0").ok());
  Actor other = Limited(alice, kAllScopes, {"other-*"});
  CHECK(registry.ReadCrate(other, "corp-a", "1.0.0").status().code() == Code::kForbidden);
  CHECK(registry.ReadIndexFile(other, "corp-a").status().code() == Code::kForbidden);
}

TEST_CASE_FIXTURE(RegistryFixture, "downloads are counted in memory and written by a flush") {
  MustPublish(alice, "foo", "1.0.0");
  MustPublish(alice, "foo", "1.1.0");
  for (int i = 0; i < 3; ++i) REQUIRE(registry.ReadCrate(alice, "foo", "1.0.0").ok());
  REQUIRE(registry.ReadCrate(alice, "foo", "1.1.0").ok());
  auto stored = [&] {
    auto db = pool.Acquire();
    Statement st = (*db)->Prepare("SELECT downloads FROM crates WHERE name = 'foo'");
    REQUIRE(*st.Step());
    return st.Int(0);
  };
  CHECK(stored() == 0);
  auto before = registry.Details(alice, "foo", "");
  REQUIRE(before.ok());
  CHECK(before->downloads == 4);
  REQUIRE(registry.FlushDownloads().ok());
  CHECK(stored() == 4);
  clock.Advance(86400);
  REQUIRE(registry.ReadCrate(alice, "foo", "1.0.0").ok());
  auto d = registry.Details(alice, "foo", "");
  REQUIRE(d.ok());
  CHECK(d->downloads == 5);
  CHECK(d->versions[1].downloads == 4);
  REQUIRE(d->downloads_by_day.size() == 2);
  CHECK(d->downloads_by_day[0].day == kStartTime / 86400);
  CHECK(d->downloads_by_day[0].downloads == 4);
  CHECK(d->downloads_by_day[1].downloads == 1);
}

TEST_CASE_FIXTURE(RegistryFixture, "OpenCrate verifies a file once, then hands out its path") {
  MustPublish(alice, "foo", "1.0.0");
  auto bytes = registry.ReadCrate(alice, "foo", "1.0.0");
  REQUIRE(bytes.ok());
  auto file = registry.OpenCrate(alice, "foo", "1.0.0");
  REQUIRE(file.ok());
  CHECK(file->path == blobs.PathOf(CksumOf("foo", 0)));
  CHECK(file->size == bytes->size());
  auto again = registry.OpenCrate(alice, "foo", "1.0.0");
  REQUIRE(again.ok());
  CHECK(again->size == bytes->size());
  CHECK(registry.OpenCrate(alice, "foo", "9.9.9").status().code() == Code::kNotFound);
  CHECK(registry.OpenCrate(Limited(alice, kAllScopes, {"bar"}), "foo", "1.0.0").status().code() ==
        Code::kForbidden);
}

TEST_CASE_FIXTURE(RegistryFixture, "OpenCrate refuses a file corrupted before its first download") {
  MustPublish(alice, "foo", "1.0.0");
  std::ofstream(blobs.PathOf(CksumOf("foo", 0)), std::ios::binary | std::ios::trunc) << "junk";
  CHECK(registry.OpenCrate(alice, "foo", "1.0.0").status().code() == Code::kCorrupt);
  std::filesystem::remove(blobs.PathOf(CksumOf("foo", 0)));
  CHECK(registry.OpenCrate(alice, "foo", "1.0.0").status().code() == Code::kCorrupt);
}

TEST_CASE_FIXTURE(RegistryFixture, "a one-character search lists the names starting with it") {
  Json described = Meta("zeta", "1.0.0");
  described["description"] = "s is in here but the name starts with z";
  MustPublish(alice, described);
  for (const char* name : {"serde", "Syn", "s_mini", "as-s"}) MustPublish(alice, name, "1.0.0");
  CHECK(SearchNames("s") == std::vector<std::string>{"s_mini", "serde", "Syn"});
  CHECK(SearchNames("S") == std::vector<std::string>{"s_mini", "serde", "Syn"});
  auto found = registry.Search(alice, "s", 2, 2);
  REQUIRE(found.ok());
  CHECK(found->total == 3);
  CHECK(found->crates.size() == 1);
  CHECK(SearchNames("-").empty());
}

// --- Search ranking over a few dozen crates ---------------------------------------------------

// A crate of the ranking corpus; keywords are set on most crates so that a keyword match
// weighs more than a description match, as on a real registry.
struct CorpusCrate {
  const char* name;
  const char* description;  // nullptr: none
  std::vector<std::string> keywords;
};

// The registry with 39 crates published one a minute, in an order unrelated to any expected
// ranking (the `tied-*` crates in reverse name order, so rowid order is not name order).
class RankingFixture : public RegistryFixture {
 protected:
  RankingFixture() {
    const CorpusCrate corpus[] = {
        {"tokio", "An async runtime", {"async"}},
        {"simd-json", nullptr, {}},
        {"desc-b", "Reads and writes json files quickly", {}},
        {"json_value", nullptr, {}},
        {"rand", "Random numbers", {"random"}},
        {"kw-only", "Unrelated words here", {"json"}},
        {"serde-derive", "Derive macros for serde", {"derive"}},
        {"jsonrpc", nullptr, {}},
        {"regex", "Regular expressions", {"text"}},
        {"tiny-json-parser", nullptr, {}},
        {"js-serde", nullptr, {}},
        {"JSON5", nullptr, {}},
        {"reqwest", "HTTP client", {"http"}},
        {"desc-a", "Reads json", {}},
        {"hyper", "HTTP library", {"http"}},
        {"serde", "The serialization framework", {"serde"}},
        {"json", nullptr, {}},
        {"clap", "Command line parser", {"cli"}},
        {"serde_json", nullptr, {}},
        {"anyhow", "Error handling", {"error"}},
        {"json-patch", nullptr, {}},
        {"thiserror", "Error derive", {"error"}},
        {"log", "Logging facade", {"logging"}},
        {"jiff", "Date and time", {"time"}},
        {"jemalloc", "Memory allocator", {"memory"}},
        {"chrono", "Date and time", {"time"}},
        {"itertools", "Iterator adaptors", {"iterator"}},
    };
    for (const CorpusCrate& c : corpus) Add(c.name, c.description, c.keywords);
    for (int i = 12; i >= 1; --i) {
      Add((i < 10 ? "tied-0" : "tied-") + std::to_string(i), "all tied up", {});
    }
  }

  void Add(const std::string& name, const char* description,
           const std::vector<std::string>& keywords) {
    Json meta = Meta(name, "1.0.0");
    if (description) meta["description"] = description;
    meta["keywords"] = keywords;
    MustPublish(alice, meta);
    clock.Advance(60);
  }

  // Every match of `query` in the order the ranking is defined by, from one SQL query that
  // joins all full-text matches to `crates` and sorts them. `fts` is the FTS5 form of the
  // query: each word as a quoted prefix term.
  std::vector<std::string> DefinedOrder(const std::string& fts, const std::string& canonical) {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    Statement st = (*db)->Prepare(
        "SELECT c.name FROM crates_fts JOIN crates c ON c.id = crates_fts.rowid "
        "WHERE crates_fts MATCH ?1 ORDER BY c.canonical = ?2 DESC, "
        "substr(c.canonical, 1, length(?2)) = ?2 DESC, "
        "CASE WHEN substr(c.canonical, 1, length(?2)) = ?2 THEN c.canonical END, "
        "bm25(crates_fts, 10.0, 1.0, 3.0), c.canonical");
    st.Bind(1, fts).Bind(2, canonical);
    std::vector<std::string> names;
    for (;;) {
      Result<bool> row = st.Step();
      REQUIRE(row.ok());
      if (!*row) return names;
      names.push_back(st.Text(0));
    }
  }

  // The names on one page of `actor`'s search, and the total it reports.
  std::pair<std::vector<std::string>, int64_t> Page(const Actor& actor, const std::string& query,
                                                    int per_page, int page) {
    auto found = registry.Search(actor, query, per_page, page);
    REQUIRE_MESSAGE(found.ok(), found.status().message());
    std::vector<std::string> names;
    for (const SearchHit& hit : found->crates) names.push_back(hit.name);
    return {names, found->total};
  }
};

using Names = std::vector<std::string>;

TEST_CASE_FIXTURE(RankingFixture,
                  "search lists the exact name, then names starting with the query by name, then "
                  "name, keyword and description matches by relevance") {
  // JSON5 sorts before json_patch: canonical names compare, `5` before `_` before `r`. The
  // equally scored serde_json and simd-json are in name order.
  const Names expected = {"json",    "JSON5",      "json-patch", "json_value",
                          "jsonrpc", "serde_json", "simd-json",  "tiny-json-parser",
                          "kw-only", "desc-a",     "desc-b"};
  CHECK(Page(alice, "json", 100, 1) == std::make_pair(expected, int64_t{11}));
  CHECK(Page(alice, "JSON", 100, 1).first == expected);
  CHECK(Page(alice, "  json ", 100, 1).first == expected);
}

TEST_CASE_FIXTURE(RankingFixture,
                  "search lists names starting with the query even without an "
                  "exact match") {
  CHECK(Page(alice, "jso", 100, 1).first ==
        Names{"json", "JSON5", "json-patch", "json_value", "jsonrpc", "serde_json", "simd-json",
              "tiny-json-parser", "kw-only", "desc-a", "desc-b"});
  CHECK(Page(alice, "json-", 100, 1) ==
        std::make_pair(Names{"json-patch", "json_value", "json", "JSON5", "jsonrpc", "serde_json",
                             "simd-json", "tiny-json-parser", "kw-only", "desc-a", "desc-b"},
                       int64_t{11}));
  CHECK(Page(alice, "ser", 100, 1).first ==
        Names{"serde", "serde-derive", "serde_json", "js-serde"});
}

TEST_CASE_FIXTURE(RankingFixture, "search finds crates by description or keyword alone") {
  CHECK(Page(alice, "reads", 100, 1) == std::make_pair(Names{"desc-a", "desc-b"}, int64_t{2}));
  CHECK(Page(alice, "http", 100, 1) == std::make_pair(Names{"hyper", "reqwest"}, int64_t{2}));
  CHECK(Page(alice, "quickly", 100, 1).first == Names{"desc-b"});
  CHECK(Page(alice, "nothing", 100, 1) == std::make_pair(Names{}, int64_t{0}));
}

TEST_CASE_FIXTURE(RankingFixture,
                  "a multi-word search needs every word and compares the whole "
                  "query with the start of names") {
  // "serde js" starts no canonical name (names have no spaces); "serde_js" starts serde_json.
  CHECK(Page(alice, "serde js", 100, 1) ==
        std::make_pair(Names{"js-serde", "serde_json"}, int64_t{2}));
  CHECK(Page(alice, "serde_js", 100, 1).first == Names{"serde_json", "js-serde"});
  CHECK(Page(alice, "serde-js", 100, 1).first == Names{"serde_json", "js-serde"});
  CHECK(Page(alice, "date time", 100, 1) == std::make_pair(Names{"chrono", "jiff"}, int64_t{2}));
  CHECK(Page(alice, "json nothing", 100, 1) == std::make_pair(Names{}, int64_t{0}));
}

TEST_CASE_FIXTURE(RankingFixture, "search pages run on from the names into the relevance ranking") {
  struct Case {
    int per_page, page;
    Names names;
  };
  const Case cases[] = {
      {3, 1, {"json", "JSON5", "json-patch"}},
      {3, 2, {"json_value", "jsonrpc", "serde_json"}},
      {3, 3, {"simd-json", "tiny-json-parser", "kw-only"}},
      {3, 4, {"desc-a", "desc-b"}},
      {3, 5, {}},
      {5, 1, {"json", "JSON5", "json-patch", "json_value", "jsonrpc"}},
      {5, 2, {"serde_json", "simd-json", "tiny-json-parser", "kw-only", "desc-a"}},
      {4, 2, {"jsonrpc", "serde_json", "simd-json", "tiny-json-parser"}},
      {1, 7, {"simd-json"}},
      {1, 11, {"desc-b"}},
      {1, 12, {}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.per_page);
    CAPTURE(c.page);
    CHECK(Page(alice, "json", c.per_page, c.page) == std::make_pair(c.names, int64_t{11}));
  }
}

TEST_CASE_FIXTURE(RankingFixture, "equally relevant matches are in name order on every page") {
  // The twelve tied-* crates match "tied" in their names equally; they were published in
  // reverse name order.
  CHECK(Page(alice, "all tied", 5, 1) ==
        std::make_pair(Names{"tied-01", "tied-02", "tied-03", "tied-04", "tied-05"}, int64_t{12}));
  CHECK(Page(alice, "all tied", 5, 2).first ==
        Names{"tied-06", "tied-07", "tied-08", "tied-09", "tied-10"});
  CHECK(Page(alice, "all tied", 5, 3).first == Names{"tied-11", "tied-12"});
  CHECK(Page(alice, "up", 4, 2).first == Names{"tied-05", "tied-06", "tied-07", "tied-08"});
}

TEST_CASE_FIXTURE(RankingFixture, "every page of a search is its slice of the defined order") {
  struct Query {
    const char* text;
    const char* fts;
    const char* canonical;
  };
  const Query queries[] = {
      {"json", "\"json\"*", "json"},
      {"serde", "\"serde\"*", "serde"},
      {"se", "\"se\"*", "se"},
      {"serde js", "\"serde\"* \"js\"*", "serde js"},
      {"Serde-JS", "\"serde\"* \"js\"*", "serde_js"},
      {"tied", "\"tied\"*", "tied"},
      {"tied-1", "\"tied\"* \"1\"*", "tied_1"},
      {"time", "\"time\"*", "time"},
      {"re", "\"re\"*", "re"},
      {"er", "\"er\"*", "er"},
  };
  for (const Query& q : queries) {
    CAPTURE(q.text);
    const Names all = DefinedOrder(q.fts, q.canonical);
    CHECK(Page(alice, q.text, 100, 1) == std::make_pair(all, static_cast<int64_t>(all.size())));
    for (int per_page : {1, 2, 3, 5, 7}) {
      for (int page = 1; page <= static_cast<int>(all.size()) / per_page + 2; ++page) {
        CAPTURE(per_page);
        CAPTURE(page);
        const size_t from = std::min(all.size(), static_cast<size_t>(per_page * (page - 1)));
        const size_t to = std::min(all.size(), from + per_page);
        const Names slice(all.begin() + from, all.begin() + to);
        CHECK(Page(alice, q.text, per_page, page) ==
              std::make_pair(slice, static_cast<int64_t>(all.size())));
      }
    }
  }
}

TEST_CASE_FIXTURE(RankingFixture, "crate patterns limit the ranked hits and the total") {
  Actor json_only = Limited(alice, kAllScopes, {"json*"});
  CHECK(Page(json_only, "json", 100, 1) ==
        std::make_pair(Names{"json", "JSON5", "json-patch", "json_value", "jsonrpc"}, int64_t{5}));
  Actor some = Limited(alice, kAllScopes, {"Serde*", "desc-a", "tied-1*"});
  CHECK(Page(some, "json", 100, 1) == std::make_pair(Names{"serde_json", "desc-a"}, int64_t{2}));
  CHECK(Page(some, "json", 1, 2) == std::make_pair(Names{"desc-a"}, int64_t{2}));
  CHECK(Page(some, "tied", 100, 1) ==
        std::make_pair(Names{"tied-10", "tied-11", "tied-12"}, int64_t{3}));
  CHECK(Page(some, "t", 100, 1) ==
        std::make_pair(Names{"tied-10", "tied-11", "tied-12"}, int64_t{3}));
}

TEST_CASE_FIXTURE(RankingFixture, "an empty search lists every crate, the latest update first") {
  auto [names, total] = Page(alice, "", 3, 1);
  CHECK(total == 39);
  CHECK(names == Names{"tied-01", "tied-02", "tied-03"});
  CHECK(Page(alice, "", 3, 13).first == Names{"desc-b", "simd-json", "tokio"});
}

TEST_CASE_FIXTURE(RankingFixture, "a one-character search lists the names starting with it") {
  CHECK(Page(alice, "j", 100, 1) ==
        std::make_pair(Names{"jemalloc", "jiff", "js-serde", "json", "JSON5", "json-patch",
                             "json_value", "jsonrpc"},
                       int64_t{8}));
  CHECK(Page(alice, "J", 3, 2) == std::make_pair(Names{"json", "JSON5", "json-patch"}, int64_t{8}));
}

}  // namespace
}  // namespace registry

namespace registry {
namespace {

TEST_CASE_FIXTURE(RegistryFixture,
                  "metadata nested 3000 deep is refused before any blob is written") {
  std::string meta = R"({"name":"deep","vers":"1.0.0","deps":[],"badges":)" +
                     std::string(3000, '[') + std::string(3000, ']') + "}";
  std::string crate = MakeCrateFile("deep", "1.0.0");
  Result<Published> p = registry.Publish(alice, MakePublishBody(meta, crate));
  REQUIRE_FALSE(p.ok());
  CHECK(p.status().code() == Code::kInvalid);
  CHECK_FALSE(std::filesystem::exists(blobs.PathOf(Sha256Hex(crate))));
}

TEST_CASE_FIXTURE(RegistryFixture, "a publish that fails after storing its blob removes the blob") {
  {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)
                ->Exec("CREATE TRIGGER fail_publish BEFORE INSERT ON versions "
                       "BEGIN SELECT RAISE(ABORT, 'injected failure'); END")
                .ok());
  }
  std::string crate = MakeCrateFile("late", "1.0.0");
  Result<Published> p = registry.Publish(
      alice, MakePublishBody(R"({"name":"late","vers":"1.0.0","deps":[]})", crate));
  REQUIRE_FALSE(p.ok());
  CHECK_FALSE(std::filesystem::exists(blobs.PathOf(Sha256Hex(crate))));
}

TEST_CASE_FIXTURE(RegistryFixture, "search sorts the same hits by update, downloads or name") {
  PublishSearchCorpus();  // published in the order zzz-tool ... serde, one second apart at most
  clock.Advance(10);
  MustPublish(alice, "abc-serde", "1.1.0");  // now the most recently updated
  for (int i = 0; i < 3; ++i) REQUIRE(registry.ReadCrate(alice, "serde-yaml", "1.0.0").ok());
  REQUIRE(registry.ReadCrate(alice, "zzz-tool", "1.0.0").ok());
  REQUIRE(registry.FlushDownloads().ok());
  auto names = [&](SearchSort sort, int per_page = 100, int page = 1) {
    auto found = registry.Search(alice, "serde", per_page, page, sort);
    REQUIRE(found.ok());
    CHECK(found->total == 5);
    std::vector<std::string> out;
    for (const SearchHit& hit : found->crates) out.push_back(hit.name);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(names(SearchSort::kRelevance) ==
        V{"serde", "serde_json", "serde-yaml", "abc-serde", "zzz-tool"});
  CHECK(names(SearchSort::kAlpha) ==
        V{"abc-serde", "serde", "serde_json", "serde-yaml", "zzz-tool"});
  CHECK(names(SearchSort::kDownloads).front() == "serde-yaml");
  CHECK(names(SearchSort::kDownloads)[1] == "zzz-tool");
  CHECK(names(SearchSort::kRecentUpdates).front() == "abc-serde");
  CHECK(names(SearchSort::kAlpha, 2, 2) == V{"serde_json", "serde-yaml"});
}

TEST_CASE("ParseSearchSort takes crates.io's names and refuses others") {
  CHECK(*ParseSearchSort("") == SearchSort::kRelevance);
  CHECK(*ParseSearchSort("relevance") == SearchSort::kRelevance);
  CHECK(*ParseSearchSort("recent-updates") == SearchSort::kRecentUpdates);
  CHECK(*ParseSearchSort("downloads") == SearchSort::kDownloads);
  CHECK(*ParseSearchSort("alpha") == SearchSort::kAlpha);
  Result<SearchSort> bad = ParseSearchSort("newest");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kInvalid);
  CHECK(bad.status().message() ==
        "unknown sort \"newest\": use relevance, recent-updates, downloads or alpha");
}

TEST_CASE_FIXTURE(RegistryFixture, "Stats counts crates, versions, users and downloads per day") {
  MustPublish(alice, "foo", "1.0.0");
  MustPublish(alice, "foo", "1.1.0");
  MustPublish(alice, "bar", "1.0.0");
  REQUIRE(registry.SetYanked(alice, "foo", "1.0.0", true).ok());
  REQUIRE(registry.ReadCrate(alice, "foo", "1.1.0").ok());
  REQUIRE(registry.FlushDownloads().ok());
  clock.Advance(86400);
  REQUIRE(registry.ReadCrate(alice, "bar", "1.0.0").ok());  // not flushed: still counted
  REQUIRE(registry.ReadCrate(alice, "bar", "1.0.0").ok());
  Result<RegistryStats> s = registry.Stats(Actor::ForCli(), 30);
  REQUIRE_MESSAGE(s.ok(), s.status().message());
  CHECK(s->crates == 2);
  CHECK(s->versions == 3);
  CHECK(s->yanked_versions == 1);
  CHECK(s->users == 3);
  CHECK(s->downloads == 3);
  CHECK(s->crate_bytes > 0);
  CHECK(s->database_bytes > 0);
  REQUIRE(s->downloads_by_day.size() == 2);
  CHECK(s->downloads_by_day[0].day == kStartTime / 86400);
  CHECK(s->downloads_by_day[0].downloads == 1);
  CHECK(s->downloads_by_day[1].downloads == 2);
  Result<RegistryStats> one_day = registry.Stats(Actor::ForCli(), 1);
  REQUIRE(one_day.ok());
  CHECK(one_day->downloads_by_day.size() == 1);
  CHECK(registry.Stats(alice, 30).status().code() == Code::kForbidden);
  CHECK(registry.Stats(Actor::ForCli(), 0).status().code() == Code::kInvalid);
  CHECK(registry.Stats(Actor::ForCli(), 367).status().code() == Code::kInvalid);
}

}  // namespace
}  // namespace registry
