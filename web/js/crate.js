// The crate page (#/crates/NAME[/VERSION][/TAB]): a header, tabs for the README, versions,
// dependencies, dependents and features (each at its own address, as on crates.io), and an
// aside with install lines, facts, owners and downloads. One GET /api/v1/crates/NAME draws
// it; the Dependents tab asks /reverse_dependencies when shown.
import { api, session, site } from "./api.js";
import { downloadsChart } from "./chart.js";
import {
  copyBlock, crateHref, crateLoadFailed, el, externalLink, formatBytes, formatNumber, isHttpUrl,
  loading, messageLine, plainWords, replace, whenNode,
} from "./dom.js";

// Tab -> the address segment after the crate (and version); the README's is none.
const TABS = [
  ["readme", "", "Readme"],
  ["versions", "versions", "Versions"],
  ["dependencies", "dependencies", "Dependencies"],
  ["dependents", "reverse_dependencies", "Dependents"],
  ["features", "features", "Features"],
];
const TAB_BY_SEGMENT = new Map(TABS.filter(([, seg]) => seg).map(([tab, seg]) => [seg, tab]));

// "#/crates/NAME[/VERSION][/SEGMENT]"
export function crateTabHref(name, version, tab) {
  const segment = (TABS.find(([t]) => t === tab) || TABS[0])[1];
  return crateHref(name, version) + (segment ? "/" + segment : "");
}

// The last crate loaded, so switching tabs redraws without asking the server again. Dropped
// after a change made from the page, and after a minute.
let cached = null;
const CACHE_MS = 60000;
// A message to show after the next draw (the outcome of a yank or an owner change).
let flash = null;

// params: [name, VERSION or segment, segment]; versions start with a digit, segments never do.
function parseParams([name, second, third]) {
  if (second && TAB_BY_SEGMENT.has(second) && !third) return { name, version: "", tab: TAB_BY_SEGMENT.get(second) };
  if (third && !TAB_BY_SEGMENT.has(third)) return null;
  return { name, version: second || "", tab: third ? TAB_BY_SEGMENT.get(third) : "readme" };
}

export async function renderCrate(page) {
  const route = parseParams(page.params);
  if (!route) {
    replace(page.root, el("h1", { tabindex: "-1" }, "Page not found"),
      el("p", {}, "The crate page has no such tab. ", el("a", { href: crateHref(page.params[0]) }, page.params[0])));
    return;
  }
  const { name, version, tab } = route;
  page.setTitle(version ? `${name} ${version}` : name);
  const key = `${name}@${version}`;
  let data;
  const fromCache = Boolean(cached && cached.key === key && Date.now() - cached.at < CACHE_MS);
  if (fromCache) {
    data = cached.data;
  } else {
    replace(page.root, loading(`Loading ${name}`));
    try {
      const query = version ? `?version=${encodeURIComponent(version)}` : "";
      data = await api("GET", `/api/v1/crates/${encodeURIComponent(name)}${query}`);
    } catch (error) {
      if (page.isCurrent()) crateLoadFailed(page, name, error, version);
      return;
    }
    if (!page.isCurrent()) return;
    cached = { key, data, at: Date.now() };
  }
  drawCrate(page, data, version, tab, fromCache);
}

// `fromCache`: a tab switch, which keeps the keyboard focus on the tabs.
function drawCrate(page, data, version, tab, fromCache) {
  const crate = data.crate;
  const versions = Array.isArray(data.versions) ? data.versions : [];
  const selected = versions.find((v) => v.num === crate.version) || versions[0] || { num: crate.version };
  const ctx = {
    page, crate, versions, selected, version, fromCache,
    canManage: canManage(crate),
    // After a change: forget the cached crate and draw the page again with `message`.
    changed: (message) => {
      cached = null;
      flash = message;
      page.rerender();
    },
  };
  const title = TABS.find(([t]) => t === tab)[2];
  page.setTitle(`${crate.name} ${selected.num}${tab === "readme" ? "" : " · " + title}`);
  const message = messageLine();
  if (flash) {
    message.set(flash.text, flash.kind);
    message.tabIndex = -1;
    message.dataset.autofocus = "";
    flash = null;
  }
  replace(page.root,
    header(crate, versions, selected),
    tabBar(ctx, tab),
    message,
    el("div", { class: "crate-layout" },
      el("div", { class: "crate-main", id: "crate-panel" }, panel(ctx, tab)),
      el("aside", { class: "crate-aside", "aria-label": "About this crate" },
        installSection(crate, versions, selected),
        aboutSection(crate, selected),
        ownersSection(ctx),
        el("section", { "aria-labelledby": "h-downloads" },
          el("h2", { id: "h-downloads" }, "Downloads"),
          downloadsChart(data.downloads_by_day)))));
}

