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
  // The crate's `repository` URL, against which relative links and images resolve.
  std::string repository;
};

// GitHub-flavoured Markdown (tables, autolinks, strikethrough, task lists, footnotes) to HTML,
// shaped as crates.io shows READMEs:
// - Headings get ids "user-content-SLUG" (GitHub's slugs: lower case, punctuation dropped,
//   spaces as '-', repeats numbered "-1", "-2"), so the page can follow "#slug" links.
// - Relative links resolve to REPOSITORY/blob/HEAD/PATH and relative images to
//   REPOSITORY/raw/HEAD/PATH when the repository is an http(s) URL. Otherwise, or for a path
//   leaving the repository (".."), a link becomes its text and an image its alt text, so the
//   page never requests them from its own origin.
// - Raw HTML never passes through: tags and comments are dropped, the text between them is
//   kept as text (<details><summary>Usage</summary> shows "Usage"), and the content of
//   <script> and <style> is dropped.
// Links or images with javascript:, vbscript:, file: or data: URLs lose their URL (cmark's
// safe mode keeps only data:image/png, gif, jpeg and webp), so the result cannot run script
// when inserted into a page. Invalid UTF-8 becomes U+FFFD. Empty input gives an empty string.
// Thread-safe.
std::string RenderMarkdown(std::string_view markdown, const MarkdownLimits& limits = {});

// The id a heading with this text gets, before the "user-content-" prefix and numbering.
std::string HeadingSlug(std::string_view text);

}  // namespace registry
