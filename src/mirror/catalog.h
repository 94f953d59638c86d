// What the web UI shows of the crates.io mirror: the crates it has cached, read from the
// database alone (never from upstream).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "db/sqlite.h"

namespace registry {

struct CachedVersion {
  std::string num;
  bool yanked = false;
  bool cached = false;  // its .crate file is stored here
  int64_t size = 0;     // of the .crate, when cached
};

struct CachedCrate {
  std::string name;            // as the index file spells it (lower case when unknown)
  std::string max_version;     // the newest cached .crate's version
  int64_t versions_cached = 0;
  int64_t bytes = 0;
  std::vector<CachedVersion> versions;  // ReadCachedCrate only: every version of the index file
};

// Crates with a cached .crate whose name contains `query` (case-insensitive; "" for all), by
// name, at most `limit`.
Result<std::vector<CachedCrate>> SearchCachedCrates(Database* db, std::string_view query,
                                                    int limit);

// One crate's cached index file, each version marked cached or not, newest first. NotFound
// when no index file of it is cached.
Result<CachedCrate> ReadCachedCrate(Database* db, std::string_view lower_name);

}  // namespace registry