// Whether the signed-in user may yank and change owners: an owner, or an administrator.
function canManage(crate) {
  const user = session.user;
  if (!user) return false;
  if (user.admin) return true;
  const login = (user.login || "").toLowerCase();
  return (crate.owners || []).some((o) => (o.login || "").toLowerCase() === login);
}

function panel(ctx, tab) {
  switch (tab) {
    case "versions": return versionsSection(ctx);
    case "dependencies": return dependenciesSection(ctx.selected);
    case "dependents": return dependentsSection(ctx);
    case "features": return featuresSection(ctx.selected);
    default: return readmeSection(ctx.crate);
  }
}

// Links, not ARIA tabs: each is an address the back button returns to.
function tabBar(ctx, active) {
  const deps = Array.isArray(ctx.selected.deps) ? ctx.selected.deps.length : 0;
  const features = ctx.selected.features ? Object.keys(ctx.selected.features).length : 0;
  const counts = { versions: ctx.versions.length, dependencies: deps, features };
  return el("nav", { class: "crate-tabs", "aria-label": "Crate sections" },
    TABS.map(([tab, , label]) => el("a", {
      href: crateTabHref(ctx.crate.name, ctx.version, tab),
      "data-tab": tab,
      "aria-current": tab === active ? "page" : null,
      "data-autofocus": tab === active && ctx.fromCache ? true : null,
    }, label, tab in counts ? el("span", { class: "count" }, " ", String(counts[tab])) : null)));
}

function header(crate, versions, selected) {
  return el("header", { class: "crate-header" },
    el("h1", {}, crate.name, " ", el("span", { class: "version" }, selected.num),
      selected.yanked ? el("span", { class: "badge yanked" }, "yanked") : null),
    crate.description ? el("p", { class: "description" }, crate.description) : null,
    selected.yanked ? el("p", { class: "message warning" },
      "This version has been yanked: new lock files will not pick it.") : null,
    selected.num !== crate.max_version
      ? el("p", { class: "muted" }, "The newest version is ",
        el("a", { href: crateHref(crate.name, crate.max_version) }, crate.max_version), ".")
      : null,
    crateLinks(crate, versions, selected),
    categoryList(crate.categories),
    keywordList(crate.keywords));
}

// Hosted docs first, then the crate's own links (which open in a new tab).
function crateLinks(crate, versions, selected) {
  const links = [
    ["Documentation", crate.documentation, "docs-link"],
    ["Repository", crate.repository, "repository-link"],
    ["Homepage", crate.homepage, "homepage-link"],
  ].filter(([, url]) => isHttpUrl(url));
  return el("ul", { class: "crate-links", "aria-label": "Links" },
    el("li", { class: "hosted-docs" }, hostedDocs(crate, versions, selected)),
    links.map(([label, url, cls]) =>
      el("li", {}, el("a", { href: url, class: cls, rel: "noopener noreferrer", target: "_blank", title: url }, label))));
}

// The server's /docs/NAME/VERSION/ address of a version's hosted docs, or "" (none uploaded).
function docsHref(v) {
  return typeof v.docs_url === "string" && v.docs_url.startsWith("/docs/") ? v.docs_url : "";
}

// The shown version's hosted docs; else word that it has none, and the newest docs there are.
// Plain links in this tab: a top-level navigation from this site is what carries the session
// to /docs/, which answers with the docs' own address (a grant for this crate in it).
function hostedDocs(crate, versions, selected) {
  const href = docsHref(selected);
  if (href) {
    return el("a", { href, class: "hosted-docs-link", title: `${crate.name} ${selected.num}'s docs, hosted here` }, "Docs");
  }
  const none = el("span", { class: "muted" }, "no docs uploaded");
  if (!versions.some((v) => !v.yanked && docsHref(v))) return none;
  return [none, " · ", el("a", {
    href: `/docs/${encodeURIComponent(crate.name)}/latest/`, class: "latest-docs-link",
    title: `the docs of ${crate.name}'s newest version that has them`,
  }, "latest docs")];
}

function categoryList(categories) {
  if (!Array.isArray(categories) || categories.length === 0) return null;
  return el("ul", { class: "categories", "aria-label": "Categories" },
    categories.map((c) => el("li", {}, c)));
}

