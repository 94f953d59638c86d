// Tests for the sparse-index path of a crate and its inverse.
#include "index/sparse_path.h"

#include <doctest/doctest.h>

#include <string>

namespace registry {
namespace {

TEST_CASE("IndexPath follows cargo's layout by name length, lower-cased") {
  struct Case {
    std::string name;
    std::string path;
  };
  const Case kCases[] = {
      {"a", "1/a"},
      {"A", "1/a"},
      {"ab", "2/ab"},
      {"abc", "3/a/abc"},
      {"Abc", "3/a/abc"},
      {"abcd", "ab/cd/abcd"},
      {"cargo", "ca/rg/cargo"},
      {"Serde_JSON", "se/rd/serde_json"},
      {"a-b_c", "a-/b_/a-b_c"},
      {std::string(64, 'z'), "zz/zz/" + std::string(64, 'z')},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.name);
    CHECK(IndexPath(c.name) == c.path);
  }
}

TEST_CASE("CrateNameFromIndexPath returns the lower-cased name of a well-formed path") {
  struct Case {
    std::string path;
    std::string name;
  };
  const Case kCases[] = {
      {"1/a", "a"},
      {"2/ab", "ab"},
      {"3/a/abc", "abc"},
      {"ab/cd/abcd", "abcd"},
      {"ca/rg/cargo", "cargo"},
      {"se/rd/serde_json", "serde_json"},
      {"pr/oc/proc-macro2", "proc-macro2"},
      {"CA/RG/Cargo", "cargo"},  // case-insensitive
      {"3/A/aBC", "abc"},
      {"zz/zz/" + std::string(64, 'z'), std::string(64, 'z')},
  };
  for (const Case& c : kCases) {
    CAPTURE(c.path);
    Result<std::string> name = CrateNameFromIndexPath(c.path);
    REQUIRE_MESSAGE(name.ok(), name.status().message());
    CHECK(*name == c.name);
  }
}

TEST_CASE("CrateNameFromIndexPath round-trips IndexPath") {
  const char* kNames[] = {"a", "ab", "abc", "abcd", "tokio", "serde-json", "x86_64"};
  for (const char* name : kNames) {
    CAPTURE(name);
    Result<std::string> back = CrateNameFromIndexPath(IndexPath(name));
    REQUIRE(back.ok());
    CHECK(*back == name);
  }
}

TEST_CASE("CrateNameFromIndexPath is NotFound for paths that are not a crate's") {
  const std::string kCases[] = {
      "",
      "/",
      "config.json",
      "abcd",           // no directories
      "ab/ce/abcd",     // wrong second directory
      "ac/cd/abcd",     // wrong first directory
      "ab/cd/abcd/",    // trailing slash
      "/ab/cd/abcd",    // leading slash
      "ab//cd/abcd",    // empty segment
      "ab/cd/ef/abcd",  // too deep
      "ab/abcd",        // too shallow
      "1/ab",           // length-1 directory for a 2-letter name
      "2/a",            // length-2 directory for a 1-letter name
      "1/",             // no name
      "3/b/abc",        // wrong letter directory
      "3/abc",          // missing letter directory
      "2/a.",           // '.' is never in a crate name
      "ab/c%/abc%",     // bad character
      "ab/cd/abcd.json",
      "..",
      "../../etc/passwd",
      "ab/cd/ab cd",
      "ab/cd/abcd\n",
      "\xC3\xA9/\xC3\xA9",              // non-ASCII
      "aa/aa/" + std::string(65, 'a'),  // longer than any crate name
  };
  for (const std::string& path : kCases) {
    CAPTURE(path);
    Result<std::string> name = CrateNameFromIndexPath(path);
    REQUIRE_FALSE(name.ok());
    CHECK(name.status().code() == Code::kNotFound);
    CHECK(name.status().message() == "no such crate in the index");
  }
}

}  // namespace
}  // namespace registry
