// The publish metadata cargo would send for a packaged (normalized) Cargo.toml, for imports
// that start from a .crate file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "publish/publish_metadata.h"

namespace registry {

// [package], [features], [dependencies], [build-dependencies], [dev-dependencies] and their
// [target.X.*] forms, as `cargo publish` turns them into JSON: the real crate name with the
// alias in explicit_name_in_toml, `registry-index` as `registry`, bare requirements as
// caret ones ("1.0" -> "^1.0"). `readme` is the README's text when the caller has it.
// Invalid with the TOML error when the text does not parse. Nothing is validated here:
// ParsePublishMetadata(PublishMetadataJson(meta)) does that.
Result<PublishMetadata> MetadataFromManifest(std::string_view cargo_toml,
                                             std::optional<std::string> readme);

// `meta` as the publish JSON cargo sends (what Registry stores for each version).
std::string PublishMetadataJson(const PublishMetadata& meta);

}  // namespace registry
