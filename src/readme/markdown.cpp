// README rendering with cmark-gfm in its safe mode.
#include "readme/markdown.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace registry {

static constexpr std::string_view kTruncatedNote = "<p><em>README truncated</em></p>\n";

// CMARK_OPT_UNSAFE is deliberately absent: without it cmark replaces raw HTML by a comment and
// drops javascript:, vbscript:, file: and data: URLs from links and images.
static constexpr int kOptions = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;

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

std::string HeadingSlug(std::string_view text) {
  std::string slug;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z') {
      slug += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
               c >= 0x80) {
      slug += ch;  // bytes of non-ASCII letters stay, as GitHub keeps them
    } else if (c == ' ') {
      slug += '-';
    }
  }
  return slug;
}

// The text of a node's subtree: its text, code and the alt text of its images.
static std::string TextOf(cmark_node* node) {
  std::string out;
  for (cmark_node* child = cmark_node_first_child(node); child; child = cmark_node_next(child)) {
    cmark_node_type type = cmark_node_get_type(child);
    if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
      if (const char* literal = cmark_node_get_literal(child)) out += literal;
    } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
      out += ' ';
    } else {
      out += TextOf(child);
    }
  }
  return out;
}

// The first "</NAME" at or after `from`, ignoring case, or npos.
static size_t FindClosingTag(std::string_view html, size_t from, std::string_view name) {
  for (size_t at = html.find("</", from); at != std::string_view::npos;
       at = html.find("</", at + 2)) {
    bool same = html.size() - at - 2 >= name.size();
    for (size_t k = 0; same && k < name.size(); ++k) {
      char c = html[at + 2 + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      same = c == name[k];
    }
    if (same) return at;
  }
  return std::string_view::npos;
}

// Whether the tag at html[at] ('<') opens element `name` ("<script", "<SCRIPT src=...>").
static bool OpensElement(std::string_view html, size_t at, std::string_view name) {
  if (html.size() - at - 1 < name.size() + 1) return false;
  for (size_t k = 0; k < name.size(); ++k) {
    char c = html[at + 1 + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[k]) return false;
  }
  char after = html[at + 1 + name.size()];
  return after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '/';
}

// Raw HTML as the text a reader sees of it: tags and comments dropped, and what <script> and
// <style> hold. Only text remains, which the renderer then escapes.
static std::string TextOfHtml(std::string_view html) {
  std::string out;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') {
      out += html[i++];
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    for (std::string_view element : {"script", "style"}) {
      if (OpensElement(html, i, element)) {
        size_t close = FindClosingTag(html, i + 1, element);
        i = close == std::string_view::npos ? html.size() : close;  // its tag is skipped below
        break;
      }
    }
    if (i >= html.size()) break;
    // A tag: up to the '>' that is not inside a quoted attribute value.
    char quote = 0;
    size_t j = i + 1;
    for (; j < html.size(); ++j) {
      if (quote) {
        if (html[j] == quote) quote = 0;
      } else if (html[j] == '"' || html[j] == '\'') {
        quote = html[j];
      } else if (html[j] == '>') {
        break;
      }
    }
    i = j + 1;
  }
  return out;
}

static bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Whether `url` names a place relative to the README: no scheme, not "//host", not "#anchor".
static bool IsRelativeUrl(std::string_view url) {
  if (url.empty() || url[0] == '#' || url.rfind("//", 0) == 0) return false;
  size_t colon = url.find(':');
  size_t stop = url.find_first_of("/?#");
  return colon == std::string_view::npos || (stop != std::string_view::npos && stop < colon);
}

// "https://github.com/o/r/" or ".../r.git" -> "https://github.com/o/r"; "" unless http(s).
static std::string RepositoryBase(std::string_view repository) {
  std::string base(repository);
  if (base.rfind("https://", 0) != 0 && base.rfind("http://", 0) != 0) return "";
  if (base.find_first_of("?# \"<>\\") != std::string::npos) return "";
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.size() > 4 && base.compare(base.size() - 4, 4, ".git") == 0) base.resize(base.size() - 4);
  return base.find('/', base.find("//") + 2) == std::string::npos ? "" : base;
}

// REPOSITORY/blob/HEAD/PATH (or raw/ for images), or "" when `url` leaves the repository.
static std::string ResolveInRepository(const std::string& base, std::string_view url,
                                       bool image) {
  std::string_view path = url;
  while (path.rfind("./", 0) == 0) path.remove_prefix(2);
  while (!path.empty() && path[0] == '/') path.remove_prefix(1);
  size_t end = path.find_first_of("?#");
  std::string_view segments = path.substr(0, end);
  for (size_t at = 0; at <= segments.size();) {
    size_t slash = segments.find('/', at);
    if (slash == std::string_view::npos) slash = segments.size();
    if (segments.substr(at, slash - at) == "..") return "";
    at = slash + 1;
  }
  return base + (image ? "/raw/HEAD/" : "/blob/HEAD/") + std::string(path);
}

