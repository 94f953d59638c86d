// Tests for README rendering: GFM output and what untrusted Markdown cannot get through.
#include "readme/markdown.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <thread>
#include <vector>

namespace registry {

static std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

static size_t Count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

struct Case {
  const char* markdown;
  const char* html;
};

TEST_CASE("markdown blocks and inlines render to the expected HTML") {
  Case cases[] = {
      {"# Title", "<h1 id=\"user-content-title\">Title</h1>\n"},
      {"### Usage", "<h3 id=\"user-content-usage\">Usage</h3>\n"},
      {"One line\nsame paragraph.\n\nNext.", "<p>One line\nsame paragraph.</p>\n<p>Next.</p>\n"},
      {"*em* and **strong**", "<p><em>em</em> and <strong>strong</strong></p>\n"},
      {"~~gone~~", "<p><del>gone</del></p>\n"},
      {"Use `cargo add`.", "<p>Use <code>cargo add</code>.</p>\n"},
      {"```rust\nfn main() {}\n```",
       "<pre><code class=\"language-rust\">fn main() {}\n</code></pre>\n"},
      {"- [ ] todo\n- [x] done",
       "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> todo</li>\n"
       "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n</ul>\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.markdown);
    CHECK(RenderMarkdown(c.markdown) == c.html);
  }
}

TEST_CASE("a markdown table renders as a table with header and data cells") {
  CHECK(RenderMarkdown("| a | b |\n|---|---|\n| 1 | 2 |") ==
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n");
}

TEST_CASE("bare URLs in markdown become links") {
  Case cases[] = {
      {"see https://example.com now",
       "<p>see <a href=\"https://example.com\">https://example.com</a> now</p>\n"},
      {"see www.example.com now",
       "<p>see <a href=\"http://www.example.com\">www.example.com</a> now</p>\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.markdown);
    CHECK(RenderMarkdown(c.markdown) == c.html);
  }
}

TEST_CASE("raw HTML in markdown never passes through: its tags go, its text stays as text") {
  Case cases[] = {
      {"<script>alert(1)</script>", ""},
      {"<SCRIPT type=x>alert(1)</SCRIPT>\n\nafter", "<p>after</p>\n"},
      {"<style>body{display:none}</style>", ""},
      {"text <script>alert(1)</script> more", "<p>text alert(1) more</p>\n"},
      {"<img src=x onerror=alert(1)>", ""},
      {"inline <img src=x onerror=alert(1)> x", "<p>inline  x</p>\n"},
      {"<iframe src=\"https://example.com\"></iframe>", ""},
      {"<a href=\"javascript:alert(1)\">x</a>", "<p>x</p>\n"},
      {"<div title=\"a>b\">inside</div>", "<p>inside</p>\n"},
      {"<!-- a comment <b>x</b> -->", ""},
      {"<details>\n<summary>Usage &amp; more</summary>\n\nHidden *text*.\n\n</details>",
       "<p>Usage &amp;amp; more</p>\n<p>Hidden <em>text</em>.</p>\n"},
      {"<p align=\"center\"><b>&lt;script&gt;</b></p>", "<p>&amp;lt;script&amp;gt;</p>\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.markdown);
    std::string html = RenderMarkdown(c.markdown);
    CHECK(html == c.html);
    for (const char* bad : {"<script", "onerror", "<iframe", "javascript:", "<img", "<div",
                            "<details", "<style", "<!--"}) {
      CHECK(Lower(html).find(bad) == std::string::npos);
    }
  }
}

TEST_CASE("markdown links and images to script-capable URLs lose their URL") {
  Case cases[] = {
      {"[x](javascript:alert(1))", "<p><a href=\"\">x</a></p>\n"},
      {"[x](JaVaScRiPt:alert(1))", "<p><a href=\"\">x</a></p>\n"},
      {"[x](vbscript:msgbox(1))", "<p><a href=\"\">x</a></p>\n"},
      {"[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
       "<p><a href=\"\">x</a></p>\n"},
      {"[x](file:///etc/passwd)", "<p><a href=\"\">x</a></p>\n"},
      {"![i](javascript:alert(1))", "<p><img src=\"\" alt=\"i\" /></p>\n"},
      // Entities are decoded before the check, so they do not hide the scheme.
      {"[x](&#x6A;avascript:alert(1))", "<p><a href=\"\">x</a></p>\n"},
      {"[r]: javascript:alert(1)\n\n[r] ![r]",
       "<p><a href=\"\">r</a> <img src=\"\" alt=\"r\" /></p>\n"},
      // An autolink keeps its text, which is only text, but loses its URL.
      {"<javascript:alert(1)>", "<p><a href=\"\">javascript:alert(1)</a></p>\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.markdown);
    std::string html = RenderMarkdown(c.markdown);
    CHECK(html == c.html);
    for (const char* bad :
         {"href=\"javascript", "src=\"javascript", "vbscript:", "data:", "file:"}) {
      CHECK(Lower(html).find(bad) == std::string::npos);
    }
  }
}

TEST_CASE("markdown images with raster data: URLs keep them, as cmark allows") {
  CHECK(RenderMarkdown("![dot](data:image/png;base64,AAAA)") ==
        "<p><img src=\"data:image/png;base64,AAAA\" alt=\"dot\" /></p>\n");
}

static std::string InRepository(const char* markdown, const char* repository) {
  MarkdownLimits limits;
  limits.repository = repository;
  return RenderMarkdown(markdown, limits);
}

TEST_CASE("relative links and images resolve against the repository, as crates.io does") {
  const char* repo = "https://github.com/acme/widgets";
  Case cases[] = {
      {"[guide](docs/guide.md)",
       "<p><a href=\"https://github.com/acme/widgets/blob/HEAD/docs/guide.md\">guide</a></p>\n"},
      {"![logo](img/logo.png)",
       "<p><img src=\"https://github.com/acme/widgets/raw/HEAD/img/logo.png\" alt=\"logo\" /></p>\n"},
      {"[a](./a.md#part) [b](/b.md?x=1)",
       "<p><a href=\"https://github.com/acme/widgets/blob/HEAD/a.md#part\">a</a> "
       "<a href=\"https://github.com/acme/widgets/blob/HEAD/b.md?x=1\">b</a></p>\n"},
      {"[![ci](badge.svg)](CONTRIBUTING.md)",
       "<p><a href=\"https://github.com/acme/widgets/blob/HEAD/CONTRIBUTING.md\"><img "
       "src=\"https://github.com/acme/widgets/raw/HEAD/badge.svg\" alt=\"ci\" /></a></p>\n"},
      // Absolute URLs and anchors are left alone.
      {"[x](https://example.com/y) [z](#usage)",
       "<p><a href=\"https://example.com/y\">x</a> <a href=\"#usage\">z</a></p>\n"},
      // Out of the repository: text only.
      {"[up](../secret.md) ![up](../x.png)", "<p>up up</p>\n"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.markdown);
    CHECK(InRepository(c.markdown, repo) == c.html);
  }
  // The same for ".git" and trailing-slash forms of the URL.
  CHECK(InRepository("[g](g.md)", "https://gitea.example.com/team/w.git/") ==
        "<p><a href=\"https://gitea.example.com/team/w/blob/HEAD/g.md\">g</a></p>\n");
}

TEST_CASE("relative links and images without a usable repository become text") {
  for (const char* repository : {"", "git@github.com:acme/widgets.git", "https://github.com",
                                 "javascript:alert(1)//", "https://x.com/a\"onload=\"b"}) {
    CAPTURE(repository);
    CHECK(InRepository("[guide](docs/guide.md) ![logo](img/logo.png) [*em*](x)", repository) ==
          "<p>guide logo <em>em</em></p>\n");
  }
  // So a page never asks its own origin for /logo.svg.
  CHECK(RenderMarkdown("![](/logo.svg)").find("src=") == std::string::npos);
}

TEST_CASE("headings get GitHub's slugs as ids, repeats numbered") {
  CHECK(RenderMarkdown("# Usage\n## Usage\n### Usage") ==
        "<h1 id=\"user-content-usage\">Usage</h1>\n<h2 id=\"user-content-usage-1\">Usage</h2>\n"
        "<h3 id=\"user-content-usage-2\">Usage</h3>\n");
  CHECK(RenderMarkdown("## `serde` & Friends: v1.0!") ==
        "<h2 id=\"user-content-serde--friends-v10\"><code>serde</code> &amp; Friends: v1.0!</h2>\n");
  CHECK(RenderMarkdown("Setext\n===") == "<h1 id=\"user-content-setext\">Setext</h1>\n");
  // Text that looks like a heading tag stays escaped text and gets no id.
  CHECK(RenderMarkdown("`<h2>` and <h2>x</h2>") == "<p><code>&lt;h2&gt;</code> and x</p>\n");
  // Non-ASCII letters are kept as they are (only ASCII is lower-cased).
  CHECK(HeadingSlug("\xc3\xbc" "ber uns") == "\xc3\xbc" "ber-uns");
  CHECK(HeadingSlug("snake_case-and-kebab") == "snake_case-and-kebab");
}

TEST_CASE("footnotes render with links both ways") {
  std::string html = RenderMarkdown("Claim.[^1]\n\n[^1]: The source.");
  CHECK(html.find("href=\"#fn-1\"") != std::string::npos);
  CHECK(html.find("id=\"fn-1\"") != std::string::npos);
  CHECK(html.find("href=\"#fnref-1\"") != std::string::npos);
  CHECK(html.find("The source.") != std::string::npos);
}

TEST_CASE("special characters in markdown text and attributes are escaped") {
  CHECK(RenderMarkdown("5 < 6 > 4 & \"q\"") == "<p>5 &lt; 6 &gt; 4 &amp; &quot;q&quot;</p>\n");
  CHECK(RenderMarkdown("[a](https://x.com/x \"say \\\"hi\\\" <b>\")") ==
        "<p><a href=\"https://x.com/x\" title=\"say &quot;hi&quot; &lt;b&gt;\">a</a></p>\n");
  CHECK(RenderMarkdown("[a](<https://x.com/x\"onmouseover=alert(1)>)") ==
        "<p><a href=\"https://x.com/x%22onmouseover=alert(1)\">a</a></p>\n");
}

TEST_CASE("markdown over the limit is cut and the output ends with a truncation note") {
  MarkdownLimits limits{10};
  CHECK(RenderMarkdown("0123456789abc", limits) ==
        "<p>0123456789</p>\n<p><em>README truncated</em></p>\n");
  CHECK(RenderMarkdown("0123456789", limits) == "<p>0123456789</p>\n");
  CHECK(RenderMarkdown("abc", MarkdownLimits{0}) == "<p><em>README truncated</em></p>\n");
}

TEST_CASE("markdown truncation never splits a UTF-8 sequence") {
  struct {
    const char* markdown;
    size_t limit;
    const char* html;
  } cases[] = {
      {"ab\xC3\xA9"
       "cd",
       3, "<p>ab</p>\n"},  // 2-byte é cut after its lead byte
      {"ab\xC3\xA9"
       "cd",
       4, "<p>ab\xC3\xA9</p>\n"},                // cut right after é
      {"ab\xE2\x82\xAC", 4, "<p>ab</p>\n"},      // 3-byte € cut inside
      {"ab\xF0\x9F\x98\x80", 5, "<p>ab</p>\n"},  // 4-byte emoji cut after 3 bytes
      {"ab\xF0\x9F\x98\x80"
       "c",
       6, "<p>ab\xF0\x9F\x98\x80</p>\n"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.markdown);
    CAPTURE(c.limit);
    CHECK(RenderMarkdown(c.markdown, MarkdownLimits{c.limit}) ==
          std::string(c.html) + "<p><em>README truncated</em></p>\n");
  }
}

TEST_CASE("invalid UTF-8 in markdown becomes U+FFFD") {
  CHECK(RenderMarkdown("a\xFF"
                       "b") ==
        "<p>a\xEF\xBF\xBD"
        "b</p>\n");
}

TEST_CASE("empty markdown renders to an empty string") { CHECK(RenderMarkdown("") == ""); }

TEST_CASE("a 1 MiB markdown README renders whole") {
  const std::string block =
      "## Section\n\nSome *text* with `code`, a [link](https://example.com/x) and "
      "https://example.org.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```rust\nfn main() {}\n```\n\n";
  std::string markdown;
  size_t blocks = 0;
  for (; markdown.size() + block.size() <= (1 << 20); ++blocks) markdown += block;
  markdown.resize(1 << 20, 'x');  // a last paragraph fills the limit exactly

  std::string html = RenderMarkdown(markdown);
  CHECK(Count(html, "\">Section</h2>") == blocks);
  CHECK(Count(html, "<h2 id=\"user-content-section-") == blocks - 1);
  CHECK(Count(html, "<table>") == blocks);
  CHECK(Count(html, "<a href=\"https://example.org\">") == blocks);
  CHECK(html.size() > markdown.size());
  CHECK(html.substr(html.size() - 6) == "x</p>\n");
  CHECK(html.find("README truncated") == std::string::npos);
}

TEST_CASE("concurrent markdown renders give the same output as one alone") {
  const std::string markdown =
      "~~old~~ www.example.com https://example.org\n\n| a |\n|---|\n| ~~b~~ |\n\n- [x] done\n";
  const std::string expected = RenderMarkdown(markdown);
  REQUIRE(expected.find("<del>old</del>") != std::string::npos);
  REQUIRE(expected.find("<a href=\"http://www.example.com\">") != std::string::npos);
  std::vector<std::string> results(4 * 50);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < 50; ++i) results[t * 50 + i] = RenderMarkdown(markdown);
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& html : results) CHECK(html == expected);
}

}  // namespace registry
