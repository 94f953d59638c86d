// The registry's operations on crates: publish, yank, owners, search, index and downloads.
// Knows nothing of HTTP; the HTTP layer, the CLI and tests all call it alike.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "auth/actor.h"
#include "base/clock.h"
#include "base/status.h"
#include "db/sqlite.h"
#include "db/stamped_cache.h"
#include "docs/docs_archive.h"
#include "storage/blob_store.h"

namespace registry {

struct RegistryOptions {
  uint64_t max_crate_size = 10ull << 20;  // a crate's own limit (SetCrateLimits) overrides it
  size_t max_features = 300;              // likewise
  uint64_t max_json_size = 1ull << 20;
  uint64_t max_unpacked_size = 512ull << 20;
  // Index files kept in memory (body and gzip form), until a write to the database.
  size_t index_cache_bytes = 16u << 20;
};

// A crate's overrides of the server-wide publish limits; empty: the server's.
struct CrateLimits {
  std::optional<int64_t> max_features;
  std::optional<uint64_t> max_size;  // bytes of the .crate
};

// One version brought in from another registry, ready to store (src/import/ prepares it).
struct ImportedVersion {
  std::string crate;          // the exact .crate bytes
  std::string index_line;     // the line to serve: one JSON object with name, vers and cksum
  std::string metadata_json;  // the publish JSON it stands for (description, keywords, ...)
  std::optional<std::string> readme;  // Markdown, rendered and stored like a publish's
  std::optional<std::string> description;
  std::string owner;          // login of the owner a new crate gets
  int64_t published_at = 0;   // Unix seconds; 0: now
  std::string source;         // where it came from, for the audit log
  bool dry_run = false;       // every check, no write
};

enum class ImportOutcome { kImported, kAlreadyPresent };

struct Published {
  std::string name;
  std::string vers;
  std::string cksum;
};

struct IndexFile {
  std::string body;       // one JSON line per version, each ending in '\n'
  std::string gzip;       // body, gzip-compressed ahead of time
  std::string etag;       // strong: quoted hash of body
  int64_t last_modified;  // Unix seconds
};
// Index files are shared with the in-memory cache: a read copies a pointer, not the bytes.
using IndexFileRef = std::shared_ptr<const IndexFile>;

struct Owner {
  int64_t id;
  std::string login;
  std::string name;
};

struct SearchHit {
  std::string name;
  std::string max_version;
  std::string description;
  int64_t updated_at = 0;
  int64_t downloads = 0;
};

struct StoredCrateFile {
  std::string path;
  uint64_t size = 0;
};

struct DependencyDetails {
  std::string name;  // the real crate name
  std::string req;
  std::string kind;  // normal, build, dev
  bool optional = false;
  bool default_features = true;
  std::vector<std::string> features;  // enabled beyond the defaults
  std::optional<std::string> target;
  std::optional<std::string> alias;     // the name used in Cargo.toml when renamed
  std::optional<std::string> registry;  // another registry's index URL
};

struct VersionDetails {
  std::string num;
  bool yanked = false;
  int64_t published_at = 0;
  std::string published_by;  // login
  int64_t downloads = 0;
  int64_t size = 0;
  std::optional<std::string> license;
  std::optional<std::string> rust_version;
  std::map<std::string, std::vector<std::string>> features;
  std::vector<DependencyDetails> deps;
  // The binary targets, which `cargo install` builds, and whether there is a library to
  // depend on; nullopt: not known (published before they were recorded).
  std::optional<std::vector<std::string>> bin_names;
  std::optional<bool> has_lib;
  // Hosted docs uploaded for this version: the path of its crate's own page below
  // /docs/NAME/VERSION/ ("serde/index.html"), or "" when none.
  std::string docs_page;
};

struct DayCount {
  int64_t day = 0;  // days since 1970-01-01, UTC
  int64_t downloads = 0;
};

// Everything the web UI's crate page shows, read in one call.
struct CrateDetails {
  std::string name;
  std::optional<std::string> description;
  std::string max_version;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  int64_t downloads = 0;
  std::vector<Owner> owners;
  // Of the selected version:
  std::string version;
  std::optional<std::string> license, repository, homepage, documentation;
  std::vector<std::string> keywords, categories;
  std::optional<std::string> readme_html;  // sanitized at publish time
  std::vector<VersionDetails> versions;    // newest first
  std::vector<DayCount> downloads_by_day;  // the last 90 days, oldest first, zero days omitted
};

// How a dependent's newest version depends on a crate (one entry per dependency line).
struct DependencyUse {
  std::string req;
  std::string kind;  // normal, build, dev
  bool optional = false;
};

// A crate whose newest non-yanked version depends on the crate asked about.
struct Dependent {
  std::string name;
  std::string version;  // its max_version, the one that depends
  std::string description;
  int64_t downloads = 0;
  std::vector<DependencyUse> uses;
};

struct DependentsPage {
  std::vector<Dependent> dependents;
  int64_t total = 0;
};
// The administrators' dashboard: what the registry holds and how much it is used.
struct RegistryStats {
  int64_t crates = 0;
  int64_t versions = 0;
  int64_t yanked_versions = 0;
  int64_t users = 0;
  int64_t downloads = 0;                   // of every version, ever
  int64_t crate_bytes = 0;                 // the stored .crate files of private crates
  int64_t database_bytes = 0;              // the SQLite database's pages
  std::vector<DayCount> downloads_by_day;  // the last `days` days, oldest first, zeros omitted
};

// The orders a search can list its hits in; the names are crates.io's `sort` values.
// A version's docs as stored by UploadDocs.
struct DocsUpload {
  std::string name;
  std::string vers;
  std::string page;         // the crate's own page: "serde/index.html"
  int64_t files = 0;
  uint64_t bytes = 0;       // unpacked
  int64_t new_blobs = 0;    // files not already stored for some other version
  uint64_t new_blob_bytes = 0;
  bool replaced = false;    // the version had docs before
};

// One stored docs file, to be streamed from disk.
struct DocsFile {
  std::string path;       // of the blob on disk
  std::string blob;       // SHA-256 of the stored bytes: a strong ETag
  uint64_t stored_size = 0;
  uint64_t size = 0;      // unpacked
  bool gzip = false;      // the blob is gzip-compressed
  // The stored bytes themselves, checked against `blob`, for a file of at most
  // kDocsFileInMemoryBytes stored (most of a docs page's: pages, scripts, styles, search
  // data); null for larger ones, which are read from `path`.
  std::shared_ptr<const std::string> bytes;
};
constexpr uint64_t kDocsFileInMemoryBytes = 32 << 10;

// Which version's docs a /docs/NAME/VERSION/ address shows.
struct DocsVersion {
  std::string name;  // as published
  std::string vers;
  std::string page;  // the crate's own page below it
};

enum class SearchSort { kRelevance, kRecentUpdates, kDownloads, kAlpha };
// "relevance", "recent-updates", "downloads", "alpha" ("" is relevance); Invalid otherwise.
Result<SearchSort> ParseSearchSort(std::string_view text);

struct SearchPage {
  std::vector<SearchHit> crates;
  int64_t total = 0;
};

// Thread-safe: each call borrows its own database connection; writes are serialized by
// SQLite transactions (BEGIN IMMEDIATE). Pointers must outlive the Registry.
class Registry {
 public:
  // `doc_blobs` holds the hosted docs' files (null: docs cannot be uploaded).
  Registry(DatabasePool* pool, BlobStore* blobs, const Clock* clock, RegistryOptions options,
           BlobStore* doc_blobs = nullptr)
      : pool_(pool),
        blobs_(blobs),
        doc_blobs_(doc_blobs),
        clock_(clock),
        options_(options),
        index_cache_(options.index_cache_bytes) {}

