// Registry::Dependents: the reverse dependencies of a crate, off the dependencies table.
#include "crate/name.h"
#include "registry/crate_rows.h"
#include "registry/registry.h"

namespace registry {

// A crate's newest version is its max_version (RefreshCrateSummary), which is yanked only when
// every version is; such a crate depends on nothing any more.
static const char* const kDependentsFrom =
    " FROM dependencies d JOIN versions v ON v.id = d.version_id "
    "JOIN crates c ON c.id = v.crate_id "
    "WHERE d.crate_canonical = ?1 AND v.vers = c.max_version AND v.yanked = 0 AND c.id != ?2 AND ";

Result<DependentsPage> Registry::Dependents(const Actor& actor, std::string_view name, int per_page,
                                            int page) {
  RETURN_IF_ERROR(actor.RequireRead(name));
  if (per_page < 1) per_page = 10;
  if (per_page > 100) per_page = 100;
  if (page < 1) page = 1;
  auto db = pool_->Acquire();
  if (!db.ok()) return db.status();
  Result<CrateRow> crate = RequireCrate(db->get(), name);
  if (!crate.ok()) return crate.status();
  const std::string canonical = CanonicalCrateName(crate->name);
  const std::string from = kDependentsFrom + CratePatternCondition(actor, 5);

  DependentsPage out;
  Statement count = (*db)->Prepare("SELECT count(DISTINCT c.id)" + from);
  count.Bind(1, canonical).Bind(2, crate->id);
  BindCratePatterns(&count, actor, 5);
  Result<bool> counted = count.Step();
  if (!counted.ok()) return counted.status();
  out.total = count.Int(0);

  Statement st = (*db)->Prepare(
      "SELECT c.name, c.max_version, coalesce(c.description, ''), c.downloads, v.id" + from +
      " GROUP BY c.id ORDER BY c.downloads DESC, c.canonical LIMIT ?3 OFFSET ?4");
  st.Bind(1, canonical).Bind(2, crate->id).Bind(3, int64_t{per_page});
  st.Bind(4, int64_t{per_page} * (page - 1));
  BindCratePatterns(&st, actor, 5);
  std::vector<int64_t> version_ids;
  for (;;) {
    Result<bool> row = st.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.dependents.push_back(Dependent{st.Text(0), st.Text(1), st.Text(2), st.Int(3), {}});
    version_ids.push_back(st.Int(4));
  }
  // Each dependent's lines naming the crate (a crate may name it as a normal and a dev
  // dependency, or per target): at most per_page small lookups on the index.
  for (size_t i = 0; i < version_ids.size(); ++i) {
    Statement uses = (*db)->Prepare(
        "SELECT req, kind, optional FROM dependencies WHERE crate_canonical = ?1 AND "
        "version_id = ?2 ORDER BY rowid");
    uses.Bind(1, canonical).Bind(2, version_ids[i]);
    for (;;) {
      Result<bool> row = uses.Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      out.dependents[i].uses.push_back(DependencyUse{uses.Text(0), uses.Text(1), uses.Int(2) != 0});
    }
  }
  return out;
}

}  // namespace registry
