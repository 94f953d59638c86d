// Reads a sparse registry over HTTP into versions to import.
#include "import/sparse_source.h"

#include <sstream>

#include "base/untrusted_json.h"
#include "import/crate_loaders.h"
#include "import/index_dir.h"
#include "index/sparse_path.h"

namespace registry {
namespace {

Result<FetchResponse> Get(Fetcher* fetcher, const std::string& url, const std::string& token) {
  FetchRequest request;
  request.url = url;
  request.authorization = token;
  return fetcher->Get(request);
}

Status Unexpected(const std::string& url, int status) {
  std::string hint = status == 401 || status == 403 ? " (give a token with --token)" : "";
  return Status::Unavailable("GET " + url + " answered " + std::to_string(status) + hint);
}

}  // namespace

Result<std::vector<std::string>> ListCratesBySearch(Fetcher* fetcher, const std::string& api,
                                                    const std::string& token) {
  std::string base = api;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::vector<std::string> names;
  for (int page = 1; page <= 10000; ++page) {
    std::string url = base + "/api/v1/crates?q=&per_page=100&page=" + std::to_string(page);
    Result<FetchResponse> res = Get(fetcher, url, token);
    if (!res.ok()) return res.status();
    if (res->status != 200) return Unexpected(url, res->status);
    Result<nlohmann::json> json = ParseUntrustedJson(res->body);
    if (!json.ok() || !json->is_object() || !json->contains("crates") ||
        !(*json)["crates"].is_array()) {
      return Status::BadGateway("GET " + url + " did not answer a crate list");
    }
    const nlohmann::json& crates = (*json)["crates"];
    for (const nlohmann::json& c : crates) {
      if (c.is_object() && c.contains("name") && c["name"].is_string()) {
        names.push_back(c["name"].get<std::string>());
      }
    }
    if (crates.size() < 100) break;
  }
  return names;
}

Result<std::vector<SourceVersion>> ListSparseSource(Fetcher* fetcher,
                                                    const SparseSourceOptions& options) {
  std::string index = options.index_url;
  if (index.rfind("sparse+", 0) == 0) index = index.substr(7);
  if (!index.empty() && index.back() != '/') index += '/';
  std::string config_url = index + "config.json";
  Result<FetchResponse> config = Get(fetcher, config_url, options.token);
  if (!config.ok()) return config.status();
  if (config->status != 200) return Unexpected(config_url, config->status);
  Result<nlohmann::json> json = ParseUntrustedJson(config->body);
  if (!json.ok() || !json->is_object() || !json->contains("dl") || !(*json)["dl"].is_string()) {
    return Status::BadGateway(config_url + " has no string `dl`");
  }
  std::string dl = (*json)["dl"].get<std::string>();
  std::string api = json->contains("api") && (*json)["api"].is_string()
                        ? (*json)["api"].get<std::string>()
                        : std::string();

  std::vector<std::string> names = options.crate_names;
  if (names.empty()) {
    if (api.empty()) {
      return Status::Invalid(config_url + " names no `api` to list crates with; give --crate-list");
    }
    Result<std::vector<std::string>> listed = ListCratesBySearch(fetcher, api, options.token);
    if (!listed.ok()) return listed.status();
    names = std::move(*listed);
  }

  CrateLoader loader = HttpCrateLoader(fetcher, dl, options.token);
  std::vector<SourceVersion> out;
  for (const std::string& name : names) {
    std::string url = index + IndexPath(name);
    Result<FetchResponse> file = Get(fetcher, url, options.token);
    if (!file.ok()) return file.status();
    if (file->status == 404) continue;
    if (file->status != 200) return Unexpected(url, file->status);
    std::istringstream lines(file->body);
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      Result<SourceVersion> v = VersionFromIndexLine(line, loader);
      if (!v.ok()) return Status::BadGateway(url + ": " + v.status().message());
      out.push_back(std::move(*v));
    }
  }
  return out;
}

}  // namespace registry
