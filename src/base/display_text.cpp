// EscapeForDisplay: a small UTF-8 decoder that escapes what a terminal or a reader would act on.
#include "base/display_text.h"

#include <cstdint>
#include <cstdio>

namespace registry {

namespace {

// The code point at `text[*i]` (advancing *i past it), or -1 for a byte that does not start a
// well-formed, shortest-form UTF-8 sequence (*i then advances by one).
int32_t NextCodePoint(std::string_view text, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b = byte(*i);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xe ? 3 : (b >> 3) == 0x1e ? 4 : 0;
  if (len == 0 || *i + len > text.size()) {
    ++*i;
    return -1;
  }
  int32_t cp = len == 1 ? b : len == 2 ? (b & 0x1f) : len == 3 ? (b & 0x0f) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    unsigned char c = byte(*i + k);
    if ((c & 0xc0) != 0x80) {
      ++*i;
      return -1;
    }
    cp = (cp << 6) | (c & 0x3f);
  }
  static const int32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    ++*i;
    return -1;
  }
  *i += len;
  return cp;
}

bool IsControl(int32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

bool IsReordering(int32_t cp) {
  return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string EscapeForDisplay(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  char buf[16];
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    int32_t cp = NextCodePoint(text, &i);
    if (cp < 0) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned char>(text[start]));
      out += buf;
    } else if (cp == '\\') {
      out += "\\\\";
    } else if (IsControl(cp)) {
      std::snprintf(buf, sizeof(buf), "\\x%02x", static_cast<unsigned>(cp));
      out += buf;
    } else if (IsReordering(cp)) {
      std::snprintf(buf, sizeof(buf), "\\u{%04x}", static_cast<unsigned>(cp));
      out += buf;
    } else {
      out.append(text.substr(start, i - start));
    }
  }
  return out;
}

bool HasUnprintable(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    int32_t cp = NextCodePoint(text, &i);
    if (cp < 0 || IsControl(cp) || IsReordering(cp)) return true;
  }
  return false;
}

}  // namespace registry
