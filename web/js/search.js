// The search page (#/?q=...&sort=...&page=N): search as you type, sorted as chosen, with
// paging. An empty query lists the most recently updated crates.
import { api, site } from "./api.js";
import { crateHref, dateNode, el, emptyState, errorBox, formatNumber, loading, replace } from "./dom.js";
import { cachedSearchSection } from "./mirror.js";

const PER_PAGE = 20;
const DEBOUNCE_MS = 250;
// The server's `sort` values (crates.io's), and what the menu calls them.
const SORTS = [
  ["relevance", "Relevance"],
  ["recent-updates", "Recently updated"],
  ["downloads", "Downloads"],
  ["alpha", "Name"],
];

export function renderSearch(page) {
  page.setTitle("Crates");
  const asked = page.query.get("sort") || "";
  const state = {
    q: page.query.get("q") || "",
    sort: SORTS.some(([value]) => value === asked) ? asked : "relevance",
    page: Math.max(1, Number(page.query.get("page")) || 1),
  };
  let sequence = 0;
  let timer = 0;

  const input = el("input", {
    id: "search-q", type: "search", name: "q", value: state.q, autocomplete: "off",
    spellcheck: "false", placeholder: "Search crates",
    "aria-controls": "search-results", "data-autofocus": true,
  });
  const results = el("div", { id: "search-results", class: "results" });

  // Fetches and draws state.q / state.page; replies to older searches are dropped.
  async function search() {
    if (!page.isCurrent()) return;
    const mine = ++sequence;
    history.replaceState(null, "", hashFor(state));
    results.setAttribute("aria-busy", "true");
    if (!results.firstChild || results.querySelector(".state")) replace(results, loading("Searching"));
    const url = `/api/v1/crates?q=${encodeURIComponent(state.q)}&page=${state.page}&per_page=${PER_PAGE}` +
      (state.sort !== "relevance" ? `&sort=${state.sort}` : "");
    try {
      const data = await api("GET", url);
      if (mine !== sequence || !page.isCurrent()) return;
      drawResults(results, data, state, goToPage);
      // crates.io crates the mirror has cached, after the private ones (first page only).
      const cached = cachedSearchSection(data.cached_crates_io);
      if (cached) results.append(cached);
    } catch (error) {
      if (mine !== sequence || !page.isCurrent()) return;
      replace(results, errorBox(error, search));
    } finally {
      if (mine === sequence) results.removeAttribute("aria-busy");
    }
  }

  function goToPage(n) {
    state.page = n;
    search();
    results.scrollIntoView({ block: "start" });
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = input.value.trim();
      state.page = 1;
      search();
    }, DEBOUNCE_MS);
  });

  const form = el("form", {
    role: "search", class: "search-form",
    onsubmit: (event) => {
      event.preventDefault();
      clearTimeout(timer);
      state.q = input.value.trim();
      state.page = 1;
      search();
    },
  },
  el("label", { for: "search-q", class: "visually-hidden" }, "Search crates"),
  input,
  el("button", { type: "submit" }, "Search"));

  const sort = el("select", { id: "search-sort", name: "sort", "aria-controls": "search-results" },
    SORTS.map(([value, label]) => el("option", { value, selected: value === state.sort }, label)));
  sort.addEventListener("change", () => {
    state.sort = sort.value;
    state.page = 1;
    search();
  });
  const sortRow = el("div", { class: "search-sort" }, el("label", { for: "search-sort" }, "Sort by "), sort);

  replace(page.root, el("h1", {}, "Crates"), form, sortRow, results);
  search();
}

function hashFor(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.sort !== "relevance") params.set("sort", state.sort);
  if (state.page > 1) params.set("page", String(state.page));
  const query = params.toString();
  return "#/" + (query ? "?" + query : "");
}

function drawResults(results, data, state, goToPage) {
  const crates = Array.isArray(data.crates) ? data.crates : [];
  const total = data.meta && typeof data.meta.total === "number" ? data.meta.total : crates.length;
  if (crates.length === 0) {
    replace(results, state.q ? noMatch(state.q, total) : noCrates());
    return;
  }
  const summary = state.q
    ? `${formatNumber(total)} ${total === 1 ? "crate matches" : "crates match"} “${state.q}”`
    : `${formatNumber(total)} ${total === 1 ? "crate" : "crates"}` +
      (state.sort === "relevance" ? ", most recently updated first" : "");
  replace(results,
    el("p", { class: "summary", role: "status" }, summary),
    el("ul", { class: "crate-list" }, crates.map(crateItem)),
    pager(state.page, Math.ceil(total / PER_PAGE), goToPage));
}

function crateItem(crate) {
  return el("li", { class: "crate-item" },
    el("div", { class: "crate-item-head" },
      el("a", { href: crateHref(crate.name), class: "crate-name" }, crate.name),
      el("span", { class: "version" }, crate.max_version)),
    crate.description ? el("p", { class: "description" }, crate.description)
      : el("p", { class: "description muted" }, "No description"),
    el("p", { class: "meta" },
      crate.updated_at ? el("span", {}, "Updated ", dateNode(crate.updated_at)) : null,
      typeof crate.downloads === "number"
        ? el("span", {}, formatNumber(crate.downloads), crate.downloads === 1 ? " download" : " downloads")
        : null));
}

function noMatch(q, total) {
  // A page past the end (an old link) is not the same as no match at all.
  if (total > 0) return emptyState("No crates on this page.", el("a", { href: "#/?q=" + encodeURIComponent(q) }, "First page"));
  return emptyState(`No crates match “${q}”.`,
    el("ul", { class: "suggestions" },
      el("li", {}, "Try other or fewer words: each word must begin a word of a crate's name, keywords or description."),
      el("li", {}, el("a", { href: "#/" }, "List all crates"), " to browse them."),
      el("li", {}, "Not published yet? From the crate's directory run ",
        el("code", {}, `cargo publish --registry ${site.registryName}`), "; ",
        el("a", { href: "#/start" }, "Getting started"), " shows how to set cargo up.")));
}

function noCrates() {
  return emptyState("No crates have been published yet.",
    el("p", {}, "Publish one with ", el("code", {}, `cargo publish --registry ${site.registryName}`),
      "; ", el("a", { href: "#/start" }, "Getting started"), " shows how to set cargo up."));
}

// Previous / "Page X of Y" / Next; nothing for a single page.
function pager(current, pages, goToPage) {
  if (pages <= 1) return null;
  return el("nav", { class: "pager", "aria-label": "Pages of results" },
    el("button", { type: "button", class: "secondary", disabled: current <= 1,
      onclick: () => goToPage(current - 1) }, "← Previous"),
    el("span", { "aria-current": "page" }, `Page ${current} of ${pages}`),
    el("button", { type: "button", class: "secondary", disabled: current >= pages,
      onclick: () => goToPage(current + 1) }, "Next →"));
}
