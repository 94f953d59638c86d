// Command-line parsing.
#include "cli/args.h"

#include <ctime>

#include <algorithm>

namespace registry {

std::string ParsedArgs::Get(const std::string& name, const std::string& fallback) const {
  auto it = options.find(name);
  return it == options.end() || it->second.empty() ? fallback : it->second.back();
}

static std::vector<std::string> SplitWords(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t sp = s.find(' ', start);
    if (sp == std::string::npos) sp = s.size();
    out.push_back(s.substr(start, sp - start));
    start = sp + 1;
  }
  return out;
}

static bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

Result<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                             const std::vector<CommandSpec>& specs,
                             const std::string& default_command) {
  ParsedArgs out;
  size_t consumed = 0;
  for (const CommandSpec& spec : specs) {
    std::vector<std::string> words = SplitWords(spec.name);
    if (words.size() > args.size() || words.size() <= consumed) continue;
    if (std::equal(words.begin(), words.end(), args.begin())) {
      out.spec = &spec;
      consumed = words.size();
    }
  }
  if (!out.spec) {
    if (!args.empty() && args[0].rfind("--", 0) != 0) {
      std::string subcommands;
      for (const CommandSpec& spec : specs) {
        std::vector<std::string> words = SplitWords(spec.name);
        if (words.size() > 1 && words[0] == args[0]) {
          subcommands += (subcommands.empty() ? "" : ", ") + words[1];
        }
      }
      if (!subcommands.empty()) {
        return Status::Invalid("`registry " + args[0] + "` needs a subcommand: " + subcommands);
      }
      return Status::Invalid("unknown command `" + args[0] + "`");
    }
    for (const CommandSpec& spec : specs) {
      if (spec.name == default_command) out.spec = &spec;
    }
    if (!out.spec) return Status::Invalid("no command given");
  }
  const CommandSpec& spec = *out.spec;
  for (size_t i = consumed; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a, value;
    size_t eq = a.find('=');
    bool inline_value = eq != std::string::npos;
    if (inline_value) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
    }
    if (Contains(spec.flags, name)) {
      if (inline_value) return Status::Invalid("option `" + name + "` takes no value");
      out.flags.insert(name);
    } else if (Contains(spec.value_options, name)) {
      if (!inline_value) {
        if (i + 1 >= args.size()) return Status::Invalid("option `" + name + "` needs a value");
        value = args[++i];
      }
      out.options[name].push_back(value);
    } else {
      return Status::Invalid("unknown option `" + name + "` for `registry " + spec.name + "`");
    }
  }
  for (const std::string& r : spec.required) {
    if (!out.options.count(r)) return Status::Invalid("missing required option `" + r + "`");
  }
  if (out.positional.size() < spec.min_positional) {
    return Status::Invalid("missing argument for `registry " + spec.name + "`");
  }
  if (out.positional.size() > spec.max_positional) {
    return Status::Invalid("unexpected argument `" + out.positional[spec.max_positional] + "`");
  }
  return out;
}

// The specs whose name is `words` or starts with them as whole words.
static std::vector<const CommandSpec*> SpecsNamed(const std::vector<std::string>& words,
                                                  const std::vector<CommandSpec>& specs) {
  std::vector<const CommandSpec*> out;
  for (const CommandSpec& spec : specs) {
    std::vector<std::string> name = SplitWords(spec.name);
    if (name.size() >= words.size() && std::equal(words.begin(), words.end(), name.begin())) {
      out.push_back(&spec);
    }
  }
  return out;
}

// The leading words of `args` before any option.
static std::vector<std::string> LeadingWords(const std::vector<std::string>& args, size_t from) {
  std::vector<std::string> words;
  for (size_t i = from; i < args.size() && args[i].rfind("-", 0) != 0; ++i) {
    words.push_back(args[i]);
  }
  return words;
}

Result<HelpRequest> FindHelp(const std::vector<std::string>& args,
                             const std::vector<CommandSpec>& specs) {
  HelpRequest out;
  std::vector<std::string> words;
  if (!args.empty() && args[0] == "help") {
    words = LeadingWords(args, 1);
  } else if (Contains(args, "--help") || Contains(args, "-h")) {
    words = LeadingWords(args, 0);
  } else {
    return out;
  }
  out.asked = true;
  // "registry user add --data D alice --help": the command words, not its arguments.
  while (!words.empty()) {
    out.specs = SpecsNamed(words, specs);
    if (!out.specs.empty()) return out;
    if (words.size() == 1) break;
    words.pop_back();
  }
  if (!words.empty()) return Status::Invalid("unknown command `" + words[0] + "`");
  for (const CommandSpec& spec : specs) out.specs.push_back(&spec);
  return out;
}

