// Schema migrations, applied in order; PRAGMA user_version records how many have run.
#include "db/schema.h"

#include <string>

namespace registry {

// Append only: never edit a migration that has shipped.
static const char* const kMigrations[] = {
    // 1: users, tokens, crates, versions, owners.
    R"sql(
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL DEFAULT '',
  is_admin INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE TABLE tokens (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  name TEXT NOT NULL DEFAULT '',
  hash TEXT NOT NULL UNIQUE,       -- SHA-256 of the secret; the secret itself is never stored
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE crates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,              -- as first published
  canonical TEXT NOT NULL UNIQUE,  -- lower-case, '-' as '_': one crate per canonical name
  description TEXT,
  max_version TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE versions (
  id INTEGER PRIMARY KEY,
  crate_id INTEGER NOT NULL REFERENCES crates(id),
  vers TEXT NOT NULL,
  vers_key TEXT NOT NULL,          -- the version without build metadata
  cksum TEXT NOT NULL,             -- SHA-256 of the .crate, the blob's address
  size INTEGER NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0,
  index_line TEXT NOT NULL,        -- this version's sparse-index line, kept current
  metadata TEXT NOT NULL,          -- the publish JSON as received
  published_by INTEGER REFERENCES users(id),
  published_at INTEGER NOT NULL,
  downloads INTEGER NOT NULL DEFAULT 0,
  UNIQUE (crate_id, vers_key)
);
CREATE TABLE owners (
  crate_id INTEGER NOT NULL REFERENCES crates(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (crate_id, user_id)
);
CREATE INDEX versions_by_cksum ON versions(cksum);
CREATE INDEX crates_by_lower_name ON crates(lower(name));
)sql",
    // 2: access control: passwords, disabled users, token scopes/patterns/expiry, web
    // sessions, shared settings (the CSRF key) and the append-only audit log.
    R"sql(
ALTER TABLE users ADD COLUMN password_hash TEXT;  -- scrypt; NULL: no web sign-in
ALTER TABLE users ADD COLUMN disabled_at INTEGER; -- NULL: enabled
-- Tokens made before scopes existed keep the rights they had.
ALTER TABLE tokens ADD COLUMN scopes TEXT NOT NULL
  DEFAULT 'read publish-new publish-update yank change-owners';
ALTER TABLE tokens ADD COLUMN crate_patterns TEXT NOT NULL DEFAULT '';  -- space-separated
ALTER TABLE tokens ADD COLUMN expires_at INTEGER;  -- NULL: never
CREATE INDEX tokens_by_user ON tokens(user_id);
CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  hash TEXT NOT NULL UNIQUE,       -- SHA-256 of the cookie secret
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  address TEXT NOT NULL DEFAULT ''
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  actor_id INTEGER,
  token_id INTEGER,
  address TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql",
    // 3: the web UI: rendered READMEs, downloads per day, full-text search over crates.
    R"sql(
ALTER TABLE versions ADD COLUMN readme_html BLOB;  -- zstd of the sanitized HTML; NULL: none
CREATE TABLE version_downloads (
  version_id INTEGER NOT NULL REFERENCES versions(id),
  day INTEGER NOT NULL,            -- days since 1970-01-01, UTC
  count INTEGER NOT NULL,
  PRIMARY KEY (version_id, day)
) WITHOUT ROWID;
-- rowid = crates.id. `-` and `_` separate tokens, so "json" finds serde_json.
CREATE VIRTUAL TABLE crates_fts USING fts5(name, description, keywords);
INSERT INTO crates_fts(rowid, name, description, keywords)
  SELECT c.id, c.name, coalesce(c.description, ''),
         coalesce((SELECT group_concat(k.value, ' ')
                   FROM versions v, json_each(v.metadata, '$.keywords') k
                   WHERE v.crate_id = c.id AND v.vers = c.max_version), '')
  FROM crates c;
CREATE INDEX crates_by_update ON crates(updated_at);
)sql",
    // 4: every crate's sparse-index file, built when its versions change (in the same
    // transaction) and stored with its gzip form and ETag, so reads build nothing. Rows for
    // crates published before this migration are built at start (App::Open).
    R"sql(
CREATE TABLE index_files (
  crate_id INTEGER PRIMARY KEY REFERENCES crates(id),
  lower_name TEXT NOT NULL UNIQUE,
  body BLOB NOT NULL,
  gzip BLOB NOT NULL,
  etag TEXT NOT NULL,
  last_modified INTEGER NOT NULL
);
)sql",
    // 5: the crates.io mirror: upstream index files kept whole with their validators, the
    // .crate files fetched through it (their bytes are blobs), and the names an admin let it
    // serve although they are private crates' names.
    R"sql(
CREATE TABLE mirror_index_files (
  lower_name TEXT PRIMARY KEY,
  body BLOB,                       -- upstream's bytes verbatim; NULL: upstream said no such crate
  gzip BLOB,
  etag TEXT NOT NULL DEFAULT '',   -- ours, sent to cargo: a hash of body
  upstream_etag TEXT NOT NULL DEFAULT '',
  upstream_last_modified TEXT NOT NULL DEFAULT '',
  fetched_at INTEGER NOT NULL,     -- when body was last stored
  checked_at INTEGER NOT NULL      -- when upstream last confirmed it
);
CREATE TABLE mirror_crates (
  lower_name TEXT NOT NULL,
  vers TEXT NOT NULL,
  cksum TEXT NOT NULL,             -- the blob's address, checked against the index
  size INTEGER NOT NULL,
  fetched_at INTEGER NOT NULL,
  PRIMARY KEY (lower_name, vers)
);
CREATE INDEX mirror_crates_by_cksum ON mirror_crates(cksum);
CREATE TABLE mirror_allowed (
  canonical TEXT PRIMARY KEY,
  added_at INTEGER NOT NULL
);
)sql",
    // 6: when each mirror .crate file was last downloaded (gathered in memory, written every
    // 30 s), so --mirror-max-size evicts the least recently used first.
    R"sql(
