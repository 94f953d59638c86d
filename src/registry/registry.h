// The registry's operations on crates: publish, yank, owners, search, index and downloads.
// Knows nothing of HTTP; the HTTP layer, the CLI and tests all call it alike.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"
#include "storage/blob_store.h"

namespace registry {

struct RegistryOptions {
  uint64_t max_crate_size = 10ull << 20;
  uint64_t max_json_size = 1ull << 20;
  uint64_t max_unpacked_size = 512ull << 20;
};

struct Published {
  std::string name;
  std::string vers;
  std::string cksum;
};

struct IndexFile {
  std::string body;       // one JSON line per version, each ending in '\n'
  std::string etag;       // strong: quoted hash of body
  int64_t last_modified;  // Unix seconds
};

struct Owner {
  int64_t id;
  std::string login;
  std::string name;
};

struct SearchHit {
  std::string name;
  std::string max_version;
  std::string description;
};

struct SearchPage {
  std::vector<SearchHit> crates;
  int64_t total = 0;
};

// Thread-safe: each call borrows its own database connection; writes are serialized by
// SQLite transactions (BEGIN IMMEDIATE). Pointers must outlive the Registry.
class Registry {
 public:
  Registry(DatabasePool* pool, BlobStore* blobs, const Clock* clock, RegistryOptions options)
      : pool_(pool), blobs_(blobs), clock_(clock), options_(options) {}

  // Every operation first checks the actor's scope and crate patterns (Forbidden, naming what
  // is missing), then ownership where it applies. State changes are audited in the same
  // transaction.

  // ParsePublishBody -> Validate -> CheckTarball -> Authorize -> StoreBlob -> CommitVersion.
  // A new crate needs the publish-new scope, a new version publish-update. The first
  // publisher of a crate becomes its owner; later versions need ownership.
  Result<Published> Publish(const Actor& actor, std::string_view body);

  // Needs the yank scope and ownership (or an administrator).
  Status SetYanked(const Actor& actor, std::string_view name, std::string_view vers, bool yanked);

  Result<std::vector<Owner>> ListOwners(const Actor& actor, std::string_view name);
  // Need the change-owners scope and ownership (or an administrator). Return the message
  // cargo prints.
  Result<std::string> AddOwners(const Actor& actor, std::string_view name,
                                const std::vector<std::string>& logins);
  Result<std::string> RemoveOwners(const Actor& actor, std::string_view name,
                                   const std::vector<std::string>& logins);

  // Names and descriptions containing `query` (case-insensitive), among the crates the actor
  // may read; an exact name first, then names starting with it, then the rest by name.
  // `per_page` over 100 counts as 100 and below 1 as the default, 10; `page` counts from 1
  // (below 1 means 1).
  Result<SearchPage> Search(const Actor& actor, std::string_view query, int per_page, int page);

  // The sparse-index file for the crate whose lower-cased name is `lower_name`.
  Result<IndexFile> ReadIndexFile(const Actor& actor, std::string_view lower_name);

  // The .crate bytes, verified against their checksum.
  Result<std::string> ReadCrate(const Actor& actor, std::string_view name, std::string_view vers);

 private:
  DatabasePool* pool_;
  BlobStore* blobs_;
  const Clock* clock_;
  RegistryOptions options_;
};

}  // namespace registry