function keywordList(keywords) {
  if (!Array.isArray(keywords) || keywords.length === 0) return null;
  return el("ul", { class: "keywords", "aria-label": "Keywords" },
    keywords.map((k) => el("li", {}, el("a", { href: "#/?q=" + encodeURIComponent(k) }, "#" + k))));
}

// --- README ----------------------------------------------------------------------------------

function readmeSection(crate) {
  const body = crate.readme_html
    ? readmeNode(crate.readme_html)
    : el("p", { class: "state empty" }, `${crate.name} ${crate.version} has no README.`);
  return el("section", { "aria-labelledby": "h-readme" },
    el("h2", { id: "h-readme", class: "visually-hidden" }, "README"), body);
}

// readme_html is sanitized by the server (cmark-gfm in safe mode) and is the only server
// string this UI inserts as HTML. Links and images are tidied so none of them breaks the app.
function readmeNode(html) {
  const container = el("div", { class: "readme markdown" });
  container.innerHTML = html;
  for (const a of container.querySelectorAll("a[href]")) tidyLink(a, container);
  for (const img of container.querySelectorAll("img")) tidyImage(img);
  for (const table of container.querySelectorAll("table")) {
    const scroller = el("div", { class: "table-scroll" });
    table.replaceWith(scroller);
    scroller.append(table);
  }
  highlightCode(container);
  return container;
}

// Code blocks in these languages are highlighted by highlight.js (Debian's libjs-highlight.js,
// embedded in the binary and loaded only for a README that has such a block). Its output
// escapes the code's text, as the server's did.
const kHighlightLanguages = {
  rust: "rust", rs: "rust", toml: "ini", sh: "bash", bash: "bash", shell: "bash",
  console: "shell", json: "json",
};
let highlighter = null;

function loadHighlighter() {
  if (!highlighter) {
    highlighter = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/vendor/highlight.min.js";
      script.onload = () => (window.hljs ? resolve(window.hljs) : reject(new Error("no hljs")));
      script.onerror = () => reject(new Error("highlight.js did not load"));
      document.head.append(script);
    });
  }
  return highlighter;
}

function highlightCode(container) {
  const blocks = [];
  for (const code of container.querySelectorAll("pre > code[class^='language-']")) {
    const language = kHighlightLanguages[code.className.slice("language-".length).toLowerCase()];
    if (language) blocks.push([code, language]);
  }
  if (blocks.length === 0) return;
  loadHighlighter().then((hljs) => {
    for (const [code, language] of blocks) {
      code.innerHTML = hljs.highlight(language, code.textContent, true).value;
      code.classList.add("hljs");
    }
  }, () => {}); // unhighlighted code reads as well
}

function tidyLink(a, container) {
  const href = a.getAttribute("href");
  if (href.startsWith("#")) {
    // An in-README anchor: scroll to it rather than change the app's route.
    a.addEventListener("click", (event) => {
      event.preventDefault();
      // Headings carry "user-content-" before their slug (the server's renderer), footnotes
      // their own ids.
      const id = decodeURIComponent(href.slice(1));
      const target = [...container.querySelectorAll("[id], [name]")]
        .find((n) => n.id === "user-content-" + id || n.id === id || n.getAttribute("name") === id);
      if (target) target.scrollIntoView();
    });
  } else if (isHttpUrl(href) || href.startsWith("mailto:")) {
    a.rel = "noopener noreferrer nofollow";
  } else {
    // A path relative to the crate's repository means nothing on this site.
    a.removeAttribute("href");
    a.classList.add("dead-link");
    a.title = "relative link in the README: " + href;
  }
}

function tidyImage(img) {
  const src = img.getAttribute("src") || "";
  if (isHttpUrl(src) || src.startsWith("data:image/")) {
    img.loading = "lazy";
    img.referrerPolicy = "no-referrer";
    return;
  }
  img.replaceWith(el("span", { class: "muted" }, img.getAttribute("alt") || "[image]"));
}

// --- versions, dependencies, dependents, features --------------------------------------------

