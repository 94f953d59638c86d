// Registry read paths: sparse-index files, .crate downloads and search.
#include <cctype>

#include "base/crypto.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

Result<IndexFile> Registry::ReadIndexFile(const Actor& actor, std::string_view lower_name) {
  RETURN_IF_ERROR(actor.RequireRead(lower_name));
  // The stamp is taken before the read, so a write committed meanwhile invalidates it.
  uint64_t stamp = pool_->ChangeStamp();
  std::string key(lower_name);
  if (std::shared_ptr<const IndexFile> hit = index_cache_.Find(key, stamp)) return *hit;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT body, gzip, etag, last_modified FROM index_files WHERE lower_name = ?1");
  st.Bind(1, lower_name);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("crate `" + key + "` does not exist");
  auto file =
      std::make_shared<const IndexFile>(IndexFile{st.Text(0), st.Text(1), st.Text(2), st.Int(3)});
  index_cache_.Put(key, stamp, file, file->body.size() + file->gzip.size() + file->etag.size());
  return *file;
}

Status Registry::BuildMissingIndexFiles() {
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  // Once every crate has its file, publishes keep it so: skip the scan, which read all of a
  // 7 GB database (7 s) at 2,000,000 versions on a cold start.
  Statement done = (*db)->Prepare("SELECT 1 FROM settings WHERE key = 'index_files_built'");
  Result<bool> built = done.Step();
  if (!built.ok()) return built.status();
  if (*built) return Status::Ok();
  auto missing = [&]() -> Result<std::vector<int64_t>> {
    Statement st =
        (*db)->Prepare("SELECT id FROM crates WHERE id NOT IN (SELECT crate_id FROM index_files)");
    std::vector<int64_t> ids;
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) return ids;
      ids.push_back(st.Int(0));
    }
  };
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  Result<std::vector<int64_t>> ids = missing();
  if (!ids.ok()) return ids.status();
  for (int64_t id : *ids) RETURN_IF_ERROR(RefreshIndexFile(db->get(), id));
  Statement mark = (*db)->Prepare(
      "INSERT OR REPLACE INTO settings(key, value) VALUES('index_files_built', '1')");
  RETURN_IF_ERROR(mark.Run());
  return tx.Commit();
}

Result<Registry::BlobRef> Registry::FindCrateBlob(const Actor& actor, std::string_view name,
                                                  std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  Result<Version> version = ParseVersion(vers);
  if (!version.ok())
    return Status::NotFound("crate `" + std::string(name) + "` has no version `" +
                            std::string(vers) + "`");
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  Statement st =
      (*db)->Prepare("SELECT cksum, id FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  st.Bind(1, crate->id).Bind(2, version->WithoutBuild());
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return Status::NotFound("crate `" + crate->name + "` has no version `" + std::string(vers) +
                            "`");
  }
  return BlobRef{st.Text(0), st.Int(1)};
}

void Registry::CountDownload(int64_t version_id) {
  std::lock_guard<std::mutex> lock(downloads_mu_);
  ++pending_downloads_[{version_id, clock_->Now() / 86400}];
}

static Status MissingBlob(std::string_view name, std::string_view vers) {
  return Status::Corrupt("the stored file for crate `" + std::string(name) + "` version `" +
                         std::string(vers) + "` is missing from the blob store");
}

Result<std::string> Registry::ReadCrate(const Actor& actor, std::string_view name,
                                        std::string_view vers) {
  Result<BlobRef> ref = FindCrateBlob(actor, name, vers);
  if (!ref.ok()) return ref.status();
  Result<std::string> bytes = blobs_->Get(ref->cksum);
  if (!bytes.ok() && bytes.status().code() == Code::kNotFound) return MissingBlob(name, vers);
  if (bytes.ok()) CountDownload(ref->version_id);
  return bytes;
}

Result<StoredCrateFile> Registry::OpenCrate(const Actor& actor, std::string_view name,
                                            std::string_view vers) {
  Result<BlobRef> ref = FindCrateBlob(actor, name, vers);
  if (!ref.ok()) return ref.status();
  StoredCrateFile file{blobs_->PathOf(ref->cksum), 0};
  bool verified;
  {
    std::lock_guard<std::mutex> lock(verified_mu_);
    verified = verified_.count(ref->cksum) > 0;
  }
  if (!verified) {
    // Hash the whole file once per process; it is immutable, so later downloads stream it.
    Result<std::string> bytes = blobs_->Get(ref->cksum);
    if (!bytes.ok() && bytes.status().code() == Code::kNotFound) return MissingBlob(name, vers);
    if (!bytes.ok()) return bytes.status();
    file.size = bytes->size();
    std::lock_guard<std::mutex> lock(verified_mu_);
    if (verified_.size() >= kMaxVerified) verified_.clear();
    verified_.emplace(ref->cksum, file.size);
  } else {
    std::lock_guard<std::mutex> lock(verified_mu_);
    file.size = verified_[ref->cksum];
  }
  CountDownload(ref->version_id);
  return file;
}

