// The audit log (#/audit, administrators only): who changed what and when, filtered on the
// server by user, action, crate and dates, newest first, a page of 100 at a time. The filters
// live in the address, so back, reload and links keep them.
import { api } from "./api.js";
import { cell, el, emptyState, errorBox, field, loading, replace } from "./dom.js";

const PER_PAGE = 100;
const ACTIONS = [
  "publish", "yank", "unyank", "owner-add", "owner-remove", "import", "crate-limits",
  "token-create", "token-revoke", "user-add", "user-role", "user-disable", "user-enable",
  "user-password", "user-name", "login", "login-failed", "logout", "logout-everywhere",
  "mirror.allow", "mirror.disallow", "audit-prune",
];
const FILTERS = ["user", "action", "crate", "from", "to"];

// "2026-11-20" -> Unix seconds at that day's start (UTC); NaN when not a date.
function dayStart(text) {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(text + "T00:00:00Z") / 1000 : NaN;
}

export async function renderAudit(page) {
  page.setTitle("Audit log");
  const filters = Object.fromEntries(FILTERS.map((k) => [k, page.query.get(k) || ""]));
  const before = page.query.get("before") || "";
  const params = new URLSearchParams({ limit: String(PER_PAGE) });
  for (const key of ["user", "action", "crate"]) if (filters[key]) params.set(key, filters[key]);
  const from = dayStart(filters.from);
  const to = dayStart(filters.to);
  if (!Number.isNaN(from)) params.set("since", String(from));
  if (!Number.isNaN(to)) params.set("until", String(to + 86400)); // the whole last day
  if (/^\d+$/.test(before)) params.set("before", before);

  const form = filterForm(filters);
  const results = el("div", { id: "audit-results" }, loading("Loading the audit log"));
  replace(page.root, el("h1", {}, "Audit log"),
    el("p", {}, "Every change to crates, owners, tokens and users, and every sign-in, with who made it and from where."),
    form, results);

  let data;
  try {
    data = await api("GET", "/api/v1/audit?" + params.toString());
  } catch (error) {
    if (page.isCurrent()) replace(results, errorBox(error, page.rerender));
    return;
  }
  if (!page.isCurrent()) return;
  const events = (data.events || []).slice().reverse();
  const filtered = FILTERS.some((k) => filters[k]);
  if (events.length === 0) {
    replace(results, emptyState(filtered ? "No events match these filters." : "The audit log is empty.",
      filtered ? el("a", { href: "#/audit" }, "Show all events") : null));
    return;
  }
  const olderHash = data.next_before ? hashFor(filters, data.next_before) : "";
  replace(results,
    el("p", { class: "summary", role: "status" },
      `${events.length} ${events.length === 1 ? "event" : "events"}${filtered ? " matching the filters" : ""}` +
      (before ? ", older than the first page" : "") + ", newest first"),
    eventTable(events),
    el("nav", { class: "pager", "aria-label": "Pages of the audit log" },
      before ? el("a", { href: hashFor(filters, ""), class: "button-link secondary" }, "← Newest") : null,
      olderHash ? el("a", { href: olderHash, class: "button-link secondary", id: "audit-older" }, "Older events →") : null));
}

function hashFor(filters, before) {
  const params = new URLSearchParams();
  for (const key of FILTERS) if (filters[key]) params.set(key, filters[key]);
  if (before) params.set("before", String(before));
  const query = params.toString();
  return "#/audit" + (query ? "?" + query : "");
}

function filterForm(filters) {
  const user = el("input", { id: "audit-user", name: "user", value: filters.user, autocomplete: "off",
    autocapitalize: "none", spellcheck: "false", maxlength: 100 });
  const action = el("select", { id: "audit-action", name: "action" },
    el("option", { value: "" }, "Any action"),
    ACTIONS.map((a) => el("option", { value: a, selected: a === filters.action }, a)));
  const crate = el("input", { id: "audit-crate", name: "crate", value: filters.crate, autocomplete: "off",
    spellcheck: "false", maxlength: 100 });
  const from = el("input", { id: "audit-from", name: "from", type: "date", value: filters.from });
  const to = el("input", { id: "audit-to", name: "to", type: "date", value: filters.to });
  const onSubmit = (event) => {
    event.preventDefault();
    const next = { user: user.value.trim(), action: action.value, crate: crate.value.trim(), from: from.value, to: to.value };
    window.location.hash = hashFor(next, "");
  };
  return el("form", { id: "audit-filters", class: "card filters", onsubmit: onSubmit },
    el("div", { class: "form-grid" },
      field("User", user), field("Action", action), field("Crate", crate),
      field("From (UTC)", from), field("To (UTC)", to)),
    el("div", { class: "actions" },
      el("button", { type: "submit" }, "Filter"),
      el("a", { href: "#/audit", class: "button-link secondary" }, "Clear")));
}

function eventTable(events) {
  return el("table", { class: "table-cards audit-table" },
    el("thead", {}, el("tr", {}, ["Time (UTC)", "Action", "User", "Target", "Detail", "From"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, events.map((e) => el("tr", { "data-event-id": e.id },
      cell("Time (UTC)", el("time", { datetime: e.at }, e.at.replace("T", " ").replace("Z", ""))),
      cell("Action", el("span", { class: "tag" }, e.action)),
      cell("User", e.actor || el("span", { class: "muted" }, "—")),
      cell("Target", e.target),
      cell("Detail", e.detail ? el("span", { class: "detail" }, e.detail) : ""),
      cell("From", el("code", {}, e.address))))));
}
