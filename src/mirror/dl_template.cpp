// Expanding config.json's `dl` the way cargo does (src/sources/registry/download.rs).
#include "mirror/dl_template.h"

#include <algorithm>

#include "base/ascii.h"

namespace registry {

// The index directory of `name` as cargo's {prefix} marker spells it: "1", "2", "3/a",
// "ab/cd", in the name's own case.
static std::string Prefix(std::string_view name) {
  if (name.size() <= 2) return std::to_string(name.size());
  if (name.size() == 3) return "3/" + std::string(name.substr(0, 1));
  return std::string(name.substr(0, 2)) + "/" + std::string(name.substr(2, 2));
}

static void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

std::string ExpandDlTemplate(std::string_view dl, std::string_view name, std::string_view vers,
                             std::string_view cksum) {
  static constexpr std::string_view kMarkers[] = {"{crate}", "{version}", "{prefix}",
                                                  "{lowerprefix}", "{sha256-checksum}"};
  bool templated = std::any_of(std::begin(kMarkers), std::end(kMarkers), [&](std::string_view m) {
    return dl.find(m) != std::string_view::npos;
  });
  if (!templated) {
    std::string url(dl);
    if (!url.empty() && url.back() == '/') url.pop_back();
    return url + "/" + std::string(name) + "/" + std::string(vers) + "/download";
  }
  std::string prefix = Prefix(name);
  std::string lower = AsciiLower(prefix);
  std::string url(dl);
  ReplaceAll(&url, "{crate}", name);
  ReplaceAll(&url, "{version}", vers);
  ReplaceAll(&url, "{lowerprefix}", lower);
  ReplaceAll(&url, "{prefix}", prefix);
  ReplaceAll(&url, "{sha256-checksum}", cksum);
  return url;
}

}  // namespace registry
