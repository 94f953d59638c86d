// Parses and validates the JSON metadata of a publish; untrusted input, so no exceptions.
#include "publish/publish_metadata.h"

#include <exception>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/untrusted_json.h"
#include "crate/name.h"
#include "crate/semver.h"

namespace registry {
namespace {

using Json = nlohmann::json;

// The limits crates.io applies to a publish.
constexpr size_t kMaxDeps = 500;
constexpr size_t kMaxKeywords = 5;
constexpr size_t kMaxCategories = 5;
constexpr size_t kMaxKeywordChars = 20;

Status Bad(const std::string& why) { return Status::Invalid("invalid publish metadata: " + why); }

// The member `key` of `object`, or nullptr when absent. A present null is returned as is.
const Json* Find(const Json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

bool IsAbsent(const Json* value) { return value == nullptr || value->is_null(); }

// `path` names the field in messages: "vers", "deps[2].version_req".
Status ReadRequiredString(const Json& object, const char* key, const std::string& path,
                          std::string* out) {
  const Json* value = Find(object, key);
  if (value == nullptr) return Bad("`" + path + "` is missing");
  if (!value->is_string()) return Bad("`" + path + "` must be a string");
  *out = value->get<std::string>();
  return Status::Ok();
}

// Absent or null leaves `*out` empty.
Status ReadOptionalString(const Json& object, const char* key, const std::string& path,
                          std::optional<std::string>* out) {
  const Json* value = Find(object, key);
  if (IsAbsent(value)) return Status::Ok();
  if (!value->is_string()) return Bad("`" + path + "` must be a string");
  *out = value->get<std::string>();
  return Status::Ok();
}

// Absent or null leaves `*out` empty.
Status ReadStringArray(const Json* value, const std::string& path, std::vector<std::string>* out) {
  if (IsAbsent(value)) return Status::Ok();
  if (!value->is_array()) return Bad("`" + path + "` must be an array of strings");
  for (const Json& item : *value) {
    if (!item.is_string()) return Bad("`" + path + "` must be an array of strings");
    out->push_back(item.get<std::string>());
  }
  return Status::Ok();
}

// Absent or null leaves `*out` at its default.
Status ReadOptionalBool(const Json& object, const char* key, const std::string& path, bool* out) {
  const Json* value = Find(object, key);
  if (IsAbsent(value)) return Status::Ok();
  if (!value->is_boolean()) return Bad("`" + path + "` must be a boolean");
  *out = value->get<bool>();
  return Status::Ok();
}

Status ReadFeatures(const Json* value, std::map<std::string, std::vector<std::string>>* out) {
  if (IsAbsent(value)) return Status::Ok();
  if (!value->is_object()) return Bad("`features` must be an object");
  for (const auto& [feature, enables] : value->items()) {
    std::vector<std::string>& list = (*out)[feature];
    RETURN_IF_ERROR(ReadStringArray(&enables, "features." + feature, &list));
  }
  return Status::Ok();
}

// Prefixes a dependency's validation failure with the dependency it concerns.
Status InDependency(const std::string& dep_name, const Status& status) {
  return Bad("dependency `" + dep_name + "`: " + status.message());
}

// An index URL as cargo writes it for a dependency on another registry. Anything else
// (`javascript:...`) would be stored and shown as a link.
bool IsRegistryUrl(std::string_view url) {
  if (url.substr(0, 7) == "sparse+") url.remove_prefix(7);
  size_t scheme = url.substr(0, 8) == "https://" ? 8 : url.substr(0, 7) == "http://" ? 7 : 0;
  if (scheme == 0 || url.size() == scheme || url.size() > 2048) return false;
  for (char c : url) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\') return false;
  }
  return true;
}

Status ReadDependency(const Json& json, size_t index, PublishDependency* dep) {
  const std::string path = "deps[" + std::to_string(index) + "]";
  if (!json.is_object()) return Bad("`" + path + "` must be an object");

  RETURN_IF_ERROR(ReadRequiredString(json, "name", path + ".name", &dep->name));
  RETURN_IF_ERROR(
      ReadRequiredString(json, "version_req", path + ".version_req", &dep->version_req));
  RETURN_IF_ERROR(ReadStringArray(Find(json, "features"), path + ".features", &dep->features));
  RETURN_IF_ERROR(ReadOptionalBool(json, "optional", path + ".optional", &dep->optional));
  RETURN_IF_ERROR(ReadOptionalBool(json, "default_features", path + ".default_features",
                                   &dep->default_features));
  RETURN_IF_ERROR(ReadOptionalString(json, "target", path + ".target", &dep->target));
  std::optional<std::string> kind;
  RETURN_IF_ERROR(ReadOptionalString(json, "kind", path + ".kind", &kind));
  if (kind.has_value()) dep->kind = *kind;
  RETURN_IF_ERROR(ReadOptionalString(json, "registry", path + ".registry", &dep->registry));
  RETURN_IF_ERROR(ReadOptionalString(json, "explicit_name_in_toml", path + ".explicit_name_in_toml",
                                     &dep->explicit_name_in_toml));

  if (Status s = ValidateCrateName(dep->name); !s.ok()) return InDependency(dep->name, s);
  if (Status s = ValidateVersionReq(dep->version_req); !s.ok()) {
    return InDependency(dep->name, s);
  }
  if (dep->registry && !IsRegistryUrl(*dep->registry)) {
    return Bad("dependency `" + dep->name + "`: `registry` must be an http://, https:// or " +
               "sparse+http(s):// index URL");
  }
  if (dep->kind != "normal" && dep->kind != "build" && dep->kind != "dev") {
    return Bad("dependency `" + dep->name + "`: kind must be `normal`, `build` or `dev`, got `" +
               dep->kind + "`");
  }
  return Status::Ok();
}

Status ReadDependencies(const Json& object, std::vector<PublishDependency>* out) {
  const Json* deps = Find(object, "deps");
  if (deps == nullptr) return Bad("`deps` is missing");
  if (!deps->is_array()) return Bad("`deps` must be an array");
  if (deps->size() > kMaxDeps) {
    return Bad("at most " + std::to_string(kMaxDeps) + " dependencies are allowed, got " +
               std::to_string(deps->size()));
  }
  out->reserve(deps->size());
  for (size_t i = 0; i < deps->size(); ++i) {
    PublishDependency dep;
    RETURN_IF_ERROR(ReadDependency((*deps)[i], i, &dep));
    out->push_back(std::move(dep));
  }
  return Status::Ok();
}

bool IsAsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// crates.io's keyword rule: at most 20 chars, an ASCII letter or digit first, then ASCII
// letters, digits, '-', '_' or '+' ("c++", "3d" and "no-std" are all real keywords there).
Status ValidateKeyword(const std::string& keyword) {
  if (keyword.size() > kMaxKeywordChars) {
    return Bad("keyword `" + keyword + "` is longer than " + std::to_string(kMaxKeywordChars) +
               " characters");
  }
  bool valid = !keyword.empty() && IsAsciiAlnum(keyword[0]);
  for (char c : keyword) {
    if (!IsAsciiAlnum(c) && c != '-' && c != '_' && c != '+') valid = false;
  }
  if (valid) return Status::Ok();
  return Bad("invalid keyword `" + keyword +
             "`: it must start with an ASCII letter or digit and contain only ASCII letters, "
             "digits, `-`, `_` or `+`");
}

// Cargo's `rust-version`: "1", "1.60" or "1.60.0".
Status ValidateRustVersion(const std::string& text) {
  size_t parts = 0;
  size_t start = 0;
  bool valid = true;
  while (valid) {
    size_t dot = text.find('.', start);
    std::string_view part = std::string_view(text).substr(
        start, dot == std::string::npos ? std::string::npos : dot - start);
    valid = !part.empty() && part.find_first_not_of("0123456789") == std::string_view::npos;
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (valid && parts <= 3) return Status::Ok();
  return Bad("`rust_version` must look like 1.60 or 1.60.0, got `" + text + "`");
}

Result<PublishMetadata> Parse(std::string_view text) {
  // Bounded depth: `badges` is ignored, but 3,000 levels of it cost memory to parse and were
  // refused only later, by SQLite's JSON functions, after the tarball was stored.
  Result<Json> parsed = ParseUntrustedJson(text);
  if (!parsed.ok()) {
    return parsed.status().code() == Code::kInvalid ? Bad(parsed.status().message())
                                                    : parsed.status();
  }
  const Json& json = *parsed;
  if (!json.is_object()) return Bad("the JSON must be an object");

  PublishMetadata meta;
  RETURN_IF_ERROR(ReadRequiredString(json, "name", "name", &meta.name));
  RETURN_IF_ERROR(ReadRequiredString(json, "vers", "vers", &meta.vers));
  RETURN_IF_ERROR(ValidateCrateName(meta.name));
  if (Result<Version> version = ParseVersion(meta.vers); !version.ok()) return version.status();
  RETURN_IF_ERROR(ReadDependencies(json, &meta.deps));
  RETURN_IF_ERROR(ReadFeatures(Find(json, "features"), &meta.features));
  RETURN_IF_ERROR(ReadStringArray(Find(json, "authors"), "authors", &meta.authors));
  RETURN_IF_ERROR(ReadStringArray(Find(json, "keywords"), "keywords", &meta.keywords));
  RETURN_IF_ERROR(ReadStringArray(Find(json, "categories"), "categories", &meta.categories));
  const std::pair<const char*, std::optional<std::string>*> optional_strings[] = {
      {"description", &meta.description},
      {"documentation", &meta.documentation},
      {"homepage", &meta.homepage},
      {"readme", &meta.readme},
      {"readme_file", &meta.readme_file},
      {"license", &meta.license},
      {"license_file", &meta.license_file},
      {"repository", &meta.repository},
      {"links", &meta.links},
      {"rust_version", &meta.rust_version},
  };
  for (const auto& [key, out] : optional_strings) {
    RETURN_IF_ERROR(ReadOptionalString(json, key, key, out));
  }
  // `badges` is deprecated and ignored, whatever its shape.

  if (meta.keywords.size() > kMaxKeywords) {
    return Bad("at most " + std::to_string(kMaxKeywords) + " keywords are allowed, got " +
               std::to_string(meta.keywords.size()));
  }
  for (const std::string& keyword : meta.keywords) RETURN_IF_ERROR(ValidateKeyword(keyword));
  if (meta.categories.size() > kMaxCategories) {
    return Bad("at most " + std::to_string(kMaxCategories) + " categories are allowed, got " +
               std::to_string(meta.categories.size()));
  }
  if (meta.rust_version.has_value()) RETURN_IF_ERROR(ValidateRustVersion(*meta.rust_version));
  return meta;
}

}  // namespace

Result<PublishMetadata> ParsePublishMetadata(std::string_view json) {
  // Parsing itself does not throw; this is the module edge for anything else (bad_alloc).
  try {
    return Parse(json);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("publish metadata parser failed: ") + e.what());
  } catch (...) {
    return Status::Internal("publish metadata parser failed");
  }
}

}  // namespace registry
