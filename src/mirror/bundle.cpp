// Mirror bundles: a libarchive cpio stream with zstd, as backups are written.
#include "mirror/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "base/archive_handle.h"
#include "base/ascii.h"
#include "base/crypto.h"
#include "mirror/index_cache.h"
#include "mirror/index_lookup.h"

namespace registry {

namespace {

constexpr const char* kFormat = "registry-mirror-bundle";
constexpr int64_t kMaxEntry = 256ll << 20;

struct BundledCrate {
  std::string lower_name, vers, cksum;
};

}  // namespace

Result<BundleStats> ExportMirror(DatabasePool* pool, BlobStore* blobs,
                                 const std::vector<LockedCrate>& only,
                                 const std::string& out_path) {
  auto db = pool->Acquire();
  if (!db.ok()) return db.status();
  ReadSnapshot snapshot(db->get());
  RETURN_IF_ERROR(snapshot.status());
  std::vector<BundledCrate> crates;
  {
    Statement st = (*db)->Prepare(
        "SELECT lower_name, vers, cksum FROM mirror_crates ORDER BY lower_name, vers");
    for (;;) {
      Result<bool> row = st.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      crates.push_back({st.Text(0), st.Text(1), st.Text(2)});
    }
  }
  if (!only.empty()) {
    std::vector<BundledCrate> chosen;
    for (const LockedCrate& want : only) {
      bool found = false;
      for (const BundledCrate& c : crates) {
        if (c.lower_name == AsciiLower(want.name) && c.vers == want.version) {
          chosen.push_back(c);
          found = true;
          break;
        }
      }
      if (!found) {
        return Status::NotFound("the mirror has no cached file for `" + want.name + "` version `" +
                                want.version + "`; prefetch it first");
      }
    }
    crates = std::move(chosen);
  }
  std::set<std::string> names;
  for (const BundledCrate& c : crates) names.insert(c.lower_name);

  std::string partial = out_path + ".partial";
  ArchiveWriter a(archive_write_new());
  if (archive_write_add_filter_zstd(a.get()) != ARCHIVE_OK ||
      archive_write_set_format_cpio_odc(a.get()) != ARCHIVE_OK ||
      archive_write_open_filename(a.get(), partial.c_str()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot create " + partial);
  }
  BundleStats stats;
  Status st = [&]() -> Status {
    RETURN_IF_ERROR(AddArchiveFile(a.get(), "manifest.json",
                             nlohmann::json({{"format", kFormat}, {"version", 1}}).dump()));
    // Index files first: import checks each .crate against its index line.
    Statement files = (*db)->Prepare(
        "SELECT lower_name, body FROM mirror_index_files WHERE body IS NOT NULL "
        "ORDER BY lower_name");
    for (;;) {
      Result<bool> row = files.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      std::string name = files.Text(0);
      if (!only.empty() && !names.count(name)) continue;
      RETURN_IF_ERROR(AddArchiveFile(a.get(), "index/" + name, files.Text(1)));
      ++stats.index_files;
    }
    for (const BundledCrate& c : crates) {
      Result<std::string> bytes = blobs->Get(c.cksum);
      if (!bytes.ok()) {
        return Status(bytes.status().code() == Code::kNotFound
                          ? Status::NotFound("the cached file of `" + c.lower_name + "` version `" +
                                             c.vers + "` is missing; fetch it again first")
                          : bytes.status());
      }
      RETURN_IF_ERROR(
          AddArchiveFile(a.get(), "crates/" + c.lower_name + "/" + c.vers + "/" + c.cksum, *bytes));
      ++stats.crates;
    }
    if (archive_write_close(a.get()) != ARCHIVE_OK)
      return ArchiveError(a.get(), "writing " + partial);
    return Status::Ok();
  }();
  if (!st.ok()) {
    std::remove(partial.c_str());
    return st;
  }
  if (std::rename(partial.c_str(), out_path.c_str()) != 0) {
    std::remove(partial.c_str());
    return Status::Io("cannot rename " + partial + " to " + out_path);
  }
  FILE* f = std::fopen(out_path.c_str(), "rb");
  if (f) {
    std::fseek(f, 0, SEEK_END);
    stats.bytes = std::ftell(f);
    std::fclose(f);
  }
  return stats;
}

Result<BundleStats> ImportMirror(DatabasePool* pool, BlobStore* blobs, const Clock* clock,
                                 const std::string& bundle_path) {
  ArchiveReader a(archive_read_new());
  archive_read_support_filter_zstd(a.get());
  archive_read_support_format_cpio(a.get());
  if (archive_read_open_filename(a.get(), bundle_path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "cannot open " + bundle_path);
  }
  auto db = pool->Acquire();
  if (!db.ok()) return db.status();
  // Read and verify everything first; blobs may be written as they are verified (content-
  // addressed, unreferenced until the rows commit), the rows go in one transaction.
  std::map<std::string, std::string> index;  // lower name -> body
  std::vector<BundledCrate> crates;
  std::vector<int64_t> sizes;
  bool manifest = false;
  BundleStats stats;
  for (;;) {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK) return ArchiveError(a.get(), bundle_path + " is not a mirror bundle");
    std::string name = archive_entry_pathname(entry);
    la_int64_t size = archive_entry_size(entry);
    if (size < 0 || size > kMaxEntry) return Status::Corrupt(name + " has an impossible size");
    std::string data(static_cast<size_t>(size), '\0');
    if (size && archive_read_data(a.get(), data.data(), data.size()) != size) {
      return ArchiveError(a.get(), "reading " + name);
    }
    if (name == "manifest.json") {
      nlohmann::json m = nlohmann::json::parse(data, nullptr, false);
      if (m.is_discarded() || !m.is_object() || m.value("format", "") != kFormat) {
        return Status::Invalid(bundle_path + " is not a mirror bundle (bad manifest.json)");
      }
      manifest = true;
    } else if (name.rfind("index/", 0) == 0) {
      index[name.substr(6)] = std::move(data);
    } else if (name.rfind("crates/", 0) == 0) {
      size_t s1 = name.find('/', 7), s2 = s1 == std::string::npos ? s1 : name.find('/', s1 + 1);
      if (s2 == std::string::npos) return Status::Corrupt("unexpected entry " + name);
      BundledCrate c{name.substr(7, s1 - 7), name.substr(s1 + 1, s2 - s1 - 1), name.substr(s2 + 1)};
      std::string label = "`" + c.lower_name + "` version `" + c.vers + "`";
      if (Sha256Hex(data) != c.cksum) {
        return Status::Corrupt("the bundle's file of " + label +
                               " does not match its checksum; nothing was imported");
      }
      std::string body;
      auto it = index.find(c.lower_name);
      if (it != index.end()) {
        body = it->second;
      } else {
        Statement st = (*db)->Prepare("SELECT body FROM mirror_index_files WHERE lower_name = ?1");
        st.Bind(1, c.lower_name);
        Result<bool> row = st.Step();
        if (!row.ok()) return row.status();
        if (*row) body = st.Text(0);
      }
      Result<std::string> listed = FindIndexCksum(body, c.vers);
      if (!listed.ok() || *listed != c.cksum) {
        return Status::Corrupt("the bundle's file of " + label +
                               " is not the one its index line lists; nothing was imported");
      }
      RETURN_IF_ERROR(blobs->Put(c.cksum, data));
      crates.push_back(std::move(c));
      sizes.push_back(size);
      stats.bytes += size;
    } else {
      return Status::Corrupt("unexpected entry " + name + " in " + bundle_path);
    }
  }
  if (!manifest) return Status::Invalid(bundle_path + " is not a mirror bundle (no manifest.json)");

  int64_t now = clock->Now();
  Transaction tx(db->get());
  RETURN_IF_ERROR(tx.status());
  for (const auto& [name, body] : index) {
    Statement cur = (*db)->Prepare("SELECT body FROM mirror_index_files WHERE lower_name = ?1");
    cur.Bind(1, name);
    Result<bool> row = cur.Step();
    if (!row.ok()) return row.status();
    if (*row && CountIndexVersions(cur.Text(0)) > CountIndexVersions(body)) continue;
    RETURN_IF_ERROR(StoreMirrorIndexFile(db->get(), name, body, "", "", now, 0));
    ++stats.index_files;
  }
  for (size_t i = 0; i < crates.size(); ++i) {
    Statement st = (*db)->Prepare(
        "INSERT OR REPLACE INTO mirror_crates(lower_name, vers, cksum, size, fetched_at) "
        "VALUES(?1, ?2, ?3, ?4, ?5)");
    st.Bind(1, crates[i].lower_name)
        .Bind(2, crates[i].vers)
        .Bind(3, crates[i].cksum)
        .Bind(4, sizes[i])
        .Bind(5, now);
    RETURN_IF_ERROR(st.Run());
  }
  RETURN_IF_ERROR(tx.Commit());
  stats.crates = static_cast<int64_t>(crates.size());
  return stats;
}

}  // namespace registry