function versionsSection(ctx) {
  const { crate, versions, selected } = ctx;
  const message = messageLine();
  const items = versions.map((v) => el("li", { class: v.yanked ? "yanked" : null, "data-version": v.num },
    el("a", { href: crateHref(crate.name, v.num), "aria-current": v.num === selected.num ? "page" : null },
      v.num),
    v.yanked ? el("span", { class: "badge yanked" }, "yanked") : null,
    el("span", { class: "meta" },
      whenNode(v.published_at, { absolute: true }),
      v.published_by ? el("span", {}, "by ", v.published_by) : null,
      el("span", {}, formatNumber(v.downloads), v.downloads === 1 ? " download" : " downloads"),
      el("span", {}, formatBytes(v.size)),
      docsHref(v) ? el("a", { href: docsHref(v), class: "version-docs-link", "aria-label": `docs of ${v.num}` }, "docs") : null),
    ctx.canManage ? yankButton(ctx, v, message) : null));
  return el("section", { "aria-labelledby": "h-versions" },
    el("h2", { id: "h-versions" }, `Versions (${versions.length})`),
    ctx.canManage ? el("p", { class: "small muted" },
      "A yanked version stays downloadable for existing lock files; new ones will not pick it.") : null,
    message,
    el("ol", { class: "versions" }, items));
}

function yankButton(ctx, v, message) {
  const name = ctx.crate.name;
  const path = `/api/v1/crates/${encodeURIComponent(name)}/${encodeURIComponent(v.num)}/`;
  return el("button", {
    type: "button", class: "secondary small yank-button",
    onclick: async (event) => {
      if (!v.yanked && !window.confirm(`Yank ${name} ${v.num}? Projects that lock it keep building; new lock files will not pick it.`)) return;
      event.target.disabled = true;
      try {
        if (v.yanked) await api("PUT", path + "unyank");
        else await api("DELETE", path + "yank");
      } catch (error) {
        event.target.disabled = false;
        message.set(`Could not ${v.yanked ? "unyank" : "yank"} ${v.num}: ${plainWords(error)}`, "error");
        return;
      }
      ctx.changed({ text: `${name} ${v.num} is ${v.yanked ? "no longer yanked" : "yanked"}.`, kind: "success" });
    },
  }, v.yanked ? "Unyank" : "Yank");
}

const DEP_KINDS = [["normal", "Dependencies"], ["build", "Build dependencies"], ["dev", "Dev dependencies"]];

function dependenciesSection(selected) {
  const deps = Array.isArray(selected.deps) ? selected.deps : [];
  const groups = DEP_KINDS.map(([kind, title]) => {
    const list = deps.filter((d) => (d.kind || "normal") === kind);
    if (list.length === 0) return null;
    return el("div", { class: "dep-group" },
      el("h3", {}, title, " ", el("span", { class: "count" }, `(${list.length})`)),
      el("ul", { class: "deps" }, list.map(depItem)));
  });
  return el("section", { "aria-labelledby": "h-deps" },
    el("h2", { id: "h-deps" }, `Dependencies of ${selected.num}`),
    deps.length ? groups : el("p", { class: "state empty" }, "No dependencies."));
}

// `name` is the crate depended on; `package`, when set, is the name it goes by in Cargo.toml.
function depItem(dep) {
  const onThisRegistry = !dep.registry;
  const features = Array.isArray(dep.features) ? dep.features : [];
  return el("li", { "data-dep": dep.name },
    onThisRegistry ? el("a", { href: crateHref(dep.name) }, dep.name) : el("span", {}, dep.name),
    " ", el("code", { class: "req" }, dep.req),
    dep.package && dep.package !== dep.name ? el("span", { class: "tag" }, "as ", dep.package) : null,
    dep.optional ? el("span", { class: "tag" }, "optional") : null,
    dep.default_features === false ? el("span", { class: "tag no-default" }, "default-features = false") : null,
    features.length ? el("span", { class: "tag dep-features" }, "features: ", features.join(", ")) : null,
    dep.target ? el("span", { class: "tag" }, "only for ", dep.target) : null,
    onThisRegistry ? null : el("span", { class: "tag", title: dep.registry }, "other registry"));
}

const DEPENDENTS_PER_PAGE = 20;