  // Every operation first checks the actor's scope and crate patterns (Forbidden, naming what
  // is missing), then ownership where it applies. State changes are audited in the same
  // transaction.

  // ParsePublishBody -> Validate -> CheckTarball -> Authorize -> StoreBlob -> CommitVersion.
  // A new crate needs the publish-new scope, a new version publish-update. The first
  // publisher of a crate becomes its owner; later versions need ownership.
  Result<Published> Publish(const Actor& actor, std::string_view body);

  // Sets crate `name`'s own limits (it need not exist yet, so a large crate's first publish
  // can pass). Administrators and the command line only; audited. Empty fields: the server's.
  Status SetCrateLimits(const Actor& actor, std::string_view name, const CrateLimits& limits);
  Result<CrateLimits> GetCrateLimits(std::string_view name);
  // The largest .crate any publish may send: the server's limit or a bigger override. The
  // HTTP layer bounds a publish body by it before the crate's name is known.
  Result<uint64_t> LargestCrateSize();

  // Stores a version from another registry as it was there: its index line verbatim (yanked
  // flag, pubtime, unknown fields), its bytes checked against the line's cksum (Corrupt on a
  // mismatch) and by CheckTarball, but not held to the feature, size or reserved-name limits
  // the source accepted. The same version already here with the same checksum is
  // kAlreadyPresent; with another, Conflict (never overwritten). Administrators and the
  // command line only; audited as "import".
  Result<ImportOutcome> ImportVersion(const Actor& actor, const ImportedVersion& version);
  // ImportVersion for many versions at once: their blobs synced together, then one
  // transaction, so an import is not bound by a disk flush per version. One result per
  // version, in order; a version refused does not stop the others.
  std::vector<Result<ImportOutcome>> ImportVersions(const Actor& actor,
                                                    const std::vector<ImportedVersion>& versions);
  // The checksum of version `vers` (build metadata ignored) of the crate named `name` (in
  // canonical form), or nullopt when there is none.
  Result<std::optional<std::string>> VersionChecksum(std::string_view name, std::string_view vers);

