// The download URL of a .crate, from a registry's config.json `dl` template.
#pragma once

#include <string>
#include <string_view>

namespace registry {

// Expands cargo's markers {crate}, {version}, {prefix}, {lowerprefix} and {sha256-checksum}
// in `dl`; with none of them, appends "/{crate}/{version}/download" as cargo does. Nothing is
// URL-encoded (cargo does not either).
std::string ExpandDlTemplate(std::string_view dl, std::string_view name, std::string_view vers,
                             std::string_view cksum);

}  // namespace registry
