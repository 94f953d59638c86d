// Building DOM nodes safely: server strings always become text nodes, never HTML.

// el("a", {href: "#/x", class: "btn"}, "text", childNode, [more, children])
// Attributes: `class`, `text`, `on<event>` (a function), booleans (true sets, false omits),
// anything else through setAttribute. Children: strings become text nodes; null is skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

const SVG_NS = "http://www.w3.org/2000/svg";

// The same for SVG elements (no event handlers needed there).
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  append(node, children);
  return node;
}

function setAttributes(node, attrs) {
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "text") {
      node.textContent = value;
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces everything inside `node` with `children`.
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// An http(s) URL as a link that opens outside the app; anything else as plain text.
export function externalLink(url, text = url) {
  if (!isHttpUrl(url)) return text ? el("span", {}, text) : null;
  return el("a", { href: url, rel: "noopener noreferrer nofollow" }, text);
}

export function isHttpUrl(url) {
  if (typeof url !== "string") return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:";
  } catch {
    return false;
  }
}

// "#/crates/NAME/VERSION" with each part encoded.
export function crateHref(name, version) {
  let href = "#/crates/" + encodeURIComponent(name);
  if (version) href += "/" + encodeURIComponent(version);
  return href;
}

// --- states shared by every page -------------------------------------------------------------

export function loading(what = "Loading") {
  return el("p", { class: "state loading", role: "status", "aria-live": "polite" }, what + "…");
}

// An error box with the server's detail; `retry` (optional) re-runs the page.
export function errorBox(error, retry) {
  return el(
    "div",
    { class: "state error", role: "alert" },
    el("p", {}, el("strong", {}, "Error: "), errorText(error)),
    retry ? el("button", { type: "button", class: "secondary", onclick: retry }, "Try again") : null,
  );
}

// A crate page whose data could not be loaded. Not found (404) is a page saying what is not
// here and where to look instead, not an error to retry; anything else shows the error with a
// retry and a way back.
export function crateLoadFailed(page, name, error, version) {
  if (error && error.status === 404) {
    page.setTitle("Not found");
    replace(page.root,
      el("h1", { tabindex: "-1" }, version ? `${name} ${version} not found` : `${name} not found`),
      el("p", {}, version
        ? [`${name} has no version ${version}. `, el("a", { href: crateHref(name) }, `See ${name}'s versions`), "."]
        : [`No crate named ${name} is here, or your token's crate patterns do not include it. `,
          el("a", { href: "#/?q=" + encodeURIComponent(name) }, `Search for “${name}”`), "."]));
    return;
  }
  replace(page.root, el("h1", {}, name), errorBox(error, page.rerender),
    el("p", {}, el("a", { href: "#/" }, "← Back to search")));
}

export function errorText(error) {
  return error && error.message ? error.message : String(error);
}

export function emptyState(text, ...more) {
  return el("div", { class: "state empty" }, el("p", {}, text), ...more);
}

// A paragraph for form feedback: set(text, kind) shows it, set("") hides it.
export function messageLine() {
  const node = el("p", { class: "message", role: "status", "aria-live": "polite", hidden: true });
  node.set = (text, kind = "info") => {
    node.textContent = text;
    node.className = "message " + kind;
    node.setAttribute("role", kind === "error" ? "alert" : "status");
    node.hidden = !text;
  };
  return node;
}

// <label> + control (+ hint), stacked. The control needs an id.
export function field(labelText, control, hint) {
  const hintNode = hint ? el("span", { class: "hint", id: control.id + "-hint" }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return el("div", { class: "field" }, el("label", { for: control.id }, labelText), control, hintNode);
}

// A table cell that, in the narrow card layout (style.css), shows its column name first.
export function cell(label, ...content) {
  return el("td", { "data-label": label }, ...content);
}

// --- formatting ------------------------------------------------------------------------------

export function formatNumber(n) {
  return typeof n === "number" ? n.toLocaleString("en-US") : "—";
}

export function formatBytes(n) {
  if (typeof n !== "number") return "—";
  if (n < 1024) return n + " B";
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + " KiB";
  return (n / (1024 * 1024)).toFixed(1) + " MiB";
}

const DATE_FORMAT = new Intl.DateTimeFormat("en-US", {
  year: "numeric", month: "short", day: "numeric", timeZone: "UTC",
});

// "Nov 20, 2026" inside a <time> whose title is the full UTC time; "—" for null.
export function dateNode(iso) {
  if (!iso) return el("span", { class: "muted" }, "—");
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el("span", {}, iso);
  return el("time", { datetime: iso, title: iso.replace("T", " ").replace("Z", " UTC") },
    DATE_FORMAT.format(date));
}

// --- copying ---------------------------------------------------------------------------------

// Copies text to the clipboard; falls back to a selection for plain-http sites, where
// navigator.clipboard does not exist.
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the selection fallback
    }
  }
  const area = el("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

// A <pre> showing `text` with a Copy button beside it.
export function copyBlock(text, label) {
  const status = el("span", { class: "copy-status", role: "status", "aria-live": "polite" });
  const button = el("button", {
    type: "button", class: "copy secondary", "aria-label": "Copy " + label,
    onclick: async () => {
      const ok = await copyText(text);
      status.textContent = ok ? "Copied" : "Select the text and copy it";
      setTimeout(() => { status.textContent = ""; }, 2000);
    },
  }, "Copy");
  return el("div", { class: "copy-block" },
    el("pre", {}, el("code", {}, text)),
    el("div", { class: "copy-actions" }, button, status));
}

// --- times, for pages where many events fall on one day --------------------------------------

const DATE_TIME_FORMAT = new Intl.DateTimeFormat("en-US", {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit",
  second: "2-digit", hourCycle: "h23", timeZone: "UTC",
});
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const RELATIVE_STEPS = [
  [60, 1, "second"], [3600, 60, "minute"], [86400, 3600, "hour"], [86400 * 30, 86400, "day"],
  [86400 * 365, 86400 * 30, "month"], [Infinity, 86400 * 365, "year"],
];

// "Dec 1, 2026, 14:03:05 UTC"
export function formatDateTime(date) {
  return DATE_TIME_FORMAT.format(date) + " UTC";
}

// "3 hours ago", "yesterday", "just now" for `date` as seen at `now` (ms).
export function relativeTime(date, now = Date.now()) {
  const seconds = (date.getTime() - now) / 1000;
  if (Math.abs(seconds) < 45) return "just now";
  for (const [limit, unit, name] of RELATIVE_STEPS) {
    if (Math.abs(seconds) < limit) return RELATIVE.format(Math.round(seconds / unit), name);
  }
  return "";
}

// A <time> reading "3 hours ago" whose title is the exact UTC time; with `absolute`, the
// date and time follow it visibly, so events of one day (a release train) tell apart. "—" for
// null.
export function whenNode(iso, { absolute = false } = {}) {
  if (!iso) return el("span", { class: "muted" }, "—");
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return el("span", {}, iso);
  const exact = iso.replace("T", " ").replace("Z", " UTC");
  const relative = el("time", { datetime: iso, title: exact, class: "relative" }, relativeTime(date));
  if (!absolute) return relative;
  return el("span", { class: "when" }, relative, " ",
    el("span", { class: "absolute muted" }, formatDateTime(date)));
}

// The server's error detail for people: its `code` quotes dropped ("user `bob`" -> "user bob").
export function plainWords(error) {
  return errorText(error).replace(/`/g, "");
}