  // Needs the yank scope and ownership (or an administrator).
  Status SetYanked(const Actor& actor, std::string_view name, std::string_view vers, bool yanked);

  Result<std::vector<Owner>> ListOwners(const Actor& actor, std::string_view name);
  // Need the change-owners scope and ownership (or an administrator). Return the message
  // cargo prints.
  Result<std::string> AddOwners(const Actor& actor, std::string_view name,
                                const std::vector<std::string>& logins);
  Result<std::string> RemoveOwners(const Actor& actor, std::string_view name,
                                   const std::vector<std::string>& logins);

  // The crates the actor may read whose name, keywords or description hold a word starting
  // with each word of `query` (case-insensitive): the exact name first, then names starting
  // with the query (by name), then the rest by relevance, then name. An empty query lists the
  // most recently updated crates; a one-character one, the names starting with it.
  // `per_page` over 100 counts as 100 and below 1 as the default, 10; `page` counts from 1
  // (below 1 means 1). Another `sort` than relevance lists the same hits most recently
  // updated first, most downloaded first, or by name.
  Result<SearchPage> Search(const Actor& actor, std::string_view query, int per_page, int page,
                            SearchSort sort = SearchSort::kRelevance);

  // The dashboard's figures, with downloads per day over the last `days` (1..366) days.
  // Administrators only (Forbidden otherwise). Counts not yet flushed are included.
  Result<RegistryStats> Stats(const Actor& actor, int days);

  // Builds the stored index files of crates that have none (published before they were
  // stored). App::Open calls it.
  Status BuildMissingIndexFiles();

  // The sparse-index file for the crate whose lower-cased name is `lower_name`: stored bytes,
  // built when the crate last changed, and kept in memory until the next database write.
  Result<IndexFileRef> ReadIndexFile(const Actor& actor, std::string_view lower_name);

