// Fuzzes RenderMarkdown: any README renders, and no raw <script> tag comes out of it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "readme/markdown.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  registry::MarkdownLimits limits;
  limits.max_input = 64 << 10;  // cmark-gfm is quadratic on some inputs; publish cuts at 256 KiB
  std::string html =
      registry::RenderMarkdown(std::string_view(reinterpret_cast<const char*>(data), size), limits);
  if (html.find("<script") != std::string::npos) __builtin_trap();
  return 0;
}
