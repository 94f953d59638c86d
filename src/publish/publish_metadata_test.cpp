// Tests for ParsePublishMetadata: field types, defaults, validation and exact error texts.
#include "publish/publish_metadata.h"

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crate/name.h"
#include "crate/semver.h"

namespace registry {
namespace {

using Json = nlohmann::json;

// What cargo sends for a crate with one dependency on this registry.
Json CargoJson() {
  return Json::parse(R"({
    "name": "foo",
    "vers": "0.1.0",
    "deps": [{
      "optional": false,
      "default_features": true,
      "name": "bar",
      "features": [],
      "version_req": "^1.2",
      "target": null,
      "kind": "normal"
    }],
    "features": {},
    "authors": [],
    "description": null,
    "documentation": null,
    "homepage": null,
    "readme": null,
    "readme_file": null,
    "keywords": [],
    "categories": [],
    "license": null,
    "license_file": null,
    "repository": null,
    "badges": {},
    "links": null,
    "rust_version": null
  })");
}

// The smallest accepted document.
Json MinimalJson() { return Json{{"name", "foo"}, {"vers", "0.1.0"}, {"deps", Json::array()}}; }

Json Strings(size_t n, const std::string& stem) {
  Json list = Json::array();
  for (size_t i = 0; i < n; ++i) list.push_back(stem + std::to_string(i));
  return list;
}

TEST_CASE("ParsePublishMetadata reads what cargo sends") {
  Json json = CargoJson();
  json["features"] = {{"default", {"std"}}, {"std", Json::array()}, {"serde", {"dep:serde"}}};
  json["authors"] = {"A <a@example.com>"};
  json["description"] = "A crate.";
  json["documentation"] = "https://docs.example.com/foo";
  json["homepage"] = "https://example.com";
  json["readme"] = "# foo\n";
  json["readme_file"] = "README.md";
  json["keywords"] = {"no-std", "c++", "3d", "web_dev", "Parser"};
  json["categories"] = {"parsing", "no-std"};
  json["license"] = "MIT OR Apache-2.0";
  json["license_file"] = "LICENSE";
  json["repository"] = "https://git.example.com/foo";
  json["links"] = "z";
  json["rust_version"] = "1.60";
  json["deps"].push_back({{"name", "serde"},
                          {"version_req", "1.0.100"},
                          {"features", {"derive"}},
                          {"optional", true},
                          {"default_features", false},
                          {"target", "cfg(unix)"},
                          {"kind", "dev"},
                          {"registry", "https://github.com/rust-lang/crates.io-index"},
                          {"explicit_name_in_toml", "serde1"}});

  Result<PublishMetadata> meta = ParsePublishMetadata(json.dump());
  REQUIRE_MESSAGE(meta.ok(), meta.status().message());
  CHECK(meta->name == "foo");
  CHECK(meta->vers == "0.1.0");
  CHECK(meta->features.size() == 3);
  CHECK(meta->features.at("default") == std::vector<std::string>{"std"});
  CHECK(meta->features.at("std").empty());
  CHECK(meta->authors == std::vector<std::string>{"A <a@example.com>"});
  CHECK(meta->description == "A crate.");
  CHECK(meta->documentation == "https://docs.example.com/foo");
  CHECK(meta->homepage == "https://example.com");
  CHECK(meta->readme == "# foo\n");
  CHECK(meta->readme_file == "README.md");
  CHECK(meta->keywords.size() == 5);
  CHECK(meta->categories == std::vector<std::string>{"parsing", "no-std"});
  CHECK(meta->license == "MIT OR Apache-2.0");
  CHECK(meta->license_file == "LICENSE");
  CHECK(meta->repository == "https://git.example.com/foo");
  CHECK(meta->links == "z");
  CHECK(meta->rust_version == "1.60");

  REQUIRE(meta->deps.size() == 2);
  const PublishDependency& bar = meta->deps[0];
  CHECK(bar.name == "bar");
  CHECK(bar.version_req == "^1.2");
  CHECK(bar.features.empty());
  CHECK_FALSE(bar.optional);
  CHECK(bar.default_features);
  CHECK_FALSE(bar.target.has_value());
  CHECK(bar.kind == "normal");
  CHECK_FALSE(bar.registry.has_value());
  CHECK_FALSE(bar.explicit_name_in_toml.has_value());
  const PublishDependency& serde = meta->deps[1];
  CHECK(serde.name == "serde");
  CHECK(serde.version_req == "1.0.100");
  CHECK(serde.features == std::vector<std::string>{"derive"});
  CHECK(serde.optional);
  CHECK_FALSE(serde.default_features);
  CHECK(serde.target == "cfg(unix)");
  CHECK(serde.kind == "dev");
  CHECK(serde.registry == "https://github.com/rust-lang/crates.io-index");
  CHECK(serde.explicit_name_in_toml == "serde1");
}

TEST_CASE("ParsePublishMetadata defaults absent and null optional fields") {
  struct Case {
    std::string behaviour;
    Json json;
  };
  Json all_null = CargoJson();
  all_null["features"] = nullptr;
  all_null["authors"] = nullptr;
  all_null["keywords"] = nullptr;
  all_null["categories"] = nullptr;
  all_null["badges"] = nullptr;
  all_null["deps"][0] = {
      {"name", "bar"},       {"version_req", "1"},          {"features", nullptr},
      {"optional", nullptr}, {"default_features", nullptr}, {"target", nullptr},
      {"kind", nullptr},     {"registry", nullptr},         {"explicit_name_in_toml", nullptr}};
  Json absent = MinimalJson();
  absent["deps"].push_back({{"name", "bar"}, {"version_req", "1"}});
  const std::vector<Case> cases = {{"every optional field null", all_null},
                                   {"every optional field absent", absent}};
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<PublishMetadata> meta = ParsePublishMetadata(c.json.dump());
    REQUIRE_MESSAGE(meta.ok(), meta.status().message());
    CHECK(meta->features.empty());
    CHECK(meta->authors.empty());
    CHECK(meta->keywords.empty());
    CHECK(meta->categories.empty());
    CHECK_FALSE(meta->description.has_value());
    CHECK_FALSE(meta->rust_version.has_value());
    REQUIRE(meta->deps.size() == 1);
    const PublishDependency& dep = meta->deps[0];
    CHECK(dep.features.empty());
    CHECK_FALSE(dep.optional);
    CHECK(dep.default_features);
    CHECK_FALSE(dep.target.has_value());
    CHECK(dep.kind == "normal");
    CHECK_FALSE(dep.registry.has_value());
    CHECK_FALSE(dep.explicit_name_in_toml.has_value());
  }
}