// Asked of the server only on this tab: most crate pages never need it.
function dependentsSection(ctx) {
  const { crate, page } = ctx;
  const pageNumber = Math.max(1, Number.parseInt(page.query.get("page") || "1", 10) || 1);
  const body = el("div", { class: "dependents-body" }, loading("Loading dependents"));
  const section = el("section", { "aria-labelledby": "h-dependents" },
    el("h2", { id: "h-dependents" }, `Crates that depend on ${crate.name}`), body);
  const path = `/api/v1/crates/${encodeURIComponent(crate.name)}/reverse_dependencies` +
    `?per_page=${DEPENDENTS_PER_PAGE}&page=${pageNumber}`;
  api("GET", path).then((data) => {
    if (!page.isCurrent()) return;
    const list = Array.isArray(data.dependents) ? data.dependents : [];
    const total = (data.meta && data.meta.total) || 0;
    if (total === 0) {
      replace(body, el("p", { class: "state empty" },
        `No crate on this registry depends on ${crate.name} in its newest version.`));
      return;
    }
    const pages = Math.ceil(total / DEPENDENTS_PER_PAGE);
    const href = (n) => crateTabHref(crate.name, ctx.version, "dependents") + (n > 1 ? `?page=${n}` : "");
    replace(body,
      el("p", { class: "summary" }, total === 1 ? "1 crate" : `${formatNumber(total)} crates`,
        " depend on it in their newest version."),
      el("ul", { class: "dependents crate-list" }, list.map((d) => el("li", { class: "crate-item", "data-dependent": d.name },
        el("div", { class: "crate-item-head" },
          el("a", { class: "crate-name", href: crateHref(d.name) }, d.name),
          el("span", { class: "version" }, d.version),
          (d.uses || []).map((u) => el("span", { class: "tag dependent-req" },
            el("code", {}, u.req), u.kind && u.kind !== "normal" ? ` ${u.kind}` : "", u.optional ? " optional" : ""))),
        d.description ? el("p", { class: "description" }, d.description) : null,
        el("p", { class: "meta" }, `${formatNumber(d.downloads)} downloads`)))),
      pages > 1 ? el("nav", { class: "pager", "aria-label": "Pages of dependents" },
        pageNumber > 1 ? el("a", { href: href(pageNumber - 1) }, "Previous") : null,
        el("span", {}, `Page ${pageNumber} of ${pages}`),
        pageNumber < pages ? el("a", { href: href(pageNumber + 1) }, "Next") : null) : null);
  }, (error) => {
    if (page.isCurrent()) replace(body, el("p", { class: "message error", role: "alert" }, plainWords(error)));
  });
  return section;
}

function featuresSection(selected) {
  const features = selected.features && typeof selected.features === "object" ? selected.features : {};
  const names = Object.keys(features).sort((a, b) => (a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b)));
  return el("section", { "aria-labelledby": "h-features" },
    el("h2", { id: "h-features" }, `Features of ${selected.num}`),
    names.length === 0 ? el("p", { class: "state empty" }, "No features.") :
      el("dl", { class: "features" }, names.map((n) => [
        el("dt", {}, n),
        el("dd", {}, features[n].length ? features[n].map((f) => el("code", {}, f)) : el("span", { class: "muted" }, "enables nothing else")),
      ])));
}

// --- the aside -------------------------------------------------------------------------------

function isPrerelease(num) {
  return num.split("+")[0].includes("-");
}

// What the install box offers: the version shown unless it is yanked (cargo refuses a yanked
// version in a new requirement), else the newest version that is not, pre-releases only when a
// pre-release is shown. `versions` is newest first.
function installableVersion(versions, selected) {
  if (!selected.yanked) return selected;
  const pre = isPrerelease(selected.num);
  return versions.find((v) => !v.yanked && (pre || !isPrerelease(v.num))) || null;
}

function installSection(crate, versions, selected) {
  const reg = site.registryName;
  const target = installableVersion(versions, selected);
  const section = [el("h2", { id: "h-install" }, "Install")];
  if (!target) {
    section.push(el("p", { class: "message warning" },
      `Every version of ${crate.name} is yanked: there is nothing to install.`));
    return el("section", { "aria-labelledby": "h-install" }, section);
  }
  const newestStable = versions.find((v) => !v.yanked && !isPrerelease(v.num));
  const spec = newestStable && target.num === newestStable.num ? crate.name : `${crate.name}@${target.num}`;
  if (target !== selected) {
    section.push(el("p", { class: "small" }, `${selected.num} is yanked; this installs ${target.num}.`));
  }
  // bin_names and has_lib null: published before targets were recorded; nothing is claimed.
  const bins = Array.isArray(target.bin_names) ? target.bin_names : [];
  if (bins.length) {
    section.push(
      el("p", { class: "small" }, bins.length === 1 ? `Install the ${bins[0]} binary:` : `Install the binaries (${bins.join(", ")}):`),
      copyBlock(`cargo install ${spec} --registry ${reg}`, "the cargo install command"));
  }
  // has_lib false: a binary crate, which a project cannot depend on (cargo would ignore it).
  if (target.has_lib === false) {
    if (!bins.length) section.push(el("p", { class: "small muted" }, `${crate.name} ${target.num} has no library or binary to use.`));
    return el("section", { "aria-labelledby": "h-install" }, section);
  }
  section.push(
    el("p", { class: "small" }, bins.length ? "or use it as a library in your project:" : "Run in your project:"),
    copyBlock(`cargo add ${spec} --registry ${reg}`, "the cargo add command"),
    el("p", { class: "small" }, "or add to Cargo.toml:"),
    copyBlock(`${crate.name} = { version = "${target.num}", registry = "${reg}" }`, "the Cargo.toml line"));
  return el("section", { "aria-labelledby": "h-install" }, section);
}

