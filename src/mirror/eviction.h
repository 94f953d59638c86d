// Keeping the mirror's .crate files under --mirror-max-size: least recently used first, and
// never a blob that a private crate uses too (the blob store is content-addressed).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "db/sqlite.h"
#include "storage/blob_store.h"

namespace registry {

struct CachedCrateFile {
  std::string lower_name;
  std::string vers;
  std::string cksum;
  int64_t size = 0;
  int64_t last_used = 0;      // the later of its fetch and its last download
  bool private_blob = false;  // a private version has the same bytes
};

// The files to evict so that the rest weigh at most `max_bytes`: least recently used first
// (ties: name, then version). Files whose blob is private are never chosen and do not count
// against the cap, since their bytes stay stored anyway; nor is the file `keep_name`
// `keep_vers` (the one being served). `max_bytes` 0: no cap, nothing chosen.
std::vector<CachedCrateFile> ChooseEvictions(std::vector<CachedCrateFile> files,
                                             uint64_t max_bytes, const std::string& keep_name = "",
                                             const std::string& keep_vers = "");

struct Evicted {
  int64_t files = 0;
  int64_t bytes = 0;
};

// Reads the mirror's .crate files, chooses as above and evicts each chosen one: its row and
// blob go in one transaction that first checks again that no private version has the blob
// (one that is now private is skipped and not counted). An evicted file is fetched again on
// its next download.
Result<Evicted> EvictOverCap(Database* db, BlobStore* blobs, uint64_t max_bytes,
                             const std::string& keep_name = "", const std::string& keep_vers = "");

}  // namespace registry
