// The administrators' dashboard (#/dashboard): what the registry holds, how much it is used,
// the storage it takes and the crates.io mirror's cache, from GET /api/v1/stats.
import { api } from "./api.js";
import { el, errorBox, formatBytes, formatNumber, loading, replace } from "./dom.js";
import { downloadsChart } from "./chart.js";

export async function renderDashboard(page) {
  page.setTitle("Dashboard");
  replace(page.root, el("h1", {}, "Dashboard"), loading("Loading the figures"));
  let s;
  try {
    s = await api("GET", "/api/v1/stats?days=90");
  } catch (error) {
    if (page.isCurrent()) replace(page.root, el("h1", {}, "Dashboard"), errorBox(error, page.rerender));
    return;
  }
  if (!page.isCurrent()) return;
  const figures = [
    ["Crates", formatNumber(s.crates), null],
    ["Versions", formatNumber(s.versions), s.yanked_versions ? `${formatNumber(s.yanked_versions)} yanked` : null],
    ["Users", formatNumber(s.users), null],
    ["Downloads", formatNumber(s.downloads), "of every version, ever"],
    ["Storage", formatBytes(s.crate_bytes + s.database_bytes),
      `${formatBytes(s.crate_bytes)} of .crate files, ${formatBytes(s.database_bytes)} of database`],
  ];
  const m = s.mirror;
  if (m) {
    figures.push(["crates.io mirror", formatBytes(m.bytes),
      `${formatNumber(m.versions)} versions of ${formatNumber(m.crates)} crates; ` +
      `${Math.round((m.hit_rate || 0) * 100)}% of index reads from the cache`]);
  }
  replace(page.root,
    el("h1", {}, "Dashboard"),
    el("ul", { class: "stat-grid", id: "dashboard-figures" }, figures.map(([label, value, note]) =>
      el("li", { class: "card stat", "data-figure": label },
        el("span", { class: "stat-label" }, label),
        el("strong", { class: "stat-value" }, value),
        note ? el("span", { class: "stat-note muted small" }, note) : null))),
    el("section", { class: "card", "aria-labelledby": "h-downloads" },
      el("h2", { id: "h-downloads" }, "Downloads per day"),
      downloadsChart(s.downloads_by_day)),
    el("section", { "aria-labelledby": "h-admin-links" },
      el("h2", { id: "h-admin-links" }, "Administration"),
      el("ul", { class: "admin-links" },
        el("li", {}, el("a", { href: "#/audit" }, "Audit log"), " — who changed what, and every sign-in"),
        el("li", {}, el("a", { href: "#/users" }, "Users"), " — accounts, roles and passwords"),
        el("li", {}, el("a", { href: "#/tokens?all=1" }, "All users' tokens"), " — see and revoke any token"),
        m ? el("li", {}, el("a", { href: "#/mirror" }, "Mirror"), " — the crates.io cache") : null)));
}
