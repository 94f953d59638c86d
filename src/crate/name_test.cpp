// Tests for crate-name validation and canonicalisation.
#include "crate/name.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {
namespace {

TEST_CASE("ValidateCrateName accepts names crates.io accepts") {
  const std::string kCases[] = {
      "a",
      "serde",
      "serde_json",
      "proc-macro2",
      "Inflector",
      "x86_64",
      "a-_-_b",
      "z9",
      std::string(64, 'a'),
      "stdx",  // only the exact reserved names are refused
      "core-foundation",
      "com10",
      "lpt",
      "nul_",
  };
  for (const std::string& name : kCases) {
    CAPTURE(name);
    Status status = ValidateCrateName(name);
    CHECK(status.ok());
    CHECK(status.message() == "");
  }
}

TEST_CASE("ValidateCrateName rejects bad names with a message naming the rule") {
  struct Case {
    std::string name;
    std::string message;
  };
  const Case kCases[] = {
      {"", "invalid crate name ``: the name is empty"},
      {std::string(65, 'a'),
       "invalid crate name `" + std::string(65, 'a') + "`: the name is longer than 64 characters"},
      {"1abc", "invalid crate name `1abc`: the first character must be an ASCII letter"},
      {"_abc", "invalid crate name `_abc`: the first character must be an ASCII letter"},
      {"-abc", "invalid crate name `-abc`: the first character must be an ASCII letter"},
      {"\xC3\xA9t\xC3\xA9",
       "invalid crate name `\xC3\xA9t\xC3\xA9`: the first character must be an ASCII letter"},
      {"abc%",
       "invalid crate name `abc%`: character `%` is not allowed (only ASCII letters, "
       "digits, `-` and `_`)"},
      {"my crate",
       "invalid crate name `my crate`: character ` ` is not allowed (only ASCII "
       "letters, digits, `-` and `_`)"},
      {"a.b",
       "invalid crate name `a.b`: character `.` is not allowed (only ASCII letters, "
       "digits, `-` and `_`)"},
      {"caf\xC3\xA9",
       "invalid crate name `caf\xC3\xA9`: character `\xC3\xA9` is not allowed "
       "(only ASCII letters, digits, `-` and `_`)"},
      {"a/b",
       "invalid crate name `a/b`: character `/` is not allowed (only ASCII letters, "
       "digits, `-` and `_`)"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    Status status = ValidateCrateName(c.name);
    CHECK(status.code() == Code::kInvalid);
    CHECK(status.message() == c.message);
  }
}

TEST_CASE("ValidateNewCrateName refuses crates.io's reserved names, in canonical form") {
  const char* kReserved[] = {"std",  "alloc", "core", "proc_macro", "proc-macro", "Proc-Macro",
                             "test", "rustc", "rustdoc", "compiler-builtins", "STD", "nul",
                             "CON",  "prn",   "aux",  "com0",       "com1",       "Com9",
                             "lpt0", "lpt1",  "LPT9"};
  for (const char* name : kReserved) {
    CAPTURE(name);
    Status status = ValidateNewCrateName(name);
    CHECK(status.code() == Code::kInvalid);
    CHECK(status.message() ==
          std::string("invalid crate name `") + name + "`: `" + name + "` is a reserved name");
    // The same names are fine where a crate already exists or is only depended on.
    CHECK(ValidateCrateName(name).ok());
  }
}

TEST_CASE("ValidateNewCrateName accepts names crates.io hosts that Cargo uses as directories") {
  for (const char* name : {"target", "build", "deps", "examples", "src", "com10", "stdx", "lpt"}) {
    CAPTURE(name);
    CHECK(ValidateNewCrateName(name).ok());
  }
}

TEST_CASE("ValidateNewCrateName checks the syntax first") {
  CHECK(ValidateNewCrateName("1std").message() ==
        "invalid crate name `1std`: the first character must be an ASCII letter");
}

TEST_CASE("ValidateCrateName checks length before characters") {
  // A 65-character name that also has a bad character reports the length.
  std::string name = std::string(64, 'a') + "%";
  CHECK(ValidateCrateName(name).message() ==
        "invalid crate name `" + name + "`: the name is longer than 64 characters");
}

TEST_CASE("CanonicalCrateName lower-cases and treats - as _") {
  struct Case {
    const char* name;
    const char* canonical;
  };
  const Case kCases[] = {
      {"serde", "serde"},
      {"Serde_JSON", "serde_json"},
      {"serde-json", "serde_json"},
      {"A-B_c", "a_b_c"},
      {"", ""},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    CHECK(CanonicalCrateName(c.name) == c.canonical);
  }
}

TEST_CASE("CanonicalCrateName makes names differing only in case and -/_ collide") {
  CHECK(CanonicalCrateName("Foo-Bar") == CanonicalCrateName("foo_bar"));
  CHECK(CanonicalCrateName("foo-bar") != CanonicalCrateName("foobar"));
}

}  // namespace
}  // namespace registry
