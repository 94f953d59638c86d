// API token secrets: generation and the hash that is all the database keeps.
#pragma once

#include <string>
#include <string_view>

namespace registry {

// A new secret: "crg_" followed by 64 hex digits (256 random bits). Shown to its owner once.
std::string NewTokenSecret();

// The stored form of a secret: lower-case hex SHA-256. A slow KDF is unnecessary here since
// secrets carry 256 bits of entropy; a fast hash keeps per-request auth cheap.
std::string HashTokenSecret(std::string_view secret);

// Strips an optional "Bearer " prefix (some clients add it; cargo does not) and surrounding
// whitespace from an Authorization header value.
std::string_view TokenFromAuthorizationHeader(std::string_view header);

}  // namespace registry
