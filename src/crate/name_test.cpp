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
      "com0",  // com1-com9 only
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
      {"std", "invalid crate name `std`: `std` is a reserved name"},
      {"alloc", "invalid crate name `alloc`: `alloc` is a reserved name"},
      {"core", "invalid crate name `core`: `core` is a reserved name"},
      {"proc_macro", "invalid crate name `proc_macro`: `proc_macro` is a reserved name"},
      {"proc-macro", "invalid crate name `proc-macro`: `proc-macro` is a reserved name"},
      {"Proc-Macro", "invalid crate name `Proc-Macro`: `Proc-Macro` is a reserved name"},
      {"test", "invalid crate name `test`: `test` is a reserved name"},
      {"build", "invalid crate name `build`: `build` is a reserved name"},
      {"deps", "invalid crate name `deps`: `deps` is a reserved name"},
      {"examples", "invalid crate name `examples`: `examples` is a reserved name"},
      {"src", "invalid crate name `src`: `src` is a reserved name"},
      {"target", "invalid crate name `target`: `target` is a reserved name"},
      {"STD", "invalid crate name `STD`: `STD` is a reserved name"},
      {"nul", "invalid crate name `nul`: `nul` is a reserved name"},
      {"CON", "invalid crate name `CON`: `CON` is a reserved name"},
      {"prn", "invalid crate name `prn`: `prn` is a reserved name"},
      {"aux", "invalid crate name `aux`: `aux` is a reserved name"},
      {"com1", "invalid crate name `com1`: `com1` is a reserved name"},
      {"Com9", "invalid crate name `Com9`: `Com9` is a reserved name"},
      {"lpt1", "invalid crate name `lpt1`: `lpt1` is a reserved name"},
      {"LPT9", "invalid crate name `LPT9`: `LPT9` is a reserved name"},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    Status status = ValidateCrateName(c.name);
    CHECK(status.code() == Code::kInvalid);
    CHECK(status.message() == c.message);
  }
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