// The FTS5 query for what a user typed: every run of letters and digits becomes a quoted
// prefix term ("serde js" -> "serde"* "js"*), all required. Punctuation only separates terms,
// so no FTS5 syntax can be injected. Empty when there is no term.
static std::string FtsQuery(std::string_view text) {
  std::string out, term;
  auto flush = [&] {
    if (term.empty()) return;
    if (!out.empty()) out += ' ';
    out += "\"" + term + "\"*";
    term.clear();
  };
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      term += static_cast<char>(std::tolower(u));
    } else {
      flush();
    }
  }
  flush();
  return out;
}

// An SQL condition limiting `crates.canonical` to the actor's crate patterns, binding its
// GLOB patterns from parameter `first` on. Canonical names hold only [a-z0-9_], so no GLOB
// metacharacter but the pattern's own final `*` can occur.
static std::string PatternCondition(const Actor& actor, int first) {
  if (actor.crate_patterns.empty()) return "1";
  std::string cond = "(";
  for (size_t i = 0; i < actor.crate_patterns.size(); ++i) {
    if (i) cond += " OR ";
    cond += "canonical GLOB ?" + std::to_string(first + static_cast<int>(i));
  }
  return cond + ")";
}

static void BindPatterns(Statement* st, const Actor& actor, int first) {
  for (size_t i = 0; i < actor.crate_patterns.size(); ++i) {
    std::string p = actor.crate_patterns[i];
    bool prefix = !p.empty() && p.back() == '*';
    if (prefix) p.pop_back();
    st->Bind(first + static_cast<int>(i), CanonicalCrateName(p) + (prefix ? "*" : ""));
  }
}

Result<SearchPage> Registry::Search(const Actor& actor, std::string_view query, int per_page,
                                    int page) {
  RETURN_IF_ERROR(actor.RequireRead(""));
  if (per_page < 1) per_page = 10;
  if (per_page > 100) per_page = 100;
  if (page < 1) page = 1;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  std::string q(query);
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.back()))) q.pop_back();
  while (!q.empty() && std::isspace(static_cast<unsigned char>(q.front()))) q.erase(0, 1);
  std::string fts = FtsQuery(q);
  SearchPage result;
  if (!q.empty() && fts.empty()) return result;

  // No query: the most recently updated crates. Otherwise full-text matches, ranked: the
  // exact name, then names starting with the query (by name), then the rest by relevance (a
  // match in the name weighs most, then keywords, then the description). One character
  // matches a large share of all crates, and ranking them all costs ~100 ms at 200,000
  // crates: such a query lists the names starting with it instead, off the name index (`?1`
  // is then the upper bound of the name range).
  const bool one_char = CanonicalCrateName(q).size() == 1;
  std::string prefix = CanonicalCrateName(q);
  if (one_char) fts = std::string(1, static_cast<char>(prefix[0] + 1));
  const std::string from = q.empty() ? " FROM crates c WHERE ?1 = '' AND "
                           : one_char
                               ? " FROM crates c WHERE c.canonical >= ?2 AND c.canonical < ?1 AND "
                               : " FROM crates_fts JOIN crates c ON c.id = crates_fts.rowid "
                                 "WHERE crates_fts MATCH ?1 AND ";
  Statement count = (*db)->Prepare("SELECT count(*)" + from + PatternCondition(actor, 3));
  count.Bind(1, fts);
  if (one_char) count.Bind(2, prefix);
  BindPatterns(&count, actor, 3);
  Result<bool> crow = count.Step();
  if (!crow.ok()) return crow.status();
  result.total = count.Int(0);

  const std::string order =
      q.empty()  ? " ORDER BY c.updated_at DESC, c.id DESC"
      : one_char ? " ORDER BY c.canonical"
                 : " ORDER BY c.canonical = ?2 DESC, substr(c.canonical, 1, length(?2)) = ?2 DESC, "
                   "CASE WHEN substr(c.canonical, 1, length(?2)) = ?2 THEN c.canonical END, "
                   "bm25(crates_fts, 10.0, 1.0, 3.0), c.canonical";
  Statement st = (*db)->Prepare(
      "SELECT c.name, c.max_version, coalesce(c.description, ''), c.updated_at, c.downloads" +
      from + PatternCondition(actor, 5) + order + " LIMIT ?3 OFFSET ?4");
  st.Bind(1, fts).Bind(2, CanonicalCrateName(q)).Bind(3, int64_t{per_page});
  st.Bind(4, int64_t{per_page} * (page - 1));
  BindPatterns(&st, actor, 5);
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    result.crates.push_back(SearchHit{st.Text(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4)});
  }
  return result;
}

}  // namespace registry
