// Tests for turning a packaged Cargo.toml into publish metadata.
#include "publish/manifest_metadata.h"

#include <doctest/doctest.h>

namespace registry {

TEST_CASE("MetadataFromManifest reads what cargo publish would send") {
  const char* toml = R"(
[package]
edition = "2021"
name = "demo"
version = "1.2.3"
authors = ["A <a@example.com>"]
description = "A demo"
readme = "README.md"
keywords = ["demo", "test"]
categories = ["development-tools"]
license = "MIT"
repository = "https://example.com/demo"
rust-version = "1.70"
links = "z"

[features]
default = ["std"]
std = []
serde = ["dep:serde"]

[dependencies.serde]
version = "1.0.100"
optional = true
default-features = false
features = ["derive"]

[dependencies.renamed]
version = ">= 0.3, < 0.5"
package = "real-name"
registry-index = "https://git.example.com/index"

[dev-dependencies]
tiny = "2"

[target.'cfg(unix)'.build-dependencies.cc]
version = "=1.0.0"
)";
  Result<PublishMetadata> meta = MetadataFromManifest(toml, std::string("# Demo\n"));
  REQUIRE_MESSAGE(meta.ok(), meta.status().message());
  CHECK(meta->name == "demo");
  CHECK(meta->vers == "1.2.3");
  CHECK(meta->description == "A demo");
  CHECK(meta->readme == "# Demo\n");
  CHECK(meta->readme_file == "README.md");
  CHECK(meta->keywords == std::vector<std::string>{"demo", "test"});
  CHECK(meta->license == "MIT");
  CHECK(meta->rust_version == "1.70");
  CHECK(meta->links == "z");
  CHECK(meta->features.at("serde") == std::vector<std::string>{"dep:serde"});
  REQUIRE(meta->deps.size() == 4);
  // Tables come in key order (toml++ keeps them sorted), kinds in cargo's order.
  const PublishDependency& renamed = meta->deps[0];
  const PublishDependency& serde = meta->deps[1];
  CHECK(serde.name == "serde");
  CHECK(serde.version_req == "^1.0.100");
  CHECK(serde.optional);
  CHECK_FALSE(serde.default_features);
  CHECK(serde.features == std::vector<std::string>{"derive"});
  CHECK(renamed.name == "real-name");
  CHECK(renamed.explicit_name_in_toml == "renamed");
  CHECK(renamed.version_req == ">=0.3, <0.5");
  CHECK(renamed.registry == "https://git.example.com/index");
  CHECK(meta->deps[2].kind == "dev");
  CHECK(meta->deps[2].version_req == "^2");
  CHECK(meta->deps[3].kind == "build");
  CHECK(meta->deps[3].target == "cfg(unix)");
  CHECK(meta->deps[3].version_req == "=1.0.0");
  // The stored JSON is what the publish parser accepts, field for field.
  Result<PublishMetadata> round = ParsePublishMetadata(PublishMetadataJson(*meta));
  REQUIRE_MESSAGE(round.ok(), round.status().message());
  CHECK(round->deps.size() == 4);
  CHECK(round->description == "A demo");
}

TEST_CASE("MetadataFromManifest refuses text that is not TOML") {
  Result<PublishMetadata> meta = MetadataFromManifest("[package\nname=", std::nullopt);
  CHECK(meta.status().code() == Code::kInvalid);
  CHECK(meta.status().message().rfind("invalid crate file: Cargo.toml is not valid TOML: ", 0) == 0);
}

}  // namespace registry