TEST_CASE("ParsePublishMetadata accepts values at the limits and ignores unknown keys") {
  struct Case {
    std::string behaviour;
    std::function<void(Json&)> edit;
  };
  const std::vector<Case> cases = {
      // The feature count is the registry's limit, per crate (Registry::Publish), not the
      // parser's: web-sys has 1,503.
      {"1,503 features",
       [](Json& j) {
         for (int i = 0; i < 1503; ++i) j["features"]["f" + std::to_string(i)] = Json::array();
       }},
      // Reserved names are refused for new crates only (Registry::Publish), never as deps.
      {"a crate named after a reserved name", [](Json& j) { j["name"] = "std"; }},
      {"dependencies on crates.io's target and on com0",
       [](Json& j) {
         j["deps"].push_back({{"name", "target"}, {"version_req", "2"}});
         j["deps"].push_back({{"name", "com0"}, {"version_req", "1"}});
       }},
      {"500 dependencies",
       [](Json& j) {
         for (int i = 0; i < 500; ++i)
           j["deps"].push_back({{"name", "d" + std::to_string(i)}, {"version_req", "1"}});
       }},
      {"5 keywords", [](Json& j) { j["keywords"] = Strings(5, "k"); }},
      {"5 categories", [](Json& j) { j["categories"] = Strings(5, "c"); }},
      {"20-character keyword", [](Json& j) { j["keywords"] = {std::string(20, 'k')}; }},
      {"keyword starting with a digit", [](Json& j) { j["keywords"] = {"3d"}; }},
      {"rust_version with one part", [](Json& j) { j["rust_version"] = "1"; }},
      {"rust_version with three parts", [](Json& j) { j["rust_version"] = "1.60.0"; }},
      {"build dependency",
       [](Json& j) {
         j["deps"].push_back({{"name", "cc"}, {"version_req", "1"}, {"kind", "build"}});
       }},
      {"badges of any shape",
       [](Json& j) {
         j["badges"] = {{"maintenance", {{"status", "experimental"}}}};
       }},
      {"unknown top-level key",
       [](Json& j) {
         j["future_field"] = {1, 2, 3};
       }},
      {"unknown dependency key",
       [](Json& j) {
         j["deps"].push_back({{"name", "bar"}, {"version_req", "1"}, {"artifact", "bin"}});
       }},
      {"long description", [](Json& j) { j["description"] = std::string(5000, 'd'); }},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Json json = MinimalJson();
    c.edit(json);
    Result<PublishMetadata> meta = ParsePublishMetadata(json.dump());
    CHECK_MESSAGE(meta.ok(), meta.status().message());
  }
}