  // The .crate bytes, verified against their checksum. Counts a download (kept in memory
  // until FlushDownloads, so a download costs no database write).
  Result<std::string> ReadCrate(const Actor& actor, std::string_view name, std::string_view vers);

  // The .crate's file, to be streamed from disk. Its checksum is verified the first time this
  // process serves it (the file is immutable; `registry check` re-verifies every blob, and
  // cargo checks the checksum of what it downloads). Counts a download.
  Result<StoredCrateFile> OpenCrate(const Actor& actor, std::string_view name,
                                    std::string_view vers);

  // The crate page: `vers` selects the version whose README and metadata are shown (empty:
  // the max_version). Counts not yet flushed are included.
  Result<CrateDetails> Details(const Actor& actor, std::string_view name, std::string_view vers);

  // The crates of this registry the actor may read whose newest non-yanked version depends on
  // crate `name` (itself excepted), most downloaded first, then by name. Paged as Search:
  // `per_page` within 1..100 (default 10), `page` from 1.
  Result<DependentsPage> Dependents(const Actor& actor, std::string_view name, int per_page,
                                    int page);

  // Records the targets (library, binaries) of each crate's newest version published before
  // they were recorded, read from its stored .crate (one file per crate, once: a settings row
  // marks it done). Older versions stay unknown. App::Open calls it.
  Status BackfillTargets();

  // Writes the download counts gathered since the last flush, in one transaction.
  Status FlushDownloads();

  // Hosted docs (docs.cpp). Uploads need the docs scope and ownership (or an administrator);
  // the version must exist, yanked or not. The archive is checked whole first
  // (CheckDocsArchive: nothing is written for a refused one), then each distinct file is
  // stored once; the version's previous docs are replaced in one transaction (audited), and
  // files no version uses any more are removed.
  Result<DocsUpload> UploadDocs(const Actor& actor, std::string_view name, std::string_view vers,
                                std::string_view archive, const DocsLimits& limits);
  // Removes a version's docs (NotFound when it has none). As UploadDocs for who may.
  Status DeleteDocs(const Actor& actor, std::string_view name, std::string_view vers);
  // The version whose docs /docs/NAME/VERS/ shows; `vers` "latest" is the newest non-yanked
  // version with docs (else the newest with docs). NotFound when there are none.
  Result<DocsVersion> FindDocs(const Actor& actor, std::string_view name, std::string_view vers);
  // File `path` of a version's docs. NotFound when absent.
  Result<DocsFile> ReadDocsFile(const Actor& actor, std::string_view name, std::string_view vers,
                                std::string_view path);

 private:
  DatabasePool* pool_;
  BlobStore* blobs_;
  BlobStore* doc_blobs_;
  const Clock* clock_;
  RegistryOptions options_;
  struct BlobRef {
    std::string cksum;
    int64_t version_id;
  };
  Result<BlobRef> FindCrateBlob(const Actor& actor, std::string_view name, std::string_view vers);
  void CountDownload(int64_t version_id);

  StampedCache<IndexFile> index_cache_;             // by lower-cased name
  StampedCache<BlobRef> blob_ref_cache_{2u << 20};  // by "canonical-name version-key"
  StampedCache<DocsFile> docs_file_cache_{8u << 20};  // by "name version path" as asked for
  static constexpr size_t kMaxVerified = 1 << 20;
  std::mutex verified_mu_;
  std::unordered_map<std::string, uint64_t> verified_;  // cksum -> size; guarded by verified_mu_
  std::mutex downloads_mu_;
  // (version id, day) -> downloads not yet written; guarded by downloads_mu_.
  std::map<std::pair<int64_t, int64_t>, int64_t> pending_downloads_;
  // Held by docs uploads and deletes: a file one removes as unused cannot be one another is
  // about to refer to.
  std::mutex docs_mu_;
};

}  // namespace registry
