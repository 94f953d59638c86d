// Writes the static sparse-index tree, rewriting only what changed.
#include "export/static_export.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "index/sparse_path.h"

namespace registry {
namespace {

namespace fs = std::filesystem;

// Builds the tree under one root and remembers every path it owns.
class TreeWriter {
 public:
  TreeWriter(std::string root, ExportReport* report) : root_(std::move(root)), report_(report) {}

  // `rel` holds `bytes`, written only when it does not already.
  Status PutBytes(const std::string& rel, const std::string& bytes) {
    std::string path = Claim(rel);
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == bytes.size()) {
      std::ifstream in(path, std::ios::binary);
      std::ostringstream old;
      old << in.rdbuf();
      if (old.str() == bytes) {
        ++report_->unchanged;
        return Status::Ok();
      }
    }
    return WriteAtomically(path, [&](std::ofstream& out) { out << bytes; });
  }

  // `rel` is a copy of `source` (`size` bytes); a file of that size is taken as it (the name
  // holds the version, and versions never change bytes).
  Status PutCopy(const std::string& rel, const std::string& source, uint64_t size) {
    std::string path = Claim(rel);
    std::error_code ec;
    if (fs::is_regular_file(path, ec) && fs::file_size(path, ec) == size) {
      ++report_->unchanged;
      return Status::Ok();
    }
    std::ifstream in(source, std::ios::binary);
    if (!in) return Status::Io("cannot read blob `" + source + "`");
    return WriteAtomically(path, [&](std::ofstream& out) { out << in.rdbuf(); });
  }

  // Removes every file under the root that no Put claimed, then empty directories.
  Status RemoveUnclaimed(const std::set<std::string>& keep_prefixes) {
    std::error_code ec;
    std::vector<fs::path> files, dirs;
    for (fs::recursive_directory_iterator it(root_, ec), end; !ec && it != end; it.increment(ec)) {
      std::string rel = fs::relative(it->path(), root_, ec).string();
      bool kept = false;
      for (const std::string& prefix : keep_prefixes) kept = kept || rel.rfind(prefix, 0) == 0;
      if (kept) {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (it->is_directory(ec)) {
        dirs.push_back(it->path());
      } else if (claimed_.count(it->path().string()) == 0) {
        files.push_back(it->path());
      }
    }
    if (ec) return Status::Io("cannot list `" + root_ + "`: " + ec.message());
    for (const fs::path& f : files) {
      if (fs::remove(f, ec)) ++report_->removed;
    }
    // Deepest first, so a directory emptied by its children goes too.
    for (auto it = dirs.rbegin(); it != dirs.rend(); ++it) {
      if (fs::is_empty(*it, ec)) fs::remove(*it, ec);
    }
    return Status::Ok();
  }

 private:
  std::string Claim(const std::string& rel) {
    std::string path = root_ + "/" + rel;
    claimed_.insert(path);
    return path;
  }

  template <typename Fill>
  Status WriteAtomically(const std::string& path, Fill fill) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    if (ec) return Status::Io("cannot create the directory of `" + path + "`: " + ec.message());
    std::string tmp = path + ".tmp-" + std::to_string(getpid());
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      if (!out) return Status::Io("cannot write `" + tmp + "`");
      fill(out);
      out.flush();
      if (!out) {
        fs::remove(tmp, ec);
        return Status::Io("cannot write `" + tmp + "` (disk full?)");
      }
    }
    fs::rename(tmp, path, ec);
    if (ec) return Status::Io("cannot rename `" + tmp + "` into place: " + ec.message());
    ++report_->written;
    return Status::Ok();
  }

  std::string root_;
  ExportReport* report_;
  std::set<std::string> claimed_;
};

std::string ConfigJson(const std::string& url) {
  nlohmann::json config = {{"dl", url + "/crates/{crate}/{crate}-{version}.crate"}, {"api", url}};
  return config.dump(2) + "\n";
}

std::string CratePath(const std::string& name, const std::string& vers) {
  return "crates/" + name + "/" + name + "-" + vers + ".crate";
}

// One registry's part (the private crates, or the mirror's cache) under `prefix`.
Status ExportPart(Database* db, const BlobStore& blobs, TreeWriter* tree, const std::string& prefix,
                  const std::string& url, const char* index_sql, const char* crates_sql) {
  RETURN_IF_ERROR(tree->PutBytes(prefix + "config.json", ConfigJson(url)));
  Statement index = db->Prepare(index_sql);
  for (;;) {
    Result<bool> row = index.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    RETURN_IF_ERROR(tree->PutBytes(prefix + IndexPath(index.Text(0)), index.Text(1)));
  }
  Statement crates = db->Prepare(crates_sql);
  for (;;) {
    Result<bool> row = crates.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string cksum = crates.Text(2);
    RETURN_IF_ERROR(tree->PutCopy(prefix + CratePath(crates.Text(0), crates.Text(1)),
                                  blobs.PathOf(cksum), static_cast<uint64_t>(crates.Int(3))));
  }
  return Status::Ok();
}

}  // namespace

Result<ExportReport> ExportStaticIndex(DatabasePool* pool, const BlobStore& blobs,
                                       const ExportOptions& options) {
  std::string url = options.base_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Status::Invalid("--base-url must be an http:// or https:// URL, got `" +
                           options.base_url + "`");
  }
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec) return Status::Io("cannot create `" + options.out_dir + "`: " + ec.message());

  auto db = pool->Acquire();
  if (!db.ok()) return db.status();
  // One read transaction: index files and crates from the same moment.
  RETURN_IF_ERROR((*db)->Exec("BEGIN"));
  ExportReport report;
  TreeWriter tree(options.out_dir, &report);
  Status st = ExportPart(
      db->get(), blobs, &tree, "", url, "SELECT lower_name, body FROM index_files",
      "SELECT c.name, v.vers, v.cksum, v.size FROM versions v JOIN crates c ON c.id = v.crate_id");
  if (st.ok() && options.include_mirror) {
    st = ExportPart(db->get(), blobs, &tree, "crates-io/", url + "/crates-io",
                    "SELECT lower_name, body FROM mirror_index_files WHERE body IS NOT NULL",
                    // The crate's name as its index lines spell it ("Inflector"): cargo
                    // fills {crate} with that, not the lower-cased key.
                    "SELECT coalesce(json_extract(CAST(substr(f.body, 1, "
                    "instr(f.body, char(10)) - 1) AS TEXT), '$.name'), m.lower_name), "
                    "m.vers, m.cksum, m.size FROM mirror_crates m "
                    "LEFT JOIN mirror_index_files f ON f.lower_name = m.lower_name");
  }
  (*db)->Exec("COMMIT");
  RETURN_IF_ERROR(st);
  RETURN_IF_ERROR(tree.RemoveUnclaimed({}));
  return report;
}

}  // namespace registry