TEST_CASE("ParsePublishMetadata refuses malformed documents with exact messages") {
  struct Case {
    std::string behaviour;
    std::string json;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"empty input", "", "invalid publish metadata: not valid JSON"},
      {"truncated JSON", R"({"name": "foo")", "invalid publish metadata: not valid JSON"},
      {"trailing garbage", R"({"name":"foo","vers":"0.1.0","deps":[]} x)",
       "invalid publish metadata: not valid JSON"},
      {"invalid UTF-8 in a string", "{\"name\":\"f\xff\",\"vers\":\"0.1.0\",\"deps\":[]}",
       "invalid publish metadata: not valid JSON"},
      {"top level is an array", "[]", "invalid publish metadata: the JSON must be an object"},
      {"top level is a string", "\"foo\"", "invalid publish metadata: the JSON must be an object"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Result<PublishMetadata> meta = ParsePublishMetadata(c.json);
    REQUIRE_FALSE(meta.ok());
    CHECK(meta.status().code() == Code::kInvalid);
    CHECK(meta.status().message() == c.message);
  }
}

TEST_CASE("ParsePublishMetadata refuses wrong field types with exact messages") {
  struct Case {
    std::string behaviour;
    std::function<void(Json&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"missing name", [](Json& j) { j.erase("name"); },
       "invalid publish metadata: `name` is missing"},
      {"null name", [](Json& j) { j["name"] = nullptr; },
       "invalid publish metadata: `name` must be a string"},
      {"numeric vers", [](Json& j) { j["vers"] = 1; },
       "invalid publish metadata: `vers` must be a string"},
      {"missing vers", [](Json& j) { j.erase("vers"); },
       "invalid publish metadata: `vers` is missing"},
      {"missing deps", [](Json& j) { j.erase("deps"); },
       "invalid publish metadata: `deps` is missing"},
      {"null deps", [](Json& j) { j["deps"] = nullptr; },
       "invalid publish metadata: `deps` must be an array"},
      {"object deps", [](Json& j) { j["deps"] = Json::object(); },
       "invalid publish metadata: `deps` must be an array"},
      {"features as an array", [](Json& j) { j["features"] = Json::array(); },
       "invalid publish metadata: `features` must be an object"},
      {"feature list of numbers", [](Json& j) { j["features"]["std"] = {1}; },
       "invalid publish metadata: `features.std` must be an array of strings"},
      {"feature value a string", [](Json& j) { j["features"]["std"] = "alloc"; },
       "invalid publish metadata: `features.std` must be an array of strings"},
      {"authors a string", [](Json& j) { j["authors"] = "me"; },
       "invalid publish metadata: `authors` must be an array of strings"},
      {"keywords with a number",
       [](Json& j) {
         j["keywords"] = {"a", 2};
       },
       "invalid publish metadata: `keywords` must be an array of strings"},
      {"categories with null", [](Json& j) { j["categories"] = {nullptr}; },
       "invalid publish metadata: `categories` must be an array of strings"},
      {"description a number", [](Json& j) { j["description"] = 3; },
       "invalid publish metadata: `description` must be a string"},
      {"documentation an object", [](Json& j) { j["documentation"] = Json::object(); },
       "invalid publish metadata: `documentation` must be a string"},
      {"homepage a bool", [](Json& j) { j["homepage"] = true; },
       "invalid publish metadata: `homepage` must be a string"},
      {"readme an array", [](Json& j) { j["readme"] = Json::array(); },
       "invalid publish metadata: `readme` must be a string"},
      {"readme_file a number", [](Json& j) { j["readme_file"] = 1; },
       "invalid publish metadata: `readme_file` must be a string"},
      {"license a number", [](Json& j) { j["license"] = 1; },
       "invalid publish metadata: `license` must be a string"},
      {"license_file a number", [](Json& j) { j["license_file"] = 1; },
       "invalid publish metadata: `license_file` must be a string"},
      {"repository a number", [](Json& j) { j["repository"] = 1; },
       "invalid publish metadata: `repository` must be a string"},
      {"links a number", [](Json& j) { j["links"] = 1; },
       "invalid publish metadata: `links` must be a string"},
      {"rust_version a number", [](Json& j) { j["rust_version"] = 1.6; },
       "invalid publish metadata: `rust_version` must be a string"},
      {"dependency a string", [](Json& j) { j["deps"] = {"bar"}; },
       "invalid publish metadata: `deps[0]` must be an object"},
      {"dependency without name",
       [](Json& j) {
         j["deps"] = {{{"version_req", "1"}}};
       },
       "invalid publish metadata: `deps[0].name` is missing"},
      {"second dependency without version_req",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}}, {{"name", "b"}}};
       },
       "invalid publish metadata: `deps[1].version_req` is missing"},
      {"dependency version_req a number",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", 1}}};
       },
       "invalid publish metadata: `deps[0].version_req` must be a string"},
      {"dependency features a string",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"features", "std"}}};
       },
       "invalid publish metadata: `deps[0].features` must be an array of strings"},
      {"dependency optional a string",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"optional", "yes"}}};
       },
       "invalid publish metadata: `deps[0].optional` must be a boolean"},
      {"dependency default_features a number",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"default_features", 1}}};
       },
       "invalid publish metadata: `deps[0].default_features` must be a boolean"},
      {"dependency target an array",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"target", Json::array()}}};
       },
       "invalid publish metadata: `deps[0].target` must be a string"},
      {"dependency kind a number",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"kind", 0}}};
       },
       "invalid publish metadata: `deps[0].kind` must be a string"},
      {"dependency registry a bool",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"registry", false}}};
       },
       "invalid publish metadata: `deps[0].registry` must be a string"},
      {"dependency registry a javascript: URL",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"registry", "javascript:alert(1)"}}};
       },
       "invalid publish metadata: dependency `a`: `registry` must be an http://, https:// or "
       "sparse+http(s):// index URL"},
      {"dependency registry a file: URL",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"registry", "file:///etc/passwd"}}};
       },
       "invalid publish metadata: dependency `a`: `registry` must be an http://, https:// or "
       "sparse+http(s):// index URL"},
      {"dependency registry a URL with a space",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"registry", "https://a b/"}}};
       },
       "invalid publish metadata: dependency `a`: `registry` must be an http://, https:// or "
       "sparse+http(s):// index URL"},
      {"dependency registry a bare scheme",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"registry", "https://"}}};
       },
       "invalid publish metadata: dependency `a`: `registry` must be an http://, https:// or "
       "sparse+http(s):// index URL"},
      {"dependency registry a sparse+ javascript: URL",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"registry", "sparse+javascript:x"}}};
       },
       "invalid publish metadata: dependency `a`: `registry` must be an http://, https:// or "
       "sparse+http(s):// index URL"},
      {"dependency explicit_name_in_toml a number",
       [](Json& j) {
         j["deps"] = {{{"name", "a"}, {"version_req", "1"}, {"explicit_name_in_toml", 2}}};
       },
       "invalid publish metadata: `deps[0].explicit_name_in_toml` must be a string"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Json json = CargoJson();
    c.edit(json);
    Result<PublishMetadata> meta = ParsePublishMetadata(json.dump());
    REQUIRE_FALSE(meta.ok());
    CHECK(meta.status().code() == Code::kInvalid);
    CHECK(meta.status().message() == c.message);
  }
}

