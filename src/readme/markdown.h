// Crate READMEs: untrusted Markdown rendered to HTML that is safe to insert into a web page.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace registry {

struct MarkdownLimits {
  // Bytes of Markdown rendered (1 MiB). Longer input is cut at a UTF-8 boundary and the output
  // ends with "<p><em>README truncated</em></p>".
  size_t max_input = 1 << 20;
};

// GitHub-flavoured Markdown (tables, autolinks, strikethrough, task lists) to HTML.
// Raw HTML never passes through (cmark's safe mode: it is replaced by a comment), and links or
// images with javascript:, vbscript:, file: or data: URLs lose their URL (cmark keeps only
// data:image/png, gif, jpeg and webp), so the result cannot run script when inserted into a
// page. Relative URLs are kept as written: the page decides their base. Invalid UTF-8 becomes
// U+FFFD. Empty input gives an empty string. Thread-safe.
std::string RenderMarkdown(std::string_view markdown, MarkdownLimits limits = {});

}  // namespace registry
