// Registry read paths: sparse-index files, .crate downloads and search.
#include "base/crypto.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

Result<IndexFile> Registry::ReadIndexFile(const Actor& actor, std::string_view lower_name) {
  RETURN_IF_ERROR(actor.RequireRead(lower_name));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT v.index_line, c.updated_at FROM crates c JOIN versions v ON v.crate_id = c.id "
      "WHERE lower(c.name) = ?1 ORDER BY v.id");
  st.Bind(1, lower_name);
  IndexFile file;
  file.last_modified = 0;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    file.body += st.Text(0);
    file.body += '\n';
    file.last_modified = st.Int(1);
  }
  if (file.body.empty()) {
    return Status::NotFound("crate `" + std::string(lower_name) + "` does not exist");
  }
  file.etag = "\"" + Sha256Hex(file.body).substr(0, 32) + "\"";
  return file;
}

Result<std::string> Registry::ReadCrate(const Actor& actor, std::string_view name,
                                        std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  Result<Version> version = ParseVersion(vers);
  if (!version.ok())
    return Status::NotFound("crate `" + std::string(name) + "` has no version `" +
                            std::string(vers) + "`");
  std::string cksum;
  {
    auto db = pool_->Acquire();
    if (!db.ok()) return db.status();
    Result<CrateRow> crate = RequireCrate(db->get(), name);
    if (!crate.ok()) return crate.status();
    Statement st =
        (*db)->Prepare("SELECT cksum FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
    st.Bind(1, crate->id).Bind(2, version->WithoutBuild());
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) {
      return Status::NotFound("crate `" + crate->name + "` has no version `" + std::string(vers) +
                              "`");
    }
    cksum = st.Text(0);
  }
  Result<std::string> bytes = blobs_->Get(cksum);
  if (!bytes.ok() && bytes.status().code() == Code::kNotFound) {
    return Status::Corrupt("the stored file for crate `" + std::string(name) + "` version `" +
                           std::string(vers) + "` is missing from the blob store");
  }
  return bytes;
}

static std::string EscapeLike(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
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
  for (char& c : q) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string like = "%" + EscapeLike(q) + "%";
  std::string prefix = EscapeLike(q) + "%";

  SearchPage result;
  Statement count = (*db)->Prepare(
      "SELECT count(*) FROM crates WHERE (lower(name) LIKE ?1 ESCAPE '\\' "
      "OR lower(coalesce(description, '')) LIKE ?1 ESCAPE '\\') AND " +
      PatternCondition(actor, 2));
  count.Bind(1, like);
  BindPatterns(&count, actor, 2);
  Result<bool> crow = count.Step();
  if (!crow.ok()) return crow.status();
  result.total = count.Int(0);

  Statement st = (*db)->Prepare(
      "SELECT name, max_version, coalesce(description, '') FROM crates "
      "WHERE (lower(name) LIKE ?1 ESCAPE '\\' OR lower(coalesce(description, '')) LIKE ?1 "
      "ESCAPE '\\') AND " +
      PatternCondition(actor, 6) +
      " ORDER BY (lower(name) = ?2) DESC, (lower(name) LIKE ?3 ESCAPE '\\') DESC, "
      "lower(name) LIMIT ?4 OFFSET ?5");
  st.Bind(1, like).Bind(2, q).Bind(3, prefix).Bind(4, int64_t{per_page});
  st.Bind(5, int64_t{per_page} * (page - 1));
  BindPatterns(&st, actor, 6);
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    result.crates.push_back(SearchHit{st.Text(0), st.Text(1), st.Text(2)});
  }
  return result;
}

}  // namespace registry