TEST_CASE("ParsePublishMetadata refuses values crates.io refuses") {
  struct Case {
    std::string behaviour;
    std::function<void(Json&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"501 dependencies",
       [](Json& j) {
         for (int i = 0; i < 500; ++i)
           j["deps"].push_back({{"name", "d" + std::to_string(i)}, {"version_req", "1"}});
       },
       "invalid publish metadata: at most 500 dependencies are allowed, got 501"},
      {"6 keywords", [](Json& j) { j["keywords"] = Strings(6, "k"); },
       "invalid publish metadata: at most 5 keywords are allowed, got 6"},
      {"6 categories", [](Json& j) { j["categories"] = Strings(6, "c"); },
       "invalid publish metadata: at most 5 categories are allowed, got 6"},
      {"21-character keyword", [](Json& j) { j["keywords"] = {"abcdefghijklmnopqrstu"}; },
       "invalid publish metadata: keyword `abcdefghijklmnopqrstu` is longer than 20 characters"},
      {"keyword with a space",
       [](Json& j) {
         j["keywords"] = {"ok", "two words"};
       },
       "invalid publish metadata: invalid keyword `two words`: it must start with an ASCII letter "
       "or digit and contain only ASCII letters, digits, `-`, `_` or `+`"},
      {"keyword starting with a dash", [](Json& j) { j["keywords"] = {"-x"}; },
       "invalid publish metadata: invalid keyword `-x`: it must start with an ASCII letter or "
       "digit and contain only ASCII letters, digits, `-`, `_` or `+`"},
      {"empty keyword", [](Json& j) { j["keywords"] = {""}; },
       "invalid publish metadata: invalid keyword ``: it must start with an ASCII letter or digit "
       "and contain only ASCII letters, digits, `-`, `_` or `+`"},
      {"non-ASCII keyword", [](Json& j) { j["keywords"] = {"caf\u00e9"}; },
       "invalid publish metadata: invalid keyword `caf\u00e9`: it must start with an ASCII letter "
       "or digit and contain only ASCII letters, digits, `-`, `_` or `+`"},
      {"rust_version with four parts", [](Json& j) { j["rust_version"] = "1.60.0.1"; },
       "invalid publish metadata: `rust_version` must look like 1.60 or 1.60.0, got `1.60.0.1`"},
      {"rust_version with a pre-release", [](Json& j) { j["rust_version"] = "1.60.0-beta"; },
       "invalid publish metadata: `rust_version` must look like 1.60 or 1.60.0, got "
       "`1.60.0-beta`"},
      {"rust_version with an empty part", [](Json& j) { j["rust_version"] = "1..0"; },
       "invalid publish metadata: `rust_version` must look like 1.60 or 1.60.0, got `1..0`"},
      {"rust_version with a trailing dot", [](Json& j) { j["rust_version"] = "1.60."; },
       "invalid publish metadata: `rust_version` must look like 1.60 or 1.60.0, got `1.60.`"},
      {"empty rust_version", [](Json& j) { j["rust_version"] = ""; },
       "invalid publish metadata: `rust_version` must look like 1.60 or 1.60.0, got ``"},
      {"unknown dependency kind",
       [](Json& j) {
         j["deps"] = {{{"name", "bar"}, {"version_req", "1"}, {"kind", "test"}}};
       },
       "invalid publish metadata: dependency `bar`: kind must be `normal`, `build` or `dev`, got "
       "`test`"},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    Json json = CargoJson();
    c.edit(json);
    Result<PublishMetadata> meta = ParsePublishMetadata(json.dump());
    REQUIRE_FALSE(meta.ok());
    CHECK(meta.status().code() == Code::kInvalid);
    CHECK(meta.status().message() == c.message);
  }
}

