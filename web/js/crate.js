// The crate page (#/crates/NAME[/VERSION]): README, versions, dependencies, features, owners,
// links, download counts and install lines, all from one GET /api/v1/crates/NAME.
import { api, site } from "./api.js";
import { downloadsChart } from "./chart.js";
import {
  copyBlock, crateHref, crateLoadFailed, dateNode, el, externalLink, formatBytes, formatNumber, isHttpUrl,
  loading, replace,
} from "./dom.js";

export async function renderCrate(page) {
  const [name, version] = page.params;
  page.setTitle(version ? `${name} ${version}` : name);
  replace(page.root, loading(`Loading ${name}`));
  let data;
  try {
    const query = version ? `?version=${encodeURIComponent(version)}` : "";
    data = await api("GET", `/api/v1/crates/${encodeURIComponent(name)}${query}`);
  } catch (error) {
    if (page.isCurrent()) crateLoadFailed(page, name, error, version);
    return;
  }
  if (!page.isCurrent()) return;
  const crate = data.crate;
  const versions = Array.isArray(data.versions) ? data.versions : [];
  const selected = versions.find((v) => v.num === crate.version) || versions[0] || { num: crate.version };
  page.setTitle(`${crate.name} ${selected.num}`);
  replace(page.root,
    header(crate, selected),
    el("div", { class: "crate-layout" },
      el("div", { class: "crate-main" },
        readmeSection(crate),
        versionsSection(crate, versions, selected),
        dependenciesSection(selected),
        featuresSection(selected)),
      el("aside", { class: "crate-aside", "aria-label": "About this crate" },
        installSection(crate, versions, selected),
        aboutSection(crate, selected),
        ownersSection(crate),
        el("section", { "aria-labelledby": "h-downloads" },
          el("h2", { id: "h-downloads" }, "Downloads"),
          downloadsChart(data.downloads_by_day)))));
}

function header(crate, selected) {
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
    keywordList(crate.keywords));
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

// --- versions, dependencies, features --------------------------------------------------------

function versionsSection(crate, versions, selected) {
  const items = versions.map((v) => el("li", { class: v.yanked ? "yanked" : null },
    el("a", { href: crateHref(crate.name, v.num), "aria-current": v.num === selected.num ? "page" : null },
      v.num),
    v.yanked ? el("span", { class: "badge yanked" }, "yanked") : null,
    el("span", { class: "meta" },
      dateNode(v.published_at),
      v.published_by ? el("span", {}, "by ", v.published_by) : null,
      el("span", {}, formatNumber(v.downloads), v.downloads === 1 ? " download" : " downloads"),
      el("span", {}, formatBytes(v.size)))));
  return el("section", { "aria-labelledby": "h-versions" },
    el("h2", { id: "h-versions" }, `Versions (${versions.length})`),
    el("ol", { class: "versions" }, items));
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
  return el("li", {},
    onThisRegistry ? el("a", { href: crateHref(dep.name) }, dep.name) : el("span", {}, dep.name),
    " ", el("code", { class: "req" }, dep.req),
    dep.package && dep.package !== dep.name ? el("span", { class: "tag" }, "as ", dep.package) : null,
    dep.optional ? el("span", { class: "tag" }, "optional") : null,
    dep.target ? el("span", { class: "tag" }, "only for ", dep.target) : null,
    onThisRegistry ? null : el("span", { class: "tag", title: dep.registry }, "other registry"));
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
  section.push(
    el("p", { class: "small" }, "Run in your project:"),
    copyBlock(`cargo add ${spec} --registry ${reg}`, "the cargo add command"),
    el("p", { class: "small" }, "or add to Cargo.toml:"),
    copyBlock(`${crate.name} = { version = "${target.num}", registry = "${reg}" }`, "the Cargo.toml line"));
  return el("section", { "aria-labelledby": "h-install" }, section);
}

function aboutSection(crate, selected) {
  const rows = [
    ["Version", selected.num],
    ["Published", el("span", {}, dateNode(selected.published_at),
      selected.published_by ? ` by ${selected.published_by}` : "")],
    ["License", crate.license || selected.license || el("span", { class: "muted" }, "not given")],
    ["Rust version", selected.rust_version || null],
    ["Size", formatBytes(selected.size)],
    ["Downloads", el("span", {}, formatNumber(selected.downloads), " of this version, ",
      formatNumber(crate.downloads), " in all")],
    ["Repository", linkOrNull(crate.repository)],
    ["Homepage", linkOrNull(crate.homepage)],
    ["Documentation", linkOrNull(crate.documentation)],
    ["First published", dateNode(crate.created_at)],
  ].filter(([, value]) => value !== null && value !== undefined && value !== "");
  return el("section", { "aria-labelledby": "h-about" },
    el("h2", { id: "h-about" }, "About"),
    el("dl", { class: "facts" }, rows.map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])));
}

function linkOrNull(url) {
  if (!url) return null;
  return externalLink(url, url.replace(/^https?:\/\//, ""));
}

function ownersSection(crate) {
  const owners = Array.isArray(crate.owners) ? crate.owners : [];
  return el("section", { "aria-labelledby": "h-owners" },
    el("h2", { id: "h-owners" }, "Owners"),
    owners.length === 0 ? el("p", { class: "muted" }, "No owners.") :
      el("ul", { class: "owners" }, owners.map((o) => el("li", {},
        el("span", { class: "avatar", "aria-hidden": "true" }, (o.login || "?").slice(0, 1).toUpperCase()),
        o.name && o.name !== o.login ? `${o.name} (${o.login})` : o.login))));
}
