// Shared crate/owner lookups for the registry operations.
#include "registry/crate_rows.h"

#include "base/crypto.h"
#include "storage/gzip_codec.h"

#include <vector>

#include "crate/name.h"
#include "crate/semver.h"

namespace registry {

Result<std::optional<CrateRow>> FindCrateByCanonicalName(Database* db, std::string_view name) {
  Statement st = db->Prepare("SELECT id, name FROM crates WHERE canonical = ?1");
  st.Bind(1, CanonicalCrateName(name));
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<CrateRow>();
  return std::optional<CrateRow>(CrateRow{st.Int(0), st.Text(1)});
}

Result<CrateRow> RequireCrate(Database* db, std::string_view name) {
  auto found = FindCrateByCanonicalName(db, name);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("crate `" + std::string(name) + "` does not exist");
  return **found;
}

Result<bool> IsOwner(Database* db, int64_t crate_id, int64_t user_id) {
  Statement st = db->Prepare("SELECT 1 FROM owners WHERE crate_id = ?1 AND user_id = ?2");
  st.Bind(1, crate_id).Bind(2, user_id);
  return st.Step();
}

Status RequireOwner(Database* db, const CrateRow& crate, const Actor& actor, std::string_view what,
                    bool admin_may) {
  const User& user = actor.user;
  // The operator at the command line may do what administrators may.
  if (admin_may && (actor.FromCli() || (user.is_admin && !user.disabled))) return Status::Ok();
  Result<bool> owner = IsOwner(db, crate.id, user.id);
  if (!owner.ok()) return owner.status();
  if (!*owner) {
    return Status::Forbidden("user `" + user.login + "` is not an owner of crate `" + crate.name +
                             "` and may not " + std::string(what));
  }
  return Status::Ok();
}

Status RefreshIndexFile(Database* db, int64_t crate_id) {
  Statement st = db->Prepare(
      "SELECT v.index_line, c.updated_at, lower(c.name) FROM crates c "
      "JOIN versions v ON v.crate_id = c.id WHERE c.id = ?1 ORDER BY v.id");
  st.Bind(1, crate_id);
  std::string body, lower_name;
  int64_t last_modified = 0;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    body += st.Text(0);
    body += '\n';
    last_modified = st.Int(1);
    lower_name = st.Text(2);
  }
  if (body.empty()) return Status::Ok();
  Statement put = db->Prepare(
      "INSERT OR REPLACE INTO index_files(crate_id, lower_name, body, gzip, etag, last_modified) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
  put.Bind(1, crate_id).Bind(2, lower_name).BindBlob(3, body).BindBlob(4, GzipCompress(body));
  put.Bind(5, "\"" + Sha256Hex(body).substr(0, 32) + "\"").Bind(6, last_modified);
  return put.Run();
}

Status RefreshSearchIndex(Database* db, int64_t crate_id) {
  Statement del = db->Prepare("DELETE FROM crates_fts WHERE rowid = ?1");
  del.Bind(1, crate_id);
  RETURN_IF_ERROR(del.Run());
  Statement ins = db->Prepare(
      "INSERT INTO crates_fts(rowid, name, description, keywords) "
      "SELECT c.id, c.name, coalesce(c.description, ''), "
      "coalesce((SELECT group_concat(k.value, ' ') FROM versions v, "
      "json_each(v.metadata, '$.keywords') k WHERE v.crate_id = c.id AND v.vers = c.max_version), "
      "'') FROM crates c WHERE c.id = ?1");
  ins.Bind(1, crate_id);
  return ins.Run();
}

Status RefreshCrateSummary(Database* db, int64_t crate_id, int64_t now) {
  Statement st = db->Prepare("SELECT vers, yanked FROM versions WHERE crate_id = ?1");
  st.Bind(1, crate_id);
  std::optional<Version> best_live, best_any;
  std::string best_live_text, best_any_text;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string text = st.Text(0);
    Result<Version> v = ParseVersion(text);
    if (!v.ok()) continue;
    if (!best_any || CompareVersions(*v, *best_any) > 0) best_any = *v, best_any_text = text;
    if (st.Int(1) == 0 && (!best_live || CompareVersions(*v, *best_live) > 0)) {
      best_live = *v, best_live_text = text;
    }
  }
  Statement up = db->Prepare("UPDATE crates SET max_version = ?1, updated_at = ?2 WHERE id = ?3");
  up.Bind(1, best_live ? best_live_text : best_any_text).Bind(2, now).Bind(3, crate_id);
  return up.Run();
}

// The same selection as migration 8's, which filled the table for older versions.
Status RecordDependencies(Database* db, int64_t version_id) {
  Statement st = db->Prepare(
      "INSERT INTO dependencies(version_id, crate_canonical, req, kind, optional) "
      "SELECT v.id, lower(replace(json_extract(d.value, '$.name'), '-', '_')), "
      "coalesce(json_extract(d.value, '$.version_req'), ''), "
      "coalesce(json_extract(d.value, '$.kind'), 'normal'), "
      "coalesce(json_extract(d.value, '$.optional'), 0) != 0 "
      "FROM versions v, "
      "json_each(CASE WHEN json_valid(v.metadata) THEN v.metadata ELSE '{}' END, '$.deps') d "
      "WHERE v.id = ?1 AND json_type(d.value, '$.name') = 'text' "
      "AND json_extract(d.value, '$.registry') IS NULL");
  st.Bind(1, version_id);
  return st.Run();
}

void BindTargets(Statement* st, int first, const std::optional<CrateTargets>& targets) {
  if (!targets) {
    st->BindNull(first);
    st->BindNull(first + 1);
    return;
  }
  st->Bind(first, BinNamesJson(targets->bins));
  st->Bind(first + 1, int64_t{targets->lib});
}

// Canonical names hold only [a-z0-9_], so no GLOB metacharacter but the pattern's own final
// `*` can occur (as in Search).
std::string CratePatternCondition(const Actor& actor, int first) {
  if (actor.crate_patterns.empty()) return "1";
  std::string cond = "(";
  for (size_t i = 0; i < actor.crate_patterns.size(); ++i) {
    if (i) cond += " OR ";
    cond += "canonical GLOB ?" + std::to_string(first + static_cast<int>(i));
  }
  return cond + ")";
}

void BindCratePatterns(Statement* st, const Actor& actor, int first) {
  for (size_t i = 0; i < actor.crate_patterns.size(); ++i) {
    std::string p = actor.crate_patterns[i];
    bool prefix = !p.empty() && p.back() == '*';
    if (prefix) p.pop_back();
    st->Bind(first + static_cast<int>(i), CanonicalCrateName(p) + (prefix ? "*" : ""));
  }
}

}  // namespace registry