// The crate modules own these messages; the parser passes them on (prefixed for a dependency).
TEST_CASE("ParsePublishMetadata passes on name and version errors from the crate rules") {
  struct Case {
    std::string behaviour;
    std::function<void(Json&)> edit;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"crate name starting with a digit", [](Json& j) { j["name"] = "1abc"; },
       ValidateCrateName("1abc").message()},
      {"empty crate name", [](Json& j) { j["name"] = ""; }, ValidateCrateName("").message()},
      {"two-part version", [](Json& j) { j["vers"] = "1.2"; },
       ParseVersion("1.2").status().message()},
      {"v-prefixed version", [](Json& j) { j["vers"] = "v1.2.3"; },
       ParseVersion("v1.2.3").status().message()},
      {"dependency name with a space",
       [](Json& j) {
         j["deps"] = {{{"name", "bad name"}, {"version_req", "1"}}};
       },
       "invalid publish metadata: dependency `bad name`: " +
           ValidateCrateName("bad name").message()},
      {"dependency requirement `*`", [](Json& j) { j["deps"][0]["version_req"] = "*"; },
       "invalid publish metadata: dependency `bar`: " + ValidateVersionReq("*").message()},
  };
  for (const Case& c : cases) {
    INFO(c.behaviour);
    REQUIRE_FALSE(c.message.empty());
    Json json = CargoJson();
    c.edit(json);
    Result<PublishMetadata> meta = ParsePublishMetadata(json.dump());
    REQUIRE_FALSE(meta.ok());
    CHECK(meta.status().code() == Code::kInvalid);
    CHECK(meta.status().message() == c.message);
  }
}

