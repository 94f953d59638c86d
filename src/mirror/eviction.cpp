// Choosing and evicting the least recently used mirror .crate files past the size cap.
#include "mirror/eviction.h"

#include <algorithm>
#include <tuple>

namespace registry {

std::vector<CachedCrateFile> ChooseEvictions(std::vector<CachedCrateFile> files,
                                             uint64_t max_bytes, const std::string& keep_name,
                                             const std::string& keep_vers) {
  std::vector<CachedCrateFile> chosen;
  if (max_bytes == 0) return chosen;
  uint64_t total = 0;
  for (const CachedCrateFile& f : files) {
    if (!f.private_blob) total += static_cast<uint64_t>(f.size);
  }
  if (total <= max_bytes) return chosen;
  std::sort(files.begin(), files.end(), [](const CachedCrateFile& a, const CachedCrateFile& b) {
    return std::tie(a.last_used, a.lower_name, a.vers) < std::tie(b.last_used, b.lower_name, b.vers);
  });
  for (CachedCrateFile& f : files) {
    if (total <= max_bytes) break;
    if (f.private_blob || (f.lower_name == keep_name && f.vers == keep_vers)) continue;
    total -= static_cast<uint64_t>(f.size);
    chosen.push_back(std::move(f));
  }
  return chosen;
}

static Result<std::vector<CachedCrateFile>> ReadCachedFiles(Database* db) {
  std::vector<CachedCrateFile> files;
  Statement st = db->Prepare(
      "SELECT m.lower_name, m.vers, m.cksum, m.size, max(m.fetched_at, m.last_used_at), "
      "EXISTS(SELECT 1 FROM versions v WHERE v.cksum = m.cksum) FROM mirror_crates m");
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    files.push_back(
        CachedCrateFile{st.Text(0), st.Text(1), st.Text(2), st.Int(3), st.Int(4), st.Int(5) != 0});
  }
  return files;
}

// Deletes the row, and the blob unless another mirror row has it, unless a private version
// has the blob (checked in the same transaction). The blob goes while the transaction holds
// the write lock: a private publish of the same bytes commits its version either before (and
// the check sees it) or after, and then stores the blob again (Registry::Publish). Ok(false)
// when nothing was evicted.
static Result<bool> Evict(Database* db, BlobStore* blobs, const CachedCrateFile& f) {
  Transaction tx(db);
  RETURN_IF_ERROR(tx.status());
  Statement priv = db->Prepare("SELECT 1 FROM versions WHERE cksum = ?1");
  priv.Bind(1, f.cksum);
  Result<bool> is_private = priv.Step();
  if (!is_private.ok()) return is_private.status();
  if (*is_private) return false;
  Statement del = db->Prepare("DELETE FROM mirror_crates WHERE lower_name = ?1 AND vers = ?2");
  del.Bind(1, f.lower_name).Bind(2, f.vers);
  RETURN_IF_ERROR(del.Run());
  // Another mirror row with the same bytes keeps the blob.
  Statement shared = db->Prepare("SELECT 1 FROM mirror_crates WHERE cksum = ?1");
  shared.Bind(1, f.cksum);
  Result<bool> still_used = shared.Step();
  if (!still_used.ok()) return still_used.status();
  // A crash after this leaves the row without its file, which is fetched again when asked for.
  if (!*still_used) RETURN_IF_ERROR(blobs->Remove(f.cksum));
  RETURN_IF_ERROR(tx.Commit());
  return true;
}

Result<Evicted> EvictOverCap(Database* db, BlobStore* blobs, uint64_t max_bytes,
                             const std::string& keep_name, const std::string& keep_vers) {
  Evicted out;
  if (max_bytes == 0) return out;
  Result<std::vector<CachedCrateFile>> files = ReadCachedFiles(db);
  if (!files.ok()) return files.status();
  for (const CachedCrateFile& f :
       ChooseEvictions(std::move(*files), max_bytes, keep_name, keep_vers)) {
    Result<bool> evicted = Evict(db, blobs, f);
    if (!evicted.ok()) return evicted.status();
    if (!*evicted) continue;
    out.files += 1;
    out.bytes += f.size;
  }
  return out;
}

}  // namespace registry
