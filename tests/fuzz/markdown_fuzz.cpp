// Fuzzes RenderMarkdown: any README renders, and no raw tag an attacker could use comes out of
// it, with or without a repository to resolve relative URLs against.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "readme/markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::MarkdownLimits limits;
  limits.max_input = 64 << 10;  // cmark-gfm is quadratic on some inputs; publish cuts at 256 KiB
  // The first byte picks whether a repository is given.
  if (size > 0 && (data[0] & 1)) limits.repository = "https://github.com/acme/widgets";
  std::string html =
      registry::RenderMarkdown(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  for (const char* raw : {"<script", "<style", "<iframe", "<div", "<details", "<!--", "<svg"}) {
    if (html.find(raw) != std::string::npos) __builtin_trap();
  }
  return 0;
}