function aboutSection(crate, selected) {
  const rows = [
    ["Version", selected.num],
    ["Published", el("span", {}, whenNode(selected.published_at),
      selected.published_by ? ` by ${selected.published_by}` : "")],
    ["License", crate.license || selected.license || el("span", { class: "muted" }, "not given")],
    ["Rust version", selected.rust_version || null],
    ["Size", formatBytes(selected.size)],
    ["Downloads", el("span", {}, formatNumber(selected.downloads), " of this version, ",
      formatNumber(crate.downloads), " in all")],
    ["Repository", linkOrNull(crate.repository)],
    ["Homepage", linkOrNull(crate.homepage)],
    ["First published", whenNode(crate.created_at)],
    ["Updated", whenNode(crate.updated_at)],
  ].filter(([, value]) => value !== null && value !== undefined && value !== "");
  return el("section", { "aria-labelledby": "h-about" },
    el("h2", { id: "h-about" }, "About"),
    el("dl", { class: "facts" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
}

// A URL cut off at the edge, never broken mid-word (the title has it whole).
function linkOrNull(url) {
  if (!url) return null;
  const link = externalLink(url, url.replace(/^https?:\/\//, ""));
  if (link && link.tagName === "A") {
    link.classList.add("url");
    link.title = url;
  }
  return link;
}

function ownersSection(ctx) {
  const { crate } = ctx;
  const owners = Array.isArray(crate.owners) ? crate.owners : [];
  const message = messageLine();
  const path = `/api/v1/crates/${encodeURIComponent(crate.name)}/owners`;
  const change = async (method, login, button) => {
    button.disabled = true;
    try {
      await api(method, path, { users: [login] });
    } catch (error) {
      button.disabled = false;
      message.set(`Could not ${method === "PUT" ? "add" : "remove"} ${login}: ${plainWords(error)}`, "error");
      return false;
    }
    ctx.changed({ text: method === "PUT" ? `${login} is now an owner of ${crate.name}.` : `${login} is no longer an owner of ${crate.name}.`, kind: "success" });
    return true;
  };
  const items = owners.map((o) => el("li", { "data-owner": o.login },
    el("span", { class: "avatar", "aria-hidden": "true" }, (o.login || "?").slice(0, 1).toUpperCase()),
    el("span", { class: "owner-name" }, o.name && o.name !== o.login ? `${o.name} (${o.login})` : o.login),
    // The server refuses to remove the last owner: the button says so before anyone tries.
    ctx.canManage ? el("button", {
      type: "button", class: "danger small", "aria-label": `Remove owner ${o.login}`,
      disabled: owners.length < 2,
      title: owners.length < 2 ? "A crate needs at least one owner: add another first" : null,
      onclick: (event) => {
        if (window.confirm(`Remove ${o.login} as an owner of ${crate.name}?`)) change("DELETE", o.login, event.target);
      },
    }, "Remove") : null));
  let form = null;
  if (ctx.canManage) {
    const input = el("input", { id: "owner-login", name: "login", autocomplete: "off", required: true,
      placeholder: "login", "aria-label": "Login of the new owner" });
    const submit = el("button", { type: "submit", class: "secondary small" }, "Add owner");
    form = el("form", { class: "owner-form", id: "owner-form", onsubmit: (event) => {
      event.preventDefault();
      const login = input.value.trim();
      if (login) change("PUT", login, submit);
    } }, input, submit);
  }
  return el("section", { "aria-labelledby": "h-owners" },
    el("h2", { id: "h-owners" }, "Owners"),
    owners.length === 0 ? el("p", { class: "muted" }, "No owners.") : el("ul", { class: "owners" }, items),
    form, message);
}
