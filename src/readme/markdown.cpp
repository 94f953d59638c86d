// README rendering with cmark-gfm in its safe mode.
#include "readme/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <memory>
#include <mutex>

namespace registry {

static constexpr std::string_view kTruncatedNote = "<p><em>README truncated</em></p>\n";

// CMARK_OPT_UNSAFE is deliberately absent: without it cmark replaces raw HTML by a comment and
// drops javascript:, vbscript:, file: and data: URLs from links and images.
static constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;

// Safety comes from safe mode, not from these; "tagfilter" only matters if raw HTML is let in.
static constexpr const char* kExtensions[] = {"table", "autolink", "strikethrough", "tasklist",
                                              "tagfilter"};

struct ParserDeleter {
  void operator()(cmark_parser* parser) const { cmark_parser_free(parser); }
};
struct NodeDeleter {
  void operator()(cmark_node* node) const { cmark_node_free(node); }
};
struct CmarkStringDeleter {
  void operator()(char* s) const { cmark_get_default_mem_allocator()->free(s); }
};

// cmark-gfm 0.29 marks the extensions' inline characters in a process-wide table while it parses
// inlines and clears them afterwards, so two parses at once would race: they take turns.
// Rendering touches no shared state and runs outside the lock.
static std::mutex& ParseMutex() {
  static std::mutex mutex;
  return mutex;
}

// The longest prefix of `s` of at most `max` bytes that does not end inside a UTF-8 sequence.
// Backs up at most three bytes, the most a valid sequence has after its lead byte.
static std::string_view TruncateAtUtf8Boundary(std::string_view s, size_t max) {
  if (s.size() <= max) return s;
  size_t end = max;
  for (int i = 0; i < 3 && end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80; ++i) {
    --end;
  }
  return s.substr(0, end);
}

static std::unique_ptr<cmark_parser, ParserDeleter> NewGfmParser() {
  static std::once_flag registered;
  std::call_once(registered, cmark_gfm_core_extensions_ensure_registered);
  std::unique_ptr<cmark_parser, ParserDeleter> parser(cmark_parser_new(kOptions));
  for (const char* name : kExtensions) {
    // Always found once the core extensions are registered.
    if (cmark_syntax_extension* ext = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), ext);
    }
  }
  return parser;
}

std::string RenderMarkdown(std::string_view markdown, MarkdownLimits limits) {
  std::string_view input = TruncateAtUtf8Boundary(markdown, limits.max_input);
  bool truncated = input.size() < markdown.size();

  std::unique_ptr<cmark_parser, ParserDeleter> parser = NewGfmParser();
  std::unique_ptr<cmark_node, NodeDeleter> root;
  {
    std::lock_guard<std::mutex> lock(ParseMutex());
    cmark_parser_feed(parser.get(), input.data(), input.size());
    root.reset(cmark_parser_finish(parser.get()));
  }
  std::unique_ptr<char, CmarkStringDeleter> html(
      cmark_render_html(root.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get())));

  std::string out(html.get());
  if (truncated) out += kTruncatedNote;
  return out;
}

}  // namespace registry
