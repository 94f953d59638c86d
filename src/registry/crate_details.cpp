// Registry::Details (the web UI's crate page) and the batched download counters.
#include <algorithm>

#include "crate/semver.h"
#include "publish/crate_targets.h"
#include "publish/publish_metadata.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"
#include "storage/zstd_codec.h"

namespace registry {

static constexpr int64_t kChartDays = 90;
static constexpr size_t kMaxReadmeHtml = 16 << 20;

static void CopyVersionMetadata(const PublishMetadata& meta, VersionDetails* v) {
  v->license = meta.license;
  v->rust_version = meta.rust_version;
  v->features = meta.features;
  for (const PublishDependency& d : meta.deps) {
    v->deps.push_back(DependencyDetails{d.name, d.version_req, d.kind, d.optional,
                                        d.default_features, d.features, d.target,
                                        d.explicit_name_in_toml, d.registry});
  }
}

Result<CrateDetails> Registry::Details(const Actor& actor, std::string_view name,
                                       std::string_view vers) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();

  CrateDetails out;
  {
    Statement st = (*db)->Prepare(
        "SELECT name, description, max_version, created_at, updated_at, downloads "
        "FROM crates WHERE id = ?1");
    st.Bind(1, crate->id);
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("crate `" + std::string(name) + "` does not exist");
    out.name = st.Text(0);
    out.description = st.OptionalText(1);
    out.max_version = st.Text(2);
    out.created_at = st.Int(3);
    out.updated_at = st.Int(4);
    out.downloads = st.Int(5);
  }
  Result<std::vector<Owner>> owners = ListOwners(actor, out.name);
  if (!owners.ok()) return owners.status();
  out.owners = std::move(*owners);

  out.version = vers.empty() ? out.max_version : std::string(vers);
  std::map<int64_t, size_t> index_of;  // version id -> position in out.versions
  bool found = false;
  Statement st = (*db)->Prepare(
      "SELECT v.id, v.vers, v.yanked, v.published_at, coalesce(u.login, ''), v.downloads, v.size, "
      "v.metadata, v.readme_html, v.bin_names, v.has_lib, coalesce(d.root, '') FROM versions v "
      "LEFT JOIN users u ON u.id = v.published_by LEFT JOIN doc_sets d ON d.version_id = v.id "
      "WHERE v.crate_id = ?1");
  st.Bind(1, crate->id);
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    VersionDetails v;
    v.num = st.Text(1);
    v.yanked = st.Int(2) != 0;
    v.published_at = st.Int(3);
    v.published_by = st.Text(4);
    v.downloads = st.Int(5);
    v.size = st.Int(6);
    Result<PublishMetadata> meta = ParsePublishMetadata(st.Text(7));
    if (meta.ok()) CopyVersionMetadata(*meta, &v);
    if (!st.IsNull(9)) v.bin_names = ParseBinNamesJson(st.Text(9));
    if (!st.IsNull(10)) v.has_lib = st.Int(10) != 0;
    if (!st.Text(11).empty()) v.docs_page = st.Text(11) + "/index.html";
    if (v.num == out.version) {
      found = true;
      if (meta.ok()) {
        out.repository = meta->repository;
        out.homepage = meta->homepage;
        out.documentation = meta->documentation;
        out.license = meta->license;
        out.keywords = meta->keywords;
        out.categories = meta->categories;
      }
      if (!st.IsNull(8)) {
        Result<std::string> html = ZstdDecompress(st.Text(8), kMaxReadmeHtml);
        if (!html.ok()) return html.status();
        out.readme_html = std::move(*html);
      }
    }
    index_of[st.Int(0)] = out.versions.size();
    out.versions.push_back(std::move(v));
  }
  if (!found) {
    return Status::NotFound("crate `" + out.name + "` has no version `" + out.version + "`");
  }

  int64_t today = clock_->Now() / 86400;
  std::map<int64_t, int64_t> days;
  Statement daily = (*db)->Prepare(
      "SELECT d.day, sum(d.count) FROM version_downloads d JOIN versions v ON v.id = d.version_id "
      "WHERE v.crate_id = ?1 AND d.day > ?2 GROUP BY d.day");
  daily.Bind(1, crate->id).Bind(2, today - kChartDays);
  for (;;) {
    Result<bool> row = daily.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    days[daily.Int(0)] += daily.Int(1);
  }
  {
    std::lock_guard<std::mutex> lock(downloads_mu_);
    for (const auto& [key, n] : pending_downloads_) {
      auto it = index_of.find(key.first);
      if (it == index_of.end()) continue;
      out.versions[it->second].downloads += n;
      out.downloads += n;
      if (key.second > today - kChartDays) days[key.second] += n;
    }
  }
  for (const auto& [day, n] : days) out.downloads_by_day.push_back(DayCount{day, n});

  std::vector<std::pair<Version, size_t>> order;
  for (size_t i = 0; i < out.versions.size(); ++i) {
    Result<Version> v = ParseVersion(out.versions[i].num);
    if (v.ok()) order.emplace_back(*v, i);
  }
  std::sort(order.begin(), order.end(),
            [](const auto& a, const auto& b) { return CompareVersions(a.first, b.first) > 0; });
  std::vector<VersionDetails> sorted;
  for (const auto& [v, i] : order) sorted.push_back(std::move(out.versions[i]));
  out.versions = std::move(sorted);
  return out;
}

Status Registry::FlushDownloads() {
  std::map<std::pair<int64_t, int64_t>, int64_t> pending;
  {
    std::lock_guard<std::mutex> lock(downloads_mu_);
    pending.swap(pending_downloads_);
  }
  if (pending.empty()) return Status::Ok();
  auto write = [&]() -> Status {
    auto db = pool_->Acquire();
    if (!db.ok()) return db.status();
    Transaction tx(db->get());
    RETURN_IF_ERROR(tx.status());
    for (const auto& [key, n] : pending) {
      Statement day = (*db)->Prepare(
          "INSERT INTO version_downloads(version_id, day, count) VALUES(?1, ?2, ?3) "
          "ON CONFLICT(version_id, day) DO UPDATE SET count = count + excluded.count");
      day.Bind(1, key.first).Bind(2, key.second).Bind(3, n);
      RETURN_IF_ERROR(day.Run());
      Statement ver =
          (*db)->Prepare("UPDATE versions SET downloads = downloads + ?1 WHERE id = ?2");
      ver.Bind(1, n).Bind(2, key.first);
      RETURN_IF_ERROR(ver.Run());
      Statement total = (*db)->Prepare(
          "UPDATE crates SET downloads = downloads + ?1 "
          "WHERE id = (SELECT crate_id FROM versions WHERE id = ?2)");
      total.Bind(1, n).Bind(2, key.first);
      RETURN_IF_ERROR(total.Run());
    }
    return tx.Commit();
  };
  Status st = write();
  if (!st.ok()) {
    // Keep the counts for the next flush rather than lose them.
    std::lock_guard<std::mutex> lock(downloads_mu_);
    for (const auto& [key, n] : pending) pending_downloads_[key] += n;
  }
  return st;
}

}  // namespace registry
