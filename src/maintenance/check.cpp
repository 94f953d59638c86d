// Data-directory verification and repair.
#include "maintenance/check.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "base/crypto.h"
#include "db/schema.h"
#include "registry/crate_rows.h"
#include "storage/gzip_codec.h"

namespace registry {

bool CheckReport::Clean() const {
  for (const CheckProblem& p : problems) {
    if (!p.repaired) return false;
  }
  return true;
}

static void Add(CheckReport* r, std::string what, bool repairable = false) {
  r->problems.push_back(CheckProblem{std::move(what), repairable, false});
}

static Status CheckDatabase(Database* db, CheckReport* report) {
  Statement integrity = db->Prepare("PRAGMA integrity_check");
  for (;;) {
    Result<bool> row = integrity.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (integrity.Text(0) != "ok") Add(report, "database: " + integrity.Text(0));
  }
  Statement version = db->Prepare("PRAGMA user_version");
  Result<bool> row = version.Step();
  if (!row.ok()) return row.status();
  report->schema_version = static_cast<int>(version.Int(0));
  if (report->schema_version != LatestSchemaVersion()) {
    Add(report, "database: schema version " + std::to_string(report->schema_version) +
                    ", this binary expects " + std::to_string(LatestSchemaVersion()));
  }
  return Status::Ok();
}

struct VersionRow {
  int64_t id;
  std::string crate, vers, cksum, index_line;
  int64_t size;
  bool yanked;
};

// The index line must describe its own version; a wrong "yanked" flag is rewritten on repair.
static void CheckIndexLine(Database* db, const VersionRow& v, bool repair, CheckReport* report) {
  std::string label = v.crate + " " + v.vers + ": ";
  nlohmann::ordered_json line = nlohmann::ordered_json::parse(v.index_line, nullptr, false);
  if (line.is_discarded() || !line.is_object()) {
    return Add(report, label + "the index line is not a JSON object");
  }
  auto text = [&](const char* key) {
    auto it = line.find(key);
    return it != line.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (text("name") != v.crate || text("vers") != v.vers || text("cksum") != v.cksum) {
    return Add(report, label + "the index line names another crate, version or checksum");
  }
  auto yanked = line.find("yanked");
  if (yanked == line.end() || !yanked->is_boolean() || yanked->get<bool>() != v.yanked) {
    CheckProblem p{label + "the index line's yanked flag disagrees with the database", true, false};
    if (repair) {
      line["yanked"] = v.yanked;
      Statement up = db->Prepare("UPDATE versions SET index_line = ?1 WHERE id = ?2");
      up.Bind(1, line.dump()).Bind(2, v.id);
      p.repaired = up.Run().ok();
    }
    report->problems.push_back(std::move(p));
  }
}

// The stored index file of every crate must be its versions' lines, in order, and its gzip
// form must inflate to the same bytes. A stale one is rebuilt on repair.
static Status CheckIndexFiles(Database* db, bool repair, const std::set<std::string>& broken,
                              CheckReport* report) {
  Statement st = db->Prepare(
      "SELECT c.id, c.name, coalesce(f.body, ''), coalesce(f.gzip, ''), "
      "coalesce((SELECT group_concat(line, '') FROM (SELECT v.index_line || char(10) AS line "
      "FROM versions v WHERE v.crate_id = c.id ORDER BY v.id)), '') "
      "FROM crates c LEFT JOIN index_files f ON f.crate_id = c.id");
  std::vector<std::pair<int64_t, std::string>> stale;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string body = st.Text(2);
    Result<std::string> inflated = GzipDecompress(st.Text(3), 64 << 20);
    if (body != st.Text(4) || !inflated.ok() || *inflated != body) {
      stale.emplace_back(st.Int(0), st.Text(1));
    }
  }
  for (const auto& [id, name] : stale) {
    CheckProblem p{name + ": the stored index file does not match its versions", true, false};
    // Never rebuild from index lines that are themselves wrong: the stored file may be the
    // last good copy.
    if (repair && !broken.count(name)) p.repaired = RefreshIndexFile(db, id).ok();
    report->problems.push_back(std::move(p));
  }
  return Status::Ok();
}

Result<CheckReport> CheckDataDir(App* app, const CheckOptions& options,
                                 const CheckProgress& progress) {
  CheckReport report;
  auto db = app->pool().Acquire();
  if (!db.ok()) return db.status();
  RETURN_IF_ERROR(CheckDatabase(db->get(), &report));

  std::vector<VersionRow> rows;
  {
    Statement st = (*db)->Prepare(
        "SELECT v.id, c.name, v.vers, v.cksum, v.index_line, v.size, v.yanked "
        "FROM versions v JOIN crates c ON c.id = v.crate_id ORDER BY v.id");
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      rows.push_back(VersionRow{st.Int(0), st.Text(1), st.Text(2), st.Text(3), st.Text(4),
                                st.Int(5), st.Int(6) != 0});
    }
  }
  report.versions = static_cast<int64_t>(rows.size());
  std::set<std::string> referenced;
  std::set<std::string> broken;  // crates with an index line that could not be repaired
  for (size_t i = 0; i < rows.size(); ++i) {
    const VersionRow& v = rows[i];
    referenced.insert(v.cksum);
    if (progress) progress("versions", static_cast<int64_t>(i + 1), report.versions);
    std::string label = v.crate + " " + v.vers + ": ";
    Result<std::string> blob = app->blobs().Get(v.cksum);
    if (!blob.ok() && blob.status().code() == Code::kNotFound) {
      Add(&report, label + "its .crate file is missing (" + app->blobs().PathOf(v.cksum) + ")");
    } else if (!blob.ok()) {
      Add(&report, label + blob.status().message());
    } else if (static_cast<int64_t>(blob->size()) != v.size) {
      Add(&report, label + "its .crate file has " + std::to_string(blob->size()) +
                       " bytes, the database says " + std::to_string(v.size));
    }
    size_t before = report.problems.size();
    CheckIndexLine(db->get(), v, options.repair, &report);
    for (size_t j = before; j < report.problems.size(); ++j) {
      if (!report.problems[j].repaired) broken.insert(v.crate);
    }
  }