TEST_CASE("ParsePublishMetadata refuses deep nesting before parsing, even in ignored fields") {
  const std::string deep =
      "{\"name\":\"foo\",\"vers\":\"0.1.0\",\"deps\":[],\"badges\":" + std::string(3000, '[') +
      std::string(3000, ']') + "}";
  Result<PublishMetadata> meta = ParsePublishMetadata(deep);
  REQUIRE_FALSE(meta.ok());
  CHECK(meta.status().code() == Code::kInvalid);
  CHECK(meta.status().message() == "invalid publish metadata: JSON nested deeper than 64 levels");

  const std::string unclosed = std::string(100000, '[');
  Result<PublishMetadata> bad = ParsePublishMetadata(unclosed);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "invalid publish metadata: JSON nested deeper than 64 levels");

  const std::string shallow =
      "{\"name\":\"foo\",\"vers\":\"0.1.0\",\"deps\":[],\"badges\":{\"a\":{\"b\":[[1]]}}}";
  CHECK(ParsePublishMetadata(shallow).ok());
}

TEST_CASE("ParsePublishMetadata keeps http(s) and sparse+ registry URLs of dependencies") {
  for (const char* url : {"https://github.com/rust-lang/crates.io-index",
                          "sparse+https://index.crates.io/", "http://10.0.0.1:8080/index/"}) {
    CAPTURE(url);
    Json j = {{"name", "foo"},
              {"vers", "0.1.0"},
              {"deps", {{{"name", "a"}, {"version_req", "1"}, {"registry", url}}}}};
    Result<PublishMetadata> meta = ParsePublishMetadata(j.dump());
    REQUIRE_MESSAGE(meta.ok(), meta.status().message());
    CHECK(meta->deps[0].registry == url);
  }
}

}  // namespace
}  // namespace registry
