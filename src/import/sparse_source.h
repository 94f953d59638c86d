// Import source: a sparse registry over HTTP (Artifactory, Kellnr, Gitea, a self-hosted
// crates.io, another instance of this registry). A sparse index cannot be listed, so the
// crate names come from a list or from the registry's search API.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "import/import_step.h"
#include "mirror/fetcher.h"

namespace registry {

struct SparseSourceOptions {
  std::string index_url;  // "sparse+https://host/index/" (the prefix is optional)
  std::string token;      // sent as Authorization on every request when not empty
  std::vector<std::string> crate_names;  // empty: every crate the search API lists
};

// config.json, the crate list, then each crate's index file; the versions load their .crate
// from config.json's `dl`. `fetcher` must outlive the returned loaders. A crate the index
// does not have (404) is left out of the list; any other failure stops with its message.
Result<std::vector<SourceVersion>> ListSparseSource(Fetcher* fetcher,
                                                    const SparseSourceOptions& options);

// The names the search API at `api` (config.json's "api") lists: GET
// {api}/api/v1/crates?q=&per_page=100&page=N until a page comes back short (at most 10,000
// pages).
Result<std::vector<std::string>> ListCratesBySearch(Fetcher* fetcher, const std::string& api,
                                                    const std::string& token);

}  // namespace registry