static void ReplaceWithText(cmark_node* node, const std::string& text) {
  if (!text.empty()) {
    cmark_node* replacement = cmark_node_new(CMARK_NODE_TEXT);
    cmark_node_set_literal(replacement, text.c_str());
    cmark_node_insert_before(node, replacement);
  }
  cmark_node_free(node);
}

// Rewrites the parsed document as RenderMarkdown's contract says: raw HTML to its text,
// relative links and images to the repository or to text. Nodes are collected first and
// changed after, so no iterator walks a changing tree.
static void Rewrite(cmark_node* root, const std::string& repository_base) {
  std::vector<cmark_node*> html, links;
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter);
    cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) html.push_back(node);
    if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) links.push_back(node);
  }
  cmark_iter_free(iter);

  // Raw HTML nodes are leaves: replaced first, before any link or image holding one goes.
  for (cmark_node* node : html) {
    std::string text = TextOfHtml(cmark_node_get_literal(node) ? cmark_node_get_literal(node) : "");
    if (cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE) {
      ReplaceWithText(node, text);
    } else if (IsBlank(text)) {
      cmark_node_free(node);
    } else {
      cmark_node* paragraph = cmark_node_new(CMARK_NODE_PARAGRAPH);
      size_t first = text.find_first_not_of(" \t\r\n");
      size_t last = text.find_last_not_of(" \t\r\n");
      cmark_node* content = cmark_node_new(CMARK_NODE_TEXT);
      cmark_node_set_literal(content, text.substr(first, last - first + 1).c_str());
      cmark_node_append_child(paragraph, content);
      cmark_node_insert_before(node, paragraph);
      cmark_node_free(node);
    }
  }
  // Innermost first: an image freed with its children has had them handled already.
  for (auto it = links.rbegin(); it != links.rend(); ++it) {
    cmark_node* link = *it;
    const char* url = cmark_node_get_url(link);
    if (!url || !IsRelativeUrl(url)) continue;
    bool image = cmark_node_get_type(link) == CMARK_NODE_IMAGE;
    std::string resolved =
        repository_base.empty() ? "" : ResolveInRepository(repository_base, url, image);
    if (!resolved.empty()) {
      cmark_node_set_url(link, resolved.c_str());
    } else if (image) {
      ReplaceWithText(link, TextOf(link));
    } else {
      // The link's own inlines (text, emphasis, code) stay, without the link.
      while (cmark_node* child = cmark_node_first_child(link)) cmark_node_insert_before(link, child);
      cmark_node_free(link);
    }
  }
}

// The ids of the document's headings, in order: "user-content-" + slug, repeats numbered.
static std::vector<std::string> HeadingIds(cmark_node* root) {
  std::vector<std::string> ids;
  std::map<std::string, int> seen;
  cmark_iter* iter = cmark_iter_new(root);
  for (cmark_event_type ev; (ev = cmark_iter_next(iter)) != CMARK_EVENT_DONE;) {
    cmark_node* node = cmark_iter_get_node(iter);
    if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_HEADING) continue;
    std::string slug = HeadingSlug(TextOf(node));
    int n = seen[slug]++;
    if (n > 0) slug += "-" + std::to_string(n);
    ids.push_back("user-content-" + slug);
  }
  cmark_iter_free(iter);
  return ids;
}

// Adds the ids to the rendered "<hN>" tags, in order. In this output every "<h" followed by a
// digit and '>' is a heading: text is escaped and no raw HTML remains.
static std::string WithHeadingIds(const std::string& html, const std::vector<std::string>& ids) {
  std::string out;
  out.reserve(html.size() + ids.size() * 24);
  size_t next = 0, at = 0;
  while (next < ids.size()) {
    size_t open = html.find("<h", at);
    if (open == std::string::npos) break;
    if (open + 3 < html.size() && html[open + 2] >= '1' && html[open + 2] <= '6' &&
        html[open + 3] == '>') {
      out.append(html, at, open + 3 - at);
      out += " id=\"" + ids[next++] + "\"";
      at = open + 3;
    } else {
      out.append(html, at, open + 2 - at);
      at = open + 2;
    }
  }
  out.append(html, at, std::string::npos);
  return out;
}

std::string RenderMarkdown(std::string_view markdown, const MarkdownLimits& limits) {
  std::string_view input = TruncateAtUtf8Boundary(markdown, limits.max_input);
  bool truncated = input.size() < markdown.size();

  std::unique_ptr<cmark_parser, ParserDeleter> parser = NewGfmParser();
  std::unique_ptr<cmark_node, NodeDeleter> root;
  {
    std::lock_guard<std::mutex> lock(ParseMutex());
    cmark_parser_feed(parser.get(), input.data(), input.size());
    root.reset(cmark_parser_finish(parser.get()));
  }
  Rewrite(root.get(), RepositoryBase(limits.repository));
  std::vector<std::string> ids = HeadingIds(root.get());
  std::unique_ptr<char, CmarkStringDeleter> html(
      cmark_render_html(root.get(), kOptions, cmark_parser_get_syntax_extensions(parser.get())));

  std::string out = WithHeadingIds(html.get(), ids);
  if (truncated) out += kTruncatedNote;
  return out;
}

}  // namespace registry
