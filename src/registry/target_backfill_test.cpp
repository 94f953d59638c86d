// Tests for the targets (library, binaries) Publish records for the crate page, and
// Registry::BackfillTargets, on a real database and blob store.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_util/crate_builder.h"
#include "test_util/registry_env.h"

namespace registry {
namespace {

using Json = nlohmann::json;

class TargetsFixture : public RegistryEnv {
 protected:
  TargetsFixture() {
    REQUIRE(users.Add(Actor::ForCli(), "alice", false).ok());
    alice = Actor::ForSession(*users.Find("alice"), 1, "127.0.0.1");
  }
  void Publish(const std::string& name, const std::string& vers,
               const std::vector<CrateEntry>& files = {}) {
    Json meta = {
        {"name", name}, {"vers", vers}, {"deps", Json::array()}, {"features", Json::object()}};
    Result<Published> p =
        registry.Publish(alice, MakePublishBody(meta.dump(), MakeCrateFile(name, vers, files)));
    REQUIRE_MESSAGE(p.ok(), p.status().message());
  }
  Actor alice;
};

TEST_CASE_FIXTURE(TargetsFixture, "Publish records the targets the crate page offers") {
  Publish("lib-only", "1.0.0");
  Publish("tool", "1.0.0",
          {{"src/main.rs", "fn main() {}\n"}, {"src/bin/extra.rs", "fn main() {}\n"}});
  Result<CrateDetails> lib = registry.Details(alice, "lib-only", "");
  Result<CrateDetails> tool = registry.Details(alice, "tool", "");
  REQUIRE(lib.ok());
  REQUIRE(tool.ok());
  REQUIRE(lib->versions[0].bin_names.has_value());
  CHECK(lib->versions[0].bin_names->empty());
  // MakeCrateFile's crates hold no src/lib.rs unless given one.
  CHECK(lib->versions[0].has_lib == std::optional<bool>(false));
  REQUIRE(tool->versions[0].bin_names.has_value());
  CHECK(*tool->versions[0].bin_names == std::vector<std::string>{"extra", "tool"});
  Publish("both", "1.0.0", {{"src/lib.rs", "pub fn f() {}\n"}, {"src/main.rs", "fn main() {}\n"}});
  Result<CrateDetails> both = registry.Details(alice, "both", "");
  REQUIRE(both.ok());
  CHECK(both->versions[0].has_lib == std::optional<bool>(true));
  CHECK(both->versions[0].bin_names == std::optional<std::vector<std::string>>({"both"}));
}

TEST_CASE_FIXTURE(TargetsFixture, "BackfillTargets reads each crate's newest .crate once") {
  Publish("tool", "1.0.0", {{"src/main.rs", "fn main() {}\n"}});
  Publish("tool", "1.1.0", {{"src/main.rs", "fn main() {}\n"}, {"src/lib.rs", "pub fn f() {}\n"}});
  {
    // As a database from before the names were recorded.
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("UPDATE versions SET bin_names = NULL, has_lib = NULL").ok());
  }
  REQUIRE(registry.BackfillTargets().ok());
  Result<CrateDetails> tool = registry.Details(alice, "tool", "");
  REQUIRE(tool.ok());
  REQUIRE(tool->versions[0].num == "1.1.0");
  REQUIRE(tool->versions[0].bin_names.has_value());
  CHECK(*tool->versions[0].bin_names == std::vector<std::string>{"tool"});
  CHECK(tool->versions[0].has_lib == std::optional<bool>(true));
  CHECK_FALSE(tool->versions[1].bin_names.has_value());  // older: not known
  CHECK_FALSE(tool->versions[1].has_lib.has_value());

  // Done once: a later start reads no file.
  {
    auto db = pool.Acquire();
    REQUIRE(db.ok());
    REQUIRE((*db)->Exec("UPDATE versions SET bin_names = NULL, has_lib = NULL").ok());
  }
  REQUIRE(registry.BackfillTargets().ok());
  tool = registry.Details(alice, "tool", "");
  REQUIRE(tool.ok());
  CHECK_FALSE(tool->versions[0].bin_names.has_value());
}

}  // namespace
}  // namespace registry
