// The crates.io mirror in the web UI: a cached crates.io crate's page (#/crates-io/NAME), the
// "cached from crates.io" part of search results, and the administrators' Mirror page
// (#/mirror: size, cap, hit rate, last upstream error, allowed names).
import { api } from "./api.js";
import {
  cell, crateLoadFailed, dateNode, el, emptyState, errorBox, errorText, formatBytes, formatNumber,
  loading, messageLine, replace,
} from "./dom.js";

export function mirrorCrateHref(name) {
  return "#/crates-io/" + encodeURIComponent(name);
}

export function cachedBadge() {
  return el("span", { class: "badge cached" }, "cached from crates.io");
}

// The cached crates.io crates a search reply lists (its `cached_crates_io`), as result items;
// null when there are none.
export function cachedSearchSection(crates) {
  if (!Array.isArray(crates) || crates.length === 0) return null;
  return el("section", { class: "cached-results", "aria-labelledby": "h-cached" },
    el("h2", { id: "h-cached" }, "Cached from crates.io"),
    el("ul", { class: "crate-list" }, crates.map((c) => el("li", { class: "crate-item" },
      el("div", { class: "crate-item-head" },
        el("a", { href: mirrorCrateHref(c.name), class: "crate-name" }, c.name),
        el("span", { class: "version" }, c.max_version), cachedBadge()),
      el("p", { class: "meta" },
        el("span", {}, formatNumber(c.versions_cached), c.versions_cached === 1 ? " version" : " versions",
          " cached, ", formatBytes(c.bytes)))))));
}

export async function renderMirrorCrate(page) {
  const [name] = page.params;
  page.setTitle(name);
  replace(page.root, loading(`Loading ${name}`));
  let crate;
  try {
    crate = (await api("GET", `/api/v1/mirror/crates/${encodeURIComponent(name)}`)).crate;
  } catch (error) {
    if (page.isCurrent()) crateLoadFailed(page, name, error);
    return;
  }
  if (!page.isCurrent()) return;
  page.setTitle(`${crate.name} ${crate.max_version}`);
  const versions = crate.versions || [];
  replace(page.root,
    el("header", { class: "crate-header" },
      el("h1", {}, crate.name, " ", el("span", { class: "version" }, crate.max_version), " ", cachedBadge()),
      el("p", { class: "muted" }, "A crates.io crate that this registry's mirror has cached: builds get it ",
        "from here through the crates.io replacement in the cargo config.")),
    el("section", { "aria-labelledby": "h-versions" },
      el("h2", { id: "h-versions" }, "Versions"),
      el("p", {}, `${formatNumber(crate.versions_cached)} of ${formatNumber(versions.length)} cached, ${formatBytes(crate.bytes)}`),
      el("table", { class: "table-cards" },
        el("thead", {}, el("tr", {}, ["Version", "Cached", "Size"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, versions.map((v) => el("tr", { class: v.cached ? "cached" : null },
          cell("Version", v.num, v.yanked ? el("span", { class: "badge yanked" }, "yanked") : null),
          cell("Cached", v.cached ? "yes" : el("span", { class: "muted" }, "no")),
          cell("Size", v.cached ? formatBytes(v.size) : "")))))));
}

export async function renderMirror(page) {
  page.setTitle("Mirror");
  replace(page.root, el("h1", {}, "crates.io mirror"), loading("Loading the mirror"));
  let state;
  try {
    state = await api("GET", "/api/v1/mirror");
  } catch (error) {
    if (page.isCurrent()) replace(page.root, el("h1", {}, "crates.io mirror"), errorBox(error, page.rerender));
    return;
  }
  if (!page.isCurrent()) return;
  if (!state.enabled) {
    replace(page.root, el("h1", {}, "crates.io mirror"), emptyState("The crates.io mirror is not enabled."));
    return;
  }
  const allowedList = el("div", { id: "allowed-list" });
  const status = messageLine();

  async function change(method, name, done, button) {
    if (button) button.disabled = true;
    try {
      state.allowed = (await api(method, `/api/v1/mirror/allowed/${encodeURIComponent(name)}`)).allowed || [];
      drawAllowed();
      status.set(done, "success");
      return true;
    } catch (error) {
      if (button) button.disabled = false;
      status.set(errorText(error), "error");
      return false;
    }
  }

  function drawAllowed() {
    const names = state.allowed || [];
    replace(allowedList, names.length === 0
      ? emptyState("No names allowed: crates.io crates named like a private crate are never served.")
      : el("ul", { class: "allowed-names" }, names.map((n) => {
        const remove = el("button", { type: "button", class: "secondary small" }, "Disallow");
        remove.addEventListener("click", () => change("DELETE", n, `${n} is no longer served from crates.io.`, remove));
        return el("li", { "data-name": n }, el("code", {}, n), " ", remove);
      })));
  }

  const input = el("input", { id: "allow-name", required: true, autocomplete: "off", spellcheck: "false" });
  const submit = el("button", { type: "submit" }, "Allow");
  const form = el("form", { id: "allow-form", class: "inline-form", onsubmit: async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (await change("PUT", name, `${name} is served from crates.io although a private crate has that name.`, submit)) {
      input.value = "";
    }
    submit.disabled = false;
  } },
  el("label", { for: "allow-name" }, "Crate name"), input, submit);

  const reads = state.reads || {};
  drawAllowed();
  replace(page.root,
    el("h1", {}, "crates.io mirror"),
    el("dl", { class: "facts", id: "mirror-facts" },
      fact("Upstream", state.upstream || "off (serving only what is cached)"),
      fact("Cached", `${formatNumber(state.versions)} versions of ${formatNumber(state.crates)} crates, ${formatBytes(state.bytes)}`),
      fact("Size cap", state.max_bytes ? formatBytes(state.max_bytes) + " (least recently used evicted)" : "none"),
      fact("Index files", `${formatNumber(state.index_files)} cached, ${formatNumber(state.missing)} names upstream lacks`),
      fact("Hit rate", `${(100 * (state.hit_rate || 0)).toFixed(1)}% of ${formatNumber((reads.hits || 0) + (reads.misses || 0) + (reads.revalidated || 0) + (reads.stale || 0))} index reads`),
      fact("Upstream errors", formatNumber(state.upstream_errors || 0)),
      fact("Last upstream error", state.last_error
        ? el("span", {}, el("code", {}, state.last_error), state.last_error_at ? [" ", dateNode(state.last_error_at)] : null)
        : "none")),
    el("section", { "aria-labelledby": "h-allowed" },
      el("h2", { id: "h-allowed" }, "Allowed names"),
      el("p", { class: "muted" }, "crates.io crates served although a private crate has their name."),
      status, allowedList, form));
}

function fact(term, value) {
  return [el("dt", {}, term), el("dd", {}, value)];
}
