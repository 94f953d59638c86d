// Looking up a version's checksum in an index file, parsing without exceptions.
#include "mirror/index_lookup.h"

#include <nlohmann/json.hpp>

namespace registry {

// Calls `fn` with each line of `body` parsed; stops when `fn` returns true.
template <typename Fn>
static void ForEachLine(std::string_view body, Fn fn) {
  while (!body.empty()) {
    size_t end = body.find('\n');
    std::string_view line = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (line.empty()) continue;
    nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    if (fn(j)) return;
  }
}

Result<std::string> FindIndexCksum(std::string_view body, std::string_view vers) {
  std::string cksum;
  ForEachLine(body, [&](const nlohmann::json& j) {
    auto v = j.find("vers");
    auto c = j.find("cksum");
    if (v == j.end() || !v->is_string() || *v != vers) return false;
    if (c == j.end() || !c->is_string()) return false;
    cksum = c->get<std::string>();
    return true;
  });
  if (cksum.empty())
    return Status::NotFound("version `" + std::string(vers) + "` is not in the index");
  if (cksum.size() != 64 || cksum.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::BadGateway("the index line of version `" + std::string(vers) +
                              "` has a malformed cksum `" + cksum + "`");
  }
  return cksum;
}

std::vector<IndexVersion> ListIndexVersions(std::string_view body) {
  std::vector<IndexVersion> out;
  ForEachLine(body, [&](const nlohmann::json& j) {
    auto name = j.find("name");
    auto vers = j.find("vers");
    if (name == j.end() || !name->is_string() || vers == j.end() || !vers->is_string())
      return false;
    auto yanked = j.find("yanked");
    out.push_back({name->get<std::string>(), vers->get<std::string>(),
                   yanked != j.end() && yanked->is_boolean() && yanked->get<bool>()});
    return false;
  });
  return out;
}

int CountIndexVersions(std::string_view body) {
  int n = 0;
  ForEachLine(body, [&](const nlohmann::json& j) {
    if (j.contains("vers")) ++n;
    return false;
  });
  return n;
}

}  // namespace registry
