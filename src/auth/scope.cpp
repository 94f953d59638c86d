// Token scope names and crate-name pattern matching.
#include "auth/scope.h"

#include "crate/name.h"

namespace registry {

static constexpr struct {
  Scope scope;
  std::string_view name;
} kScopeNames[] = {
    {kScopeRead, "read"},
    {kScopePublishNew, "publish-new"},
    {kScopePublishUpdate, "publish-update"},
    {kScopeYank, "yank"},
    {kScopeChangeOwners, "change-owners"},
    {kScopeDocs, "docs"},
};

std::string_view ScopeName(Scope scope) {
  for (const auto& s : kScopeNames) {
    if (s.scope == scope) return s.name;
  }
  return "unknown";
}

Result<Scope> ParseScope(std::string_view name) {
  for (const auto& s : kScopeNames) {
    if (s.name == name) return s.scope;
  }
  return Status::Invalid("unknown scope `" + std::string(name) +
                         "`: expected read, publish-new, publish-update, yank, change-owners or docs");
}

std::vector<std::string> ScopeNames(ScopeSet scopes) {
  std::vector<std::string> names;
  for (const auto& s : kScopeNames) {
    if ((scopes | kScopeRead) & s.scope) names.emplace_back(s.name);
  }
  return names;
}

std::string FormatScopes(ScopeSet scopes) {
  std::string out;
  for (const std::string& name : ScopeNames(scopes)) {
    if (!out.empty()) out += ' ';
    out += name;
  }
  return out;
}

Result<ScopeSet> ParseScopes(std::string_view text) {
  ScopeSet set = kScopeRead;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t' || text[i] == '\n') {
      ++i;
      continue;
    }
    size_t end = text.find_first_of(" \t\n", i);
    if (end == std::string_view::npos) end = text.size();
    Result<Scope> scope = ParseScope(text.substr(i, end - i));
    if (!scope.ok()) return scope.status();
    set |= *scope;
    i = end;
  }
  return set;
}

Status ValidateCratePattern(std::string_view pattern) {
  std::string_view stem = pattern;
  if (!stem.empty() && stem.back() == '*') stem.remove_suffix(1);
  if (stem.empty()) {
    return Status::Invalid("invalid crate pattern `" + std::string(pattern) +
                           "`: give a crate name or a prefix ending in `*`, such as `my-corp-*`");
  }
  for (char c : stem) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      return Status::Invalid("invalid crate pattern `" + std::string(pattern) +
                             "`: only letters, digits, `-`, `_` and a final `*` are allowed");
    }
  }
  return Status::Ok();
}

bool CratePatternMatches(std::string_view pattern, std::string_view name) {
  bool prefix = !pattern.empty() && pattern.back() == '*';
  if (prefix) pattern.remove_suffix(1);
  std::string p = CanonicalCrateName(pattern);
  std::string n = CanonicalCrateName(name);
  return prefix ? n.compare(0, p.size(), p) == 0 : n == p;
}

bool AnyCratePatternMatches(const std::vector<std::string>& patterns, std::string_view name) {
  if (patterns.empty()) return true;
  for (const std::string& p : patterns) {
    if (CratePatternMatches(p, name)) return true;
  }
  return false;
}

}  // namespace registry
