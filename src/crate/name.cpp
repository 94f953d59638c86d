// Crate-name validation (crates.io's rules) and the canonical form names are unique under.
#include "crate/name.h"

#include <string>
#include <string_view>

namespace registry {
namespace {

constexpr size_t kMaxNameLength = 64;

// Canonical forms (lower-case, '-' as '_') of the names crates.io reserves: its
// `reserved_crate_names` table (the standard library's crates and rustc's own), and the
// Windows device names, which cannot be files there. Cargo's directory names (`target`,
// `build`, `src`, ...) are not reserved: `target` 2.0.0 is a real crate.
// clang-format off
constexpr std::string_view kReservedNames[] = {
    "alloc", "arena", "ast", "builtins", "collections", "compiler_builtins", "compiler_rt",
    "compiletest", "core", "coretest", "debug", "driver", "flate", "fmt_macros", "grammar",
    "graphviz", "macro", "macros", "proc_macro", "rbml", "rust_installer", "rustbook", "rustc",
    "rustc_back", "rustc_borrowck", "rustc_driver", "rustc_llvm", "rustc_resolve", "rustc_trans",
    "rustc_typeck", "rustdoc", "rustllvm", "rustuv", "serialize", "std", "syntax", "test",
    "unicode",
    "nul",  "con",  "prn",  "aux",
    "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
    "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
};
// clang-format on

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

bool IsReserved(std::string_view canonical) {
  for (std::string_view reserved : kReservedNames) {
    if (canonical == reserved) return true;
  }
  return false;
}

// The whole character starting at byte `i`: one byte, or a UTF-8 sequence (a lead byte and
// its continuation bytes), so messages quote "é" rather than half of it.
std::string_view CharAt(std::string_view text, size_t i) {
  size_t end = i + 1;
  if (static_cast<unsigned char>(text[i]) >= 0xC0) {
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return text.substr(i, end - i);
}

Status NameError(std::string_view name, std::string_view rule) {
  std::string message = "invalid crate name `";
  message += name;
  message += "`: ";
  message += rule;
  return Status::Invalid(std::move(message));
}

}  // namespace

Status ValidateCrateName(std::string_view name) {
  if (name.empty()) return NameError(name, "the name is empty");
  if (name.size() > kMaxNameLength) {
    return NameError(name, "the name is longer than 64 characters");
  }
  if (!IsAsciiLetter(name[0])) {
    return NameError(name, "the first character must be an ASCII letter");
  }
  for (size_t i = 1; i < name.size(); ++i) {
    char c = name[i];
    if (IsAsciiLetter(c) || IsAsciiDigit(c) || c == '-' || c == '_') continue;
    std::string rule = "character `";
    rule += CharAt(name, i);
    rule += "` is not allowed (only ASCII letters, digits, `-` and `_`)";
    return NameError(name, rule);
  }
  return Status::Ok();
}

Status ValidateNewCrateName(std::string_view name) {
  RETURN_IF_ERROR(ValidateCrateName(name));
  if (IsReserved(CanonicalCrateName(name))) {
    std::string rule = "`";
    rule += name;
    rule += "` is a reserved name";
    return NameError(name, rule);
  }
  return Status::Ok();
}

std::string CanonicalCrateName(std::string_view name) {
  std::string canonical(name);
  for (char& c : canonical) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c == '-') {
      c = '_';
    }
  }
  return canonical;
}

}  // namespace registry
