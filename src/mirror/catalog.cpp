// Listing the mirror's cached crates for the web UI.
#include "mirror/catalog.h"

#include <algorithm>
#include <map>

#include "base/ascii.h"
#include "crate/semver.h"
#include "mirror/index_lookup.h"

namespace registry {

// Newest first by semver; versions that do not parse sort last, by text.
static bool Newer(const std::string& a, const std::string& b) {
  Result<Version> va = ParseVersion(a), vb = ParseVersion(b);
  if (va.ok() && vb.ok()) return CompareVersions(*va, *vb) > 0;
  if (va.ok() != vb.ok()) return va.ok();
  return a > b;
}

Result<std::vector<CachedCrate>> SearchCachedCrates(Database* db, std::string_view query,
                                                    int limit) {
  // LIKE with its wildcards escaped, so a query is a plain substring.
  std::string pattern = "%";
  for (char c : AsciiLower(query)) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  pattern += "%";
  Statement st = db->Prepare(
      "SELECT lower_name, vers, size FROM mirror_crates WHERE lower_name IN (SELECT DISTINCT "
      "lower_name FROM mirror_crates WHERE lower_name LIKE ?1 ESCAPE '\\' ORDER BY lower_name "
      "LIMIT ?2) ORDER BY lower_name");
  st.Bind(1, pattern).Bind(2, static_cast<int64_t>(std::max(limit, 0)));
  std::vector<CachedCrate> out;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string name = st.Text(0), vers = st.Text(1);
    if (out.empty() || out.back().name != name) out.push_back(CachedCrate{name, vers, 0, 0, {}});
    CachedCrate& c = out.back();
    c.versions_cached += 1;
    c.bytes += st.Int(2);
    if (Newer(vers, c.max_version)) c.max_version = vers;
  }
  return out;
}

Result<CachedCrate> ReadCachedCrate(Database* db, std::string_view lower_name) {
  std::string lower = AsciiLower(lower_name);
  ReadSnapshot snapshot(db);
  RETURN_IF_ERROR(snapshot.status());
  Statement file = db->Prepare("SELECT body FROM mirror_index_files WHERE lower_name = ?1 AND "
                               "body IS NOT NULL");
  file.Bind(1, lower);
  Result<bool> found = file.Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("the crates.io mirror has not cached `" + lower + "`");
  CachedCrate out;
  out.name = lower;
  std::vector<IndexVersion> listed = ListIndexVersions(file.Text(0));
  if (!listed.empty()) out.name = listed.front().name;

  std::map<std::string, int64_t> sizes;
  Statement crates = db->Prepare("SELECT vers, size FROM mirror_crates WHERE lower_name = ?1");
  crates.Bind(1, lower);
  for (;;) {
    Result<bool> row = crates.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    sizes[crates.Text(0)] = crates.Int(1);
  }
  for (const IndexVersion& v : listed) {
    CachedVersion cv{v.vers, v.yanked, false, 0};
    auto it = sizes.find(v.vers);
    if (it != sizes.end()) {
      cv.cached = true;
      cv.size = it->second;
      out.versions_cached += 1;
      out.bytes += it->second;
      if (Newer(v.vers, out.max_version)) out.max_version = v.vers;
    }
    out.versions.push_back(std::move(cv));
  }
  std::sort(out.versions.begin(), out.versions.end(),
            [](const CachedVersion& a, const CachedVersion& b) { return Newer(a.num, b.num); });
  return out;
}

}  // namespace registry
