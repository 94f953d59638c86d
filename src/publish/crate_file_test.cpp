// Tests for reading single files out of a .crate.
#include "publish/crate_file.h"

#include <doctest/doctest.h>

#include "test_util/crate_builder.h"

namespace registry {

TEST_CASE("ReadCrateManifest finds NAME-VERSION/Cargo.toml without being told the name") {
  std::string crate = MakeCrateFile("my-crate", "1.0.0-beta.1", {{"README.md", "hi"}});
  Result<CrateManifest> manifest = ReadCrateManifest(crate);
  REQUIRE_MESSAGE(manifest.ok(), manifest.status().message());
  CHECK(manifest->root == "my-crate-1.0.0-beta.1");
  CHECK(manifest->text.find("name = \"my-crate\"") != std::string::npos);
  CHECK(*ReadCrateFile(crate, "my-crate-1.0.0-beta.1/README.md", 100) == "hi");
  CHECK_FALSE(ReadCrateFile(crate, "my-crate-1.0.0-beta.1/README.md", 1)->has_value());
  CHECK_FALSE(ReadCrateFile(crate, "my-crate-1.0.0-beta.1/NOPE", 100)->has_value());
}

TEST_CASE("ReadCrateManifest refuses what is not a .crate") {
  CHECK(ReadCrateManifest("not a tarball").status().code() == Code::kInvalid);
}

}  // namespace registry
