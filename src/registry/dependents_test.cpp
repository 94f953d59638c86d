// Tests for Registry::Dependents (reverse dependencies) on a real database.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_util/crate_builder.h"
#include "test_util/registry_env.h"

namespace registry {
namespace {

using Json = nlohmann::json;

Json Dep(const std::string& name, const std::string& req, Json extra = Json::object()) {
  Json dep = {{"name", name},      {"version_req", req},       {"features", Json::array()},
              {"optional", false}, {"default_features", true}, {"target", nullptr},
              {"kind", "normal"}};
  dep.update(extra);
  return dep;
}

class DependentsFixture : public RegistryEnv {
 protected:
  DependentsFixture() {
    REQUIRE(users.Add(Actor::ForCli(), "alice", false).ok());
    alice = Actor::ForSession(*users.Find("alice"), 1, "127.0.0.1");
  }
  void Publish(const std::string& name, const std::string& vers, Json deps = Json::array(),
               const std::vector<CrateEntry>& files = {}) {
    Json meta = {{"name", name}, {"vers", vers}, {"deps", deps}, {"features", Json::object()}};
    Result<Published> p =
        registry.Publish(alice, MakePublishBody(meta.dump(), MakeCrateFile(name, vers, files)));
    REQUIRE_MESSAGE(p.ok(), p.status().message());
  }
  std::vector<std::string> Names(const DependentsPage& page) {
    std::vector<std::string> names;
    for (const Dependent& d : page.dependents) names.push_back(d.name);
    return names;
  }
  Actor alice;
};

TEST_CASE_FIXTURE(DependentsFixture, "Dependents lists crates whose newest version depends") {
  Publish("base", "1.0.0");
  Publish("app", "1.0.0", Json::array({Dep("base", "^1.0")}));
  Publish("tool", "0.1.0",
          Json::array(
              {Dep("base", "^1", {{"kind", "dev"}}), Dep("base", "^1.0", {{"optional", true}})}));
  Publish("gone", "1.0.0", Json::array({Dep("base", "^1")}));
  Publish("gone", "2.0.0");  // its newest version no longer depends on base
  Publish("other", "1.0.0", Json::array({Dep("base", "^1", {{"registry", "https://x/index"}})}));

  Result<DependentsPage> page = registry.Dependents(alice, "base", 10, 1);
  REQUIRE(page.ok());
  CHECK(page->total == 2);
  CHECK(Names(*page) == std::vector<std::string>{"app", "tool"});
  CHECK(page->dependents[0].version == "1.0.0");
  REQUIRE(page->dependents[0].uses.size() == 1);
  CHECK(page->dependents[0].uses[0].req == "^1.0");
  CHECK(page->dependents[0].uses[0].kind == "normal");
  REQUIRE(page->dependents[1].uses.size() == 2);
  CHECK(page->dependents[1].uses[0].kind == "dev");
  CHECK(page->dependents[1].uses[1].optional);
}

TEST_CASE_FIXTURE(DependentsFixture, "Dependents leaves out crates whose every version is yanked") {
  Publish("base", "1.0.0");
  Publish("app", "1.0.0", Json::array({Dep("base", "^1")}));
  REQUIRE(registry.SetYanked(alice, "app", "1.0.0", true).ok());
  Result<DependentsPage> page = registry.Dependents(alice, "base", 10, 1);
  REQUIRE(page.ok());
  CHECK(page->total == 0);
  CHECK(page->dependents.empty());
}

TEST_CASE_FIXTURE(DependentsFixture, "Dependents pages, and bounds per_page") {
  Publish("base", "1.0.0");
  for (const char* name : {"a1", "a2", "a3"})
    Publish(name, "1.0.0", Json::array({Dep("base", "^1")}));
  Result<DependentsPage> first = registry.Dependents(alice, "base", 2, 1);
  Result<DependentsPage> second = registry.Dependents(alice, "base", 2, 2);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->total == 3);
  CHECK(Names(*first) == std::vector<std::string>{"a1", "a2"});
  CHECK(Names(*second) == std::vector<std::string>{"a3"});
  Result<DependentsPage> huge = registry.Dependents(alice, "base", 1000000, 1000000000);
  REQUIRE(huge.ok());
  CHECK(huge->dependents.empty());
  CHECK(huge->total == 3);
}

TEST_CASE_FIXTURE(DependentsFixture, "Dependents applies the token's crate patterns") {
  Publish("base", "1.0.0");
  Publish("app", "1.0.0", Json::array({Dep("base", "^1")}));
  Publish("team-app", "1.0.0", Json::array({Dep("base", "^1")}));
  Actor limited = alice;
  limited.crate_patterns = {"team-*", "base"};
  Result<DependentsPage> page = registry.Dependents(limited, "base", 10, 1);
  REQUIRE(page.ok());
  CHECK(page->total == 1);
  CHECK(Names(*page) == std::vector<std::string>{"team-app"});
  limited.crate_patterns = {"team-*"};
  CHECK(registry.Dependents(limited, "base", 10, 1).status().code() == Code::kForbidden);
}

TEST_CASE_FIXTURE(DependentsFixture, "Dependents of a crate that does not exist is NotFound") {
  Result<DependentsPage> page = registry.Dependents(alice, "nope", 10, 1);
  CHECK(page.status().code() == Code::kNotFound);
  CHECK(page.status().message() == "crate `nope` does not exist");
}

}  // namespace
}  // namespace registry
