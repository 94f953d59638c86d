// Semver 2.0.0 versions and Cargo version requirements: parsing, validation, precedence.
#include "crate/semver.h"

#include <string>
#include <string_view>
#include <vector>

namespace registry {
namespace {

constexpr size_t kMaxVersionLength = 150;
// The semver crate (and so cargo) refuses requirements with more comparators than this.
constexpr int kMaxComparators = 32;

// The part of a version being read; error messages name it.
enum class Part { kMajor, kMinor, kPatch, kPre, kBuild };

const char* PartName(Part part) {
  switch (part) {
    case Part::kMajor:
      return "major version number";
    case Part::kMinor:
      return "minor version number";
    case Part::kPatch:
      return "patch version number";
    case Part::kPre:
      return "pre-release";
    case Part::kBuild:
      return "build metadata";
  }
  return "version";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentifierChar(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}
bool IsWildcard(char c) { return c == '*' || c == 'x' || c == 'X'; }
bool IsNumeric(std::string_view id) {
  for (char c : id) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// A cursor over the text being parsed.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  // The next byte, or '\0' at the end.
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  void Advance() { ++pos_; }
  bool Consume(char c) {
    if (AtEnd() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  // Cargo's requirement syntax allows spaces (not tabs) between tokens.
  void SkipSpaces() {
    while (Peek() == ' ') ++pos_;
  }
  // The whole next character (a UTF-8 sequence when not ASCII), for quoting in messages.
  std::string_view NextChar() const {
    if (AtEnd()) return {};
    size_t end = pos_ + 1;
    if (static_cast<unsigned char>(text_[pos_]) >= 0xC0) {
      while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) {
        ++end;
      }
    }
    return text_.substr(pos_, end - pos_);
  }
  // Consumes and returns the run of bytes satisfying `pred`.
  template <typename Pred>
  std::string_view TakeWhile(Pred pred) {
    size_t start = pos_;
    while (!AtEnd() && pred(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

std::string Quote(std::string_view text) {
  std::string quoted = "`";
  quoted += text;
  quoted += "`";
  return quoted;
}

std::string UnexpectedChar(const Scanner& s, const char* where, Part part) {
  return "unexpected character " + Quote(s.NextChar()) + " " + where + " the " + PartName(part);
}

// Reads a major, minor or patch number: digits, no leading zero, fits in 64 bits. The Status
// message is the rule only; callers add the "invalid version ..." prefix.
Status ParseNumber(Scanner& s, Part part, uint64_t* out) {
  std::string_view digits = s.TakeWhile(IsDigit);
  if (digits.empty()) {
    if (s.AtEnd()) return Status::Invalid(std::string("the ") + PartName(part) + " is missing");
    return Status::Invalid(UnexpectedChar(s, "in", part));
  }
  if (digits.size() > 1 && digits[0] == '0') {
    return Status::Invalid(std::string("the ") + PartName(part) + " has a leading zero");
  }
  uint64_t value = 0;
  for (char c : digits) {
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) {
      return Status::Invalid(std::string("the ") + PartName(part) + " is too large");
    }
    value = value * 10 + digit;
  }
  *out = value;
  return Status::Ok();
}

// Reads dot-separated identifiers of ASCII alphanumerics and '-' (pre-release or build
// metadata), stopping before the first byte that cannot continue them.
Status ParseIdentifiers(Scanner& s, Part part, std::vector<std::string>* out) {
  while (true) {
    std::string_view id = s.TakeWhile(IsIdentifierChar);
    if (id.empty()) {
      if (s.AtEnd() || s.Peek() == '.') {
        return Status::Invalid(std::string("the ") + PartName(part) + " has an empty identifier");
      }
      return Status::Invalid(UnexpectedChar(s, "in", part));
    }
    if (part == Part::kPre && id.size() > 1 && id[0] == '0' && IsNumeric(id)) {
      return Status::Invalid("the pre-release identifier " + Quote(id) + " has a leading zero");
    }
    out->emplace_back(id);
    if (!s.Consume('.')) return Status::Ok();
  }
}

std::string Join(const std::vector<std::string>& parts) {
  std::string joined;
  for (const std::string& part : parts) {
    if (!joined.empty()) joined += '.';
    joined += part;
  }
  return joined;
}

// The dot between version numbers; a short version gets the message that says what is wanted.
Status ExpectDot(Scanner& s, Part after) {
  if (s.Consume('.')) return Status::Ok();
  if (s.AtEnd()) return Status::Invalid("expected major.minor.patch");
  return Status::Invalid(UnexpectedChar(s, "after", after));
}

Status ParseVersionInto(std::string_view text, Version* version) {
  if (text.empty()) return Status::Invalid("the version is empty");
  if (text.size() > kMaxVersionLength) {
    return Status::Invalid("the version is longer than 150 characters");
  }
  Scanner s(text);
  RETURN_IF_ERROR(ParseNumber(s, Part::kMajor, &version->major));
  RETURN_IF_ERROR(ExpectDot(s, Part::kMajor));
  RETURN_IF_ERROR(ParseNumber(s, Part::kMinor, &version->minor));
  RETURN_IF_ERROR(ExpectDot(s, Part::kMinor));
  RETURN_IF_ERROR(ParseNumber(s, Part::kPatch, &version->patch));
  Part last = Part::kPatch;
  if (s.Consume('-')) {
    last = Part::kPre;
    RETURN_IF_ERROR(ParseIdentifiers(s, Part::kPre, &version->pre));
  }
  if (s.Consume('+')) {
    last = Part::kBuild;
    std::vector<std::string> build;
    RETURN_IF_ERROR(ParseIdentifiers(s, Part::kBuild, &build));
    version->build = Join(build);
  }
  if (!s.AtEnd()) {
    return Status::Invalid(UnexpectedChar(s, last == Part::kPatch ? "after" : "in", last));
  }
  return Status::Ok();
}

// Semver precedence of two pre-release identifiers.
int CompareIdentifiers(std::string_view a, std::string_view b) {
  bool a_numeric = IsNumeric(a);
  bool b_numeric = IsNumeric(b);
  if (a_numeric && b_numeric) {
    // No leading zeros, so the longer number is the larger; this never overflows.
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  } else if (a_numeric != b_numeric) {
    return a_numeric ? -1 : 1;
  }
  int cmp = a.compare(b);
  return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
}

int CompareNumbers(uint64_t a, uint64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

// The optional operator: = > >= < <= ~ ^ (none means ^).
void SkipOperator(Scanner& s) {
  if (s.Consume('>') || s.Consume('<')) {
    s.Consume('=');
    return;
  }
  if (!s.Consume('=') && !s.Consume('~')) s.Consume('^');
}

// One comparator: an optional operator and a partial version, with optional spaces after the
// operator and after the version. `last` is set to the last part read, for messages.
Status ParseComparator(Scanner& s, Part* last) {
  SkipOperator(s);
  s.SkipSpaces();

  // The numbers and identifiers are read only to check them; nothing is kept.
  uint64_t number = 0;
  *last = Part::kMajor;
  RETURN_IF_ERROR(ParseNumber(s, Part::kMajor, &number));
  bool has_wildcard = false;
  bool has_patch = false;
  if (s.Consume('.')) {
    *last = Part::kMinor;
    if (IsWildcard(s.Peek())) {
      s.Advance();
      has_wildcard = true;
    } else {
      RETURN_IF_ERROR(ParseNumber(s, Part::kMinor, &number));
    }
    if (s.Consume('.')) {
      *last = Part::kPatch;
      if (IsWildcard(s.Peek())) {
        s.Advance();
      } else if (has_wildcard) {
        return Status::Invalid("a wildcard can only be followed by another wildcard");
      } else {
        RETURN_IF_ERROR(ParseNumber(s, Part::kPatch, &number));
        has_patch = true;
      }
    }
  }
  std::vector<std::string> ids;
  if (has_patch && s.Consume('-')) {
    *last = Part::kPre;
    RETURN_IF_ERROR(ParseIdentifiers(s, Part::kPre, &ids));
  }
  if (has_patch && s.Consume('+')) {
    *last = Part::kBuild;
    RETURN_IF_ERROR(ParseIdentifiers(s, Part::kBuild, &ids));
  }
  s.SkipSpaces();
  return Status::Ok();
}

// The requirement "*" (or "x", "X") with nothing else but spaces: any version at all.
bool IsBareWildcard(std::string_view req) {
  size_t first = req.find_first_not_of(' ');
  return first != std::string_view::npos && first == req.find_last_not_of(' ') &&
         IsWildcard(req[first]);
}

// A wildcard where a comparator should start. Cargo accepts it only as the whole requirement,
// and the caller refuses that case first.
Status CheckWildcardComparator(Scanner s) {
  char wildcard = s.Peek();
  s.Advance();
  s.SkipSpaces();
  if (s.AtEnd() || s.Peek() == ',') {
    return Status::Invalid("the wildcard `" + std::string(1, wildcard) +
                           "` must be the only comparator");
  }
  return Status::Invalid("unexpected character " + Quote(s.NextChar()) + " after the wildcard `" +
                         std::string(1, wildcard) + "`");
}

Status CheckVersionReq(std::string_view req) {
  Scanner s(req);
  s.SkipSpaces();
  if (s.AtEnd()) return Status::Invalid("the requirement is empty");
  for (int count = 1;; ++count) {
    if (count > kMaxComparators) return Status::Invalid("more than 32 comparators");
    if (IsWildcard(s.Peek())) return CheckWildcardComparator(s);
    Part last = Part::kMajor;
    RETURN_IF_ERROR(ParseComparator(s, &last));
    if (s.AtEnd()) return Status::Ok();
    if (!s.Consume(',')) {
      return Status::Invalid(std::string("expected `,` after the ") + PartName(last) + ", found " +
                             Quote(s.NextChar()));
    }
    s.SkipSpaces();
  }
}

}  // namespace

std::string Version::ToString() const {
  std::string text = WithoutBuild();
  if (!build.empty()) text += "+" + build;
  return text;
}

std::string Version::WithoutBuild() const {
  std::string text =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
  if (!pre.empty()) text += "-" + Join(pre);
  return text;
}

Result<Version> ParseVersion(std::string_view text) {
  Version version;
  Status status = ParseVersionInto(text, &version);
  if (!status.ok()) {
    return Status::Invalid("invalid version " + Quote(text) + ": " + status.message());
  }
  return version;
}

int CompareVersions(const Version& a, const Version& b) {
  if (int cmp = CompareNumbers(a.major, b.major); cmp != 0) return cmp;
  if (int cmp = CompareNumbers(a.minor, b.minor); cmp != 0) return cmp;
  if (int cmp = CompareNumbers(a.patch, b.patch); cmp != 0) return cmp;
  // A release ranks above any of its pre-releases.
  if (a.pre.empty() != b.pre.empty()) return a.pre.empty() ? 1 : -1;
  for (size_t i = 0; i < a.pre.size() && i < b.pre.size(); ++i) {
    if (int cmp = CompareIdentifiers(a.pre[i], b.pre[i]); cmp != 0) return cmp;
  }
  return CompareNumbers(a.pre.size(), b.pre.size());
}

Status ValidateVersionReq(std::string_view req) {
  // crates.io refuses "*": it pins nothing, so any future release could break dependents.
  if (IsBareWildcard(req)) {
    return Status::Invalid("dependency requirement " + Quote(req) +
                           " is not allowed: wildcard requirements are rejected by this "
                           "registry; use a version such as `1` or `>=1.0`");
  }
  Status status = CheckVersionReq(req);
  if (status.ok()) return status;
  return Status::Invalid("invalid version requirement " + Quote(req) + ": " + status.message());
}

}  // namespace registry
