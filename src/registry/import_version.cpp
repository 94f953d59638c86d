// Registry::ImportVersion: a version from another registry, stored with its own index line.
#include <filesystem>

#include "audit/audit_log.h"
#include "base/crypto.h"
#include "base/untrusted_json.h"
#include "crate/name.h"
#include "crate/semver.h"
#include "publish/tarball.h"
#include "readme/markdown.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"
#include "storage/zstd_codec.h"

namespace registry {

namespace {

struct LineFields {
  std::string name, vers, cksum;
  bool yanked = false;
};

Result<LineFields> ReadLine(std::string_view line) {
  Result<nlohmann::json> json = ParseUntrustedJson(line);
  if (!json.ok() || !json->is_object()) {
    return Status::Invalid("the index line is not a JSON object");
  }
  LineFields f;
  for (auto [key, out] : {std::pair{"name", &f.name}, {"vers", &f.vers}, {"cksum", &f.cksum}}) {
    auto it = json->find(key);
    if (it == json->end() || !it->is_string()) {
      return Status::Invalid(std::string("the index line has no string `") + key + "`");
    }
    *out = it->get<std::string>();
  }
  auto yanked = json->find("yanked");
  f.yanked = yanked != json->end() && yanked->is_boolean() && yanked->get<bool>();
  return f;
}

// kAlreadyPresent, Conflict, or the crate id to add the version to (0: a new crate).
struct Existing {
  bool present = false;
  int64_t crate_id = 0;
};

Result<Existing> FindExisting(Database* db, const LineFields& line, const std::string& vers_key) {
  auto found = FindCrateByCanonicalName(db, line.name);
  if (!found.ok()) return found.status();
  Existing e;
  if (!*found) return e;
  if ((*found)->name != line.name) {
    return Status::Conflict("crate `" + line.name + "` conflicts with existing crate `" +
                            (*found)->name + "` (names differing only in case or `-`/`_`)");
  }
  e.crate_id = (*found)->id;
  Statement st = db->Prepare("SELECT vers, cksum FROM versions WHERE crate_id = ?1 AND vers_key = ?2");
  st.Bind(1, e.crate_id).Bind(2, vers_key);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return e;
  if (st.Text(1) != line.cksum) {
    return Status::Conflict(line.name + " " + st.Text(0) + " is already here with other bytes (" +
                            "sha256 " + st.Text(1) + ", the source has " + line.cksum +
                            "); it is not overwritten");
  }
  e.present = true;
  return e;
}

Result<int64_t> UserId(Database* db, const std::string& login) {
  Statement st = db->Prepare("SELECT id FROM users WHERE login = ?1");
  st.Bind(1, login);
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("user `" + login + "` does not exist");
  return st.Int(0);
}

}  // namespace

Result<std::optional<std::string>> Registry::VersionChecksum(std::string_view name,
                                                            std::string_view vers) {
  Result<Version> version = ParseVersion(vers);
  if (!version.ok()) return version.status();
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Statement st = (*db)->Prepare(
      "SELECT v.cksum FROM versions v JOIN crates c ON c.id = v.crate_id "
      "WHERE c.canonical = ?1 AND v.vers_key = ?2");
  st.Bind(1, CanonicalCrateName(name)).Bind(2, version->WithoutBuild());
  Result<bool> row = st.Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(st.Text(0));
}

Result<ImportOutcome> Registry::ImportVersion(const Actor& actor, const ImportedVersion& v) {
  if (!actor.FromCli() && !actor.user.is_admin) {
    return Status::Forbidden("only an administrator may import crates");
  }
  Result<LineFields> line = ReadLine(v.index_line);
  if (!line.ok()) return line.status();
  RETURN_IF_ERROR(ValidateCrateName(line->name));
  Result<Version> version = ParseVersion(line->vers);
  if (!version.ok()) return version.status();
  std::string vers_key = version->WithoutBuild();
  std::string cksum = Sha256Hex(v.crate);
  if (cksum != line->cksum) {
    return Status::Corrupt("checksum mismatch: the source's index says sha256 " + line->cksum +
                           ", the .crate it served has " + cksum);
  }

  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<Existing> pre = FindExisting(db->get(), *line, vers_key);
  if (!pre.ok()) return pre.status();
  if (pre->present) return ImportOutcome::kAlreadyPresent;
  TarballLimits limits;
  limits.max_unpacked = options_.max_unpacked_size;
  Result<TarballInfo> tar = CheckTarball(v.crate, line->name, line->vers, limits);
  if (!tar.ok()) return tar.status();
  Result<int64_t> owner = UserId(db->get(), v.owner);
  if (!owner.ok()) return owner.status();
  if (v.dry_run) return ImportOutcome::kImported;

  RETURN_IF_ERROR(blobs_->Put(cksum, v.crate));
  std::optional<std::string> readme;
  if (v.readme && !v.readme->empty()) {
    MarkdownLimits markdown;
    markdown.max_input = 256 << 10;
    readme = ZstdCompress(RenderMarkdown(*v.readme, markdown));
  }
  int64_t now = clock_->Now();
  int64_t published_at = v.published_at > 0 ? v.published_at : now;

  Database* d = db->get();
  Transaction tx(d);
  RETURN_IF_ERROR(tx.status());
  Result<Existing> existing = FindExisting(d, *line, vers_key);  // again, under the write lock
  if (!existing.ok()) return existing.status();
  if (existing->present) return ImportOutcome::kAlreadyPresent;
  int64_t id = existing->crate_id;
  if (id == 0) {
    Statement ins = d->Prepare(
        "INSERT INTO crates(name, canonical, created_at, updated_at) VALUES(?1, ?2, ?3, ?3)");
    ins.Bind(1, line->name).Bind(2, CanonicalCrateName(line->name)).Bind(3, published_at);
    RETURN_IF_ERROR(ins.Run());
    id = d->LastInsertId();
    Statement own = d->Prepare("INSERT INTO owners(crate_id, user_id, added_at) VALUES(?1, ?2, ?3)");
    own.Bind(1, id).Bind(2, *owner).Bind(3, now);
    RETURN_IF_ERROR(own.Run());
  }
  Statement ver = d->Prepare(
      "INSERT INTO versions(crate_id, vers, vers_key, cksum, size, yanked, index_line, metadata, "
      "published_by, published_at, readme_html) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  ver.Bind(1, id).Bind(2, line->vers).Bind(3, vers_key).Bind(4, cksum);
  ver.Bind(5, static_cast<int64_t>(v.crate.size())).Bind(6, int64_t{line->yanked});
  ver.Bind(7, v.index_line).Bind(8, v.metadata_json).Bind(9, *owner).Bind(10, published_at);
  if (readme) {
    ver.BindBlob(11, *readme);
  } else {
    ver.BindNull(11);
  }
  RETURN_IF_ERROR(ver.Run());
  RETURN_IF_ERROR(RefreshCrateSummary(d, id, std::max(now, published_at)));
  Statement desc =
      d->Prepare("UPDATE crates SET description = ?1 WHERE id = ?2 AND max_version = ?3");
  desc.Bind(1, v.description).Bind(2, id).Bind(3, line->vers);
  RETURN_IF_ERROR(desc.Run());
  RETURN_IF_ERROR(RefreshSearchIndex(d, id));
  RETURN_IF_ERROR(RefreshIndexFile(d, id));
  RETURN_IF_ERROR(AppendAudit(d, actor, now, "import", line->name + "@" + line->vers,
                              "sha256 " + cksum + ", " + std::to_string(v.crate.size()) +
                                  " bytes, from " + v.source + ", owner " + v.owner));
  RETURN_IF_ERROR(tx.Commit());
  return ImportOutcome::kImported;
}

}  // namespace registry