ALTER TABLE mirror_crates ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
)sql",
    // 7: per-crate overrides of the publish limits, by canonical name, so they can be set
    // before a crate's first publish (winapi's 399 features).
    R"sql(
CREATE TABLE crate_limits (
  canonical TEXT PRIMARY KEY,
  max_features INTEGER,            -- NULL: the server's --max-features
  max_size INTEGER,                -- bytes of the .crate; NULL: the server's --max-crate-size
  updated_at INTEGER NOT NULL
);
)sql",
    // 8: the crate page: each version's targets (a library to depend on, binaries for `cargo
    // install`), and its dependencies on crates of this registry, indexed by the crate
    // depended on (its dependents). The targets of versions published before stay NULL (not
    // known) unless App::Open finds them in the stored .crate (Registry::BackfillTargets).
    R"sql(
ALTER TABLE versions ADD COLUMN bin_names TEXT;  -- JSON array of names; NULL: not known
ALTER TABLE versions ADD COLUMN has_lib INTEGER; -- 0 or 1; NULL: not known
CREATE TABLE dependencies (
  version_id INTEGER NOT NULL REFERENCES versions(id),
  crate_canonical TEXT NOT NULL,   -- the canonical name of the crate depended on
  req TEXT NOT NULL,
  kind TEXT NOT NULL,              -- normal, build, dev
  optional INTEGER NOT NULL
);
CREATE INDEX dependencies_by_crate ON dependencies(crate_canonical, version_id);
INSERT INTO dependencies(version_id, crate_canonical, req, kind, optional)
  SELECT v.id, lower(replace(json_extract(d.value, '$.name'), '-', '_')),
         coalesce(json_extract(d.value, '$.version_req'), ''),
         coalesce(json_extract(d.value, '$.kind'), 'normal'),
         coalesce(json_extract(d.value, '$.optional'), 0) != 0
  FROM versions v,
       json_each(CASE WHEN json_valid(v.metadata) THEN v.metadata ELSE '{}' END, '$.deps') d
  WHERE json_type(d.value, '$.name') = 'text' AND json_extract(d.value, '$.registry') IS NULL;
)sql",
    // 9: hosted docs, the `cargo doc` output uploaded for a version. Each file's bytes are a
    // blob (blobs/, keyed by the SHA-256 of the stored form, gzip when that pays), so a file
    // that recurs across versions is stored once. Full tokens gain the new docs scope.
    R"sql(
CREATE TABLE doc_sets (
  version_id INTEGER PRIMARY KEY REFERENCES versions(id),
  root TEXT NOT NULL,              -- the crate's own directory: NAME/index.html
  files INTEGER NOT NULL,
  bytes INTEGER NOT NULL,          -- unpacked
  uploaded_at INTEGER NOT NULL,
  uploaded_by INTEGER REFERENCES users(id)
);
CREATE TABLE doc_files (
  version_id INTEGER NOT NULL REFERENCES doc_sets(version_id),
  path TEXT NOT NULL,              -- relative to the version's docs: "serde/index.html"
  blob TEXT NOT NULL,              -- SHA-256 of the stored bytes
  size INTEGER NOT NULL,           -- unpacked
  gzip INTEGER NOT NULL,           -- 1: the blob is gzip (served as is to who accepts it)
  PRIMARY KEY (version_id, path)
) WITHOUT ROWID;
CREATE INDEX doc_files_by_blob ON doc_files(blob);
UPDATE tokens SET scopes = scopes || ' docs'
  WHERE scopes = 'read publish-new publish-update yank change-owners';
)sql",
};

int LatestSchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

static Result<int> CurrentVersion(Database* db) {
  Statement st = db->Prepare("PRAGMA user_version");
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  return static_cast<int>(st.Int(0));
}

Status Migrate(Database* db) { return MigrateTo(db, LatestSchemaVersion()); }

Status MigrateTo(Database* db, int target) {
  Result<int> current = CurrentVersion(db);
  if (!current.ok()) return current.status();
  if (*current > LatestSchemaVersion()) {
    return Status::Invalid("the database has schema version " + std::to_string(*current) +
                           ", newer than this registry binary knows (" +
                           std::to_string(LatestSchemaVersion()) +
                           "); run a newer registry binary");
  }
  for (int v = *current; v < target && v < LatestSchemaVersion(); ++v) {
    Transaction tx(db);
    RETURN_IF_ERROR(tx.status());
    // Re-read inside the write lock: another process may have migrated meanwhile.
    Result<int> now = CurrentVersion(db);
    if (!now.ok()) return now.status();
    if (*now > v) continue;
    RETURN_IF_ERROR(db->Exec(kMigrations[v]));
    RETURN_IF_ERROR(db->Exec("PRAGMA user_version = " + std::to_string(v + 1)));
    RETURN_IF_ERROR(tx.Commit());
  }
  return Status::Ok();
}

}  // namespace registry
