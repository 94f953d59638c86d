// The web UI's files, embedded into the binary at build time by scripts/embed_web.py.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace registry {

struct WebAsset {
  std::string_view path;          // "/index.html"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view body;  // empty for large text files, which are kept compressed only
  std::string_view gzip;  // body gzip-compressed at build time; empty when that does not pay
  size_t size = 0;        // bytes of the uncompressed file
};

const std::vector<WebAsset>& WebAssets();

}  // namespace registry