std::string CommandWords(const std::vector<std::string>& args,
                         const std::vector<CommandSpec>& specs) {
  std::vector<std::string> words = LeadingWords(args, 0);
  if (words.size() > 2) words.resize(2);
  while (!words.empty()) {
    if (!SpecsNamed(words, specs).empty()) {
      std::string joined;
      for (const std::string& w : words) joined += (joined.empty() ? "" : " ") + w;
      return joined;
    }
    words.pop_back();
  }
  return "";
}

Status CheckRegistryName(std::string_view name) {
  bool ok = !name.empty() && name.size() <= 64 && !(name[0] >= '0' && name[0] <= '9') &&
            name[0] != '-';
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_');
  }
  if (ok) return Status::Ok();
  return Status::Invalid("invalid --registry-name `" + std::string(name) +
                         "`: cargo needs letters, digits, `-` and `_` (e.g. `acme-corp`), not "
                         "starting with a digit or `-`");
}

Result<int64_t> ParseCount(std::string_view flag, std::string_view text, int64_t min,
                           int64_t max) {
  std::string t(text);
  bool digits = !t.empty() && t.size() <= 18 && t.find_first_not_of("0123456789") == std::string::npos;
  if (digits) {
    int64_t n = std::stoll(t);
    if (n >= min && n <= max) return n;
  }
  return Status::Invalid("invalid " + std::string(flag) + " `" + t + "`: give a whole number from " +
                         std::to_string(min) + " to " + std::to_string(max));
}

Result<uint64_t> ParseSize(std::string_view text) {
  std::string t(text);
  size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || digits > 15) return Status::Invalid("invalid size `" + t + "`");
  uint64_t n = std::stoull(t.substr(0, digits));
  std::string unit = t.substr(digits);
  uint64_t mult = 0;
  if (unit.empty() || unit == "B")
    mult = 1;
  else if (unit == "K" || unit == "KiB" || unit == "k")
    mult = 1ull << 10;
  else if (unit == "M" || unit == "MiB")
    mult = 1ull << 20;
  else if (unit == "G" || unit == "GiB")
    mult = 1ull << 30;
  else
    return Status::Invalid("invalid size `" + t + "`: use a number of bytes or K, M, G");
  return n * mult;
}

Result<int64_t> ParseDuration(std::string_view text) {
  std::string t(text);
  size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || digits > 6 || digits + 1 != t.size()) {
    return Status::Invalid("invalid duration `" + t + "`: use e.g. 45s, 90m, 12h, 30d or 4w");
  }
  int64_t n = std::stoll(t.substr(0, digits));
  switch (t.back()) {
    case 's':
      return n;
    case 'm':
      return n * 60;
    case 'h':
      return n * 3600;
    case 'd':
      return n * 86400;
    case 'w':
      return n * 7 * 86400;
  }
  return Status::Invalid("invalid duration `" + t + "`: use e.g. 45s, 90m, 12h, 30d or 4w");
}

Result<int64_t> ParseSince(std::string_view text, int64_t now) {
  Result<int64_t> ago = ParseDuration(text);
  if (ago.ok()) return now - *ago;
  std::string t(text);
  std::tm tm{};
  const char* end = nullptr;
  if (t.size() == 10) {
    end = strptime(t.c_str(), "%Y-%m-%d", &tm);
  } else if (t.size() == 20 && t.back() == 'Z') {
    end = strptime(t.c_str(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  }
  // strptime takes any day 1-31 in any month and timegm rolls it over ("2026-02-30" would
  // become March 2nd), so a time counts only when converting back gives the same fields.
  std::tm parsed = tm;
  std::time_t at = end ? timegm(&tm) : 0;
  std::tm back{};
  bool same = end && gmtime_r(&at, &back) && back.tm_year == parsed.tm_year &&
              back.tm_mon == parsed.tm_mon && back.tm_mday == parsed.tm_mday &&
              back.tm_hour == parsed.tm_hour && back.tm_min == parsed.tm_min &&
              back.tm_sec == parsed.tm_sec;
  if (end == nullptr || *end != '\0' || !same) {
    return Status::Invalid("invalid time `" + t +
                           "`: use a duration ago (7d), a date (2026-11-01) or a UTC time "
                           "(2026-11-01T10:00:00Z)");
  }
  return static_cast<int64_t>(at);
}

}  // namespace registry