  RETURN_IF_ERROR(CheckIndexFiles(db->get(), options.repair, broken, &report));

  // The crates.io mirror's .crate files are blobs too: verified like private ones. A missing
  // one is no problem (a backup may leave the mirror out; it is fetched again when asked for).
  {
    Statement st = (*db)->Prepare("SELECT lower_name, vers, cksum FROM mirror_crates");
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      std::string cksum = st.Text(2);
      referenced.insert(cksum);
      Result<std::string> blob = app->blobs().Get(cksum);
      if (!blob.ok() && blob.status().code() != Code::kNotFound) {
        Add(&report,
            "crates.io mirror: " + st.Text(0) + " " + st.Text(1) + ": " + blob.status().message());
      }
    }
  }

  // Hosted docs: every file's blob, read back and hashed. One problem per version, naming
  // its first bad file, so a lost directory does not print thousands of lines.
  std::set<std::string> doc_referenced;
  {
    Statement st = (*db)->Prepare(
        "SELECT c.name, v.vers, f.path, f.blob FROM doc_files f "
        "JOIN versions v ON v.id = f.version_id JOIN crates c ON c.id = v.crate_id "
        "ORDER BY f.version_id, f.path");
    std::string reported;  // "crate version" already reported
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      ++report.doc_files;
      std::string blob = st.Text(3);
      if (!doc_referenced.insert(blob).second) continue;
      if (progress) progress("docs", static_cast<int64_t>(doc_referenced.size()), 0);
      Result<std::string> bytes = app->doc_blobs().Get(blob);
      std::string which = st.Text(0) + " " + st.Text(1);
      if (!bytes.ok() && reported != which) {
        reported = which;
        Add(&report, which + ": docs file " + st.Text(2) + ": " +
                         (bytes.status().code() == Code::kNotFound ? "missing"
                                                                   : bytes.status().message()) +
                         "; upload the docs again");
      }
    }
  }

  // Blobs nobody references: left by a publish or docs upload that failed (or was killed)
  // between writing the blob and committing. Harmless, but they take space.
  namespace fs = std::filesystem;
  std::error_code ec;
  auto now = fs::file_time_type::clock::now();
  struct Store {
    std::string dir;
    const std::set<std::string>* referenced;
    const char* what;
    int64_t* count;
    int64_t* bytes;
  };
  for (const Store& store :
       {Store{app->data_dir() + "/blobs", &referenced, "blob", &report.blobs, &report.blob_bytes},
        Store{app->data_dir() + "/docs/blobs", &doc_referenced, "docs blob", &report.doc_blobs,
              &report.doc_blob_bytes}}) {
    for (const auto& dir : fs::directory_iterator(store.dir, ec)) {
      for (const auto& file : fs::directory_iterator(dir.path(), ec)) {
        std::string name = file.path().filename().string();
        ++*store.count;
        *store.bytes += static_cast<int64_t>(file.file_size(ec));
        if (store.referenced->count(name)) continue;
        auto age = now - file.last_write_time(ec);
        if (age < std::chrono::seconds(options.orphan_grace_seconds)) {
          ++report.recent_orphans;
          continue;
        }
        CheckProblem p{std::string(store.what) + " " + name + " is not referenced by any version",
                       true, false};
        if (options.repair) p.repaired = fs::remove(file.path(), ec);
        report.problems.push_back(std::move(p));
      }
    }
    if (ec) Add(&report, "cannot list " + store.dir + ": " + ec.message());
    ec.clear();
  }
  if (options.repair) RETURN_IF_ERROR(app->RemoveStaleTempFiles(&report.temp_files_removed));
  return report;
}

std::string FormatCheckReport(const CheckReport& r) {
  std::string out;
  for (const CheckProblem& p : r.problems) {
    out += p.repaired ? "repaired: " : (p.repairable ? "problem (repairable): " : "problem: ");
    out += p.what + "\n";
  }
  out += "schema version " + std::to_string(r.schema_version) + "; " + std::to_string(r.versions) +
         " versions; " + std::to_string(r.blobs) + " blobs, " + std::to_string(r.blob_bytes) +
         " bytes";
  if (r.doc_files) {
    out += "; docs: " + std::to_string(r.doc_files) + " files in " + std::to_string(r.doc_blobs) +
           " blobs, " + std::to_string(r.doc_blob_bytes) + " bytes";
  }
  if (r.recent_orphans) {
    out += "; " + std::to_string(r.recent_orphans) + " recent unreferenced blob(s) left alone";
  }
  if (r.temp_files_removed) {
    out += "; " + std::to_string(r.temp_files_removed) + " stale temp file(s) removed";
  }
  size_t open = 0;
  for (const CheckProblem& p : r.problems) open += !p.repaired;
  out += open == 0 ? (r.problems.empty() ? "\nclean\n" : "\nclean after repair\n")
                   : "\n" + std::to_string(open) + " problem(s)\n";
  return out;
}

}  // namespace registry
