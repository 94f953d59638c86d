// Tests for FindCrateTargets: a table of manifests and file lists, as cargo discovers them.
#include "publish/crate_targets.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace registry {
namespace {

struct Case {
  const char* what;
  std::string toml;
  std::vector<std::string> files;
  std::vector<std::string> bins;
};

const std::string kPackage = "[package]\nname = \"tool\"\nversion = \"1.0.0\"\n";
const std::string k2021 = kPackage + "edition = \"2021\"\n";

TEST_CASE("FindCrateTargets finds binaries as cargo does") {
  const std::vector<Case> cases = {
      {"a library has none", k2021, {}, {}},
      {"src/main.rs is the package's binary", k2021, {"src/main.rs"}, {"tool"}},
      {"src/bin/NAME.rs and src/bin/NAME/main.rs",
       k2021,
       {"src/bin/a.rs", "src/bin/b/main.rs"},
       {"a", "b"}},
      {"autobins = false keeps only [[bin]] tables",
       kPackage + "edition = \"2021\"\nautobins = false\n[[bin]]\nname = \"x\"\npath = "
                  "\"src/main.rs\"\n",
       {"src/main.rs", "src/bin/a.rs"},
       {"x"}},
      {"autobins = false and no tables: none",
       kPackage + "autobins = false\n",
       {"src/main.rs"},
       {}},
      {"a [[bin]] naming a discovered path replaces it",
       k2021 + "[[bin]]\nname = \"renamed\"\npath = \"./src/main.rs\"\n",
       {"src/main.rs", "src/bin/a.rs"},
       {"a", "renamed"}},
      {"a [[bin]] with a discovered name is listed once",
       k2021 + "[[bin]]\nname = \"a\"\n",
       {"src/bin/a.rs"},
       {"a"}},
      {"edition 2015 with [[bin]] tables discovers nothing more",
       kPackage + "[[bin]]\nname = \"only\"\npath = \"tools/only.rs\"\n",
       {"src/main.rs"},
       {"only"}},
      {"edition 2015 without tables discovers", kPackage, {"src/main.rs"}, {"tool"}},
      {"autobins = true in 2015 discovers beside tables",
       kPackage + "autobins = true\n[[bin]]\nname = \"only\"\npath = \"tools/only.rs\"\n",
       {"src/main.rs"},
       {"only", "tool"}},
      {"cargo's packaged form (1.95): explicit targets",
       "[package]\nedition = \"2021\"\nname = \"tool\"\nversion = \"1.0.0\"\nautolib = false\n"
       "autobins = false\nautoexamples = false\n[[bin]]\nname = \"tool\"\npath = "
       "\"src/main.rs\"\n[[bin]]\nname = \"extra\"\npath = \"src/bin/extra.rs\"\n",
       {"src/main.rs", "src/bin/extra.rs"},
       {"extra", "tool"}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    Result<CrateTargets> targets = FindCrateTargets(c.toml, c.files);
    REQUIRE(targets.ok());
    CHECK(targets->bins == c.bins);
  }
}

TEST_CASE("FindCrateTargets finds the library as cargo does") {
  struct LibCase {
    const char* what;
    std::string toml;
    std::vector<std::string> files;
    bool lib;
  };
  const std::vector<LibCase> cases = {
      {"src/lib.rs", k2021, {"src/lib.rs", "src/main.rs"}, true},
      {"a binary only", k2021, {"src/main.rs"}, false},
      {"a [lib] table elsewhere", k2021 + "[lib]\npath = \"lib/mod.rs\"\n", {}, true},
      {"autolib = false ignores src/lib.rs", kPackage + "autolib = false\n", {"src/lib.rs"}, false},
      {"cargo's packaged form: autolib = false and a [lib] table",
       kPackage + "autolib = false\n[lib]\nname = \"tool\"\npath = \"src/lib.rs\"\n",
       {"src/lib.rs"},
       true},
  };
  for (const LibCase& c : cases) {
    CAPTURE(c.what);
    Result<CrateTargets> targets = FindCrateTargets(c.toml, c.files);
    REQUIRE(targets.ok());
    CHECK(targets->lib == c.lib);
  }
}

TEST_CASE("FindCrateTargets refuses a manifest that is not TOML") {
  Result<CrateTargets> targets = FindCrateTargets("[package\n", {"src/main.rs"});
  REQUIRE_FALSE(targets.ok());
  CHECK(targets.status().code() == Code::kInvalid);
}

TEST_CASE("Stored binary names read back as written; anything else reads as none") {
  CHECK(BinNamesJson({"a", "tool"}) == R"(["a","tool"])");
  CHECK(ParseBinNamesJson(BinNamesJson({"a", "tool"})) == std::vector<std::string>{"a", "tool"});
  CHECK(ParseBinNamesJson("[]").empty());
  CHECK(ParseBinNamesJson("{\"a\":1}").empty());
  CHECK(ParseBinNamesJson("not json").empty());
}

}  // namespace
}  // namespace registry
