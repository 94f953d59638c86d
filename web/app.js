// The web UI's entry point: checks the session, then routes #/... hashes to pages.
import { loadSession, loadSite, session, signOut, site } from "./js/api.js";
import { el, errorBox, loading, replace } from "./js/dom.js";
import { renderSearch } from "./js/search.js";
import { renderCrate } from "./js/crate.js";
import { renderStart } from "./js/start.js";
import { renderTokens } from "./js/tokens.js";
import { renderUsers } from "./js/users.js";
import { renderAccount } from "./js/account.js";
import { renderSignIn } from "./js/signin.js";
import { renderMirror, renderMirrorCrate } from "./js/mirror.js";

// path pattern -> page. `open` pages render without a session; `admin` ones only for admins.
const ROUTES = [
  { pattern: /^\/$/, nav: "search", render: renderSearch },
  // #/crates/NAME[/VERSION][/TAB]
  { pattern: /^\/crates\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/, nav: "search", render: renderCrate },
  { pattern: /^\/start$/, nav: "start", render: renderStart, open: true },
  { pattern: /^\/tokens$/, nav: "tokens", render: renderTokens },
  { pattern: /^\/users$/, nav: "users", render: renderUsers, admin: true },
  { pattern: /^\/crates-io\/([^/]+)$/, nav: "search", render: renderMirrorCrate },
  { pattern: /^\/mirror$/, nav: "mirror", render: renderMirror, admin: true },
  { pattern: /^\/account$/, nav: "account", render: renderAccount },
];

const main = document.getElementById("main");
let renderCount = 0;

// "#/crates/x?y=1" -> {path: "/crates/x", query: URLSearchParams("y=1")}
function parseHash() {
  const hash = window.location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = hash.split("?");
  return { path: path || "/", query: new URLSearchParams(query) };
}

function findRoute(path) {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (match) return { route, params: match.slice(1).map((p) => p && decodeURIComponent(p)) };
  }
  return null;
}

// Renders the page for the current hash. `focus`: move keyboard focus into the new page.
async function render(focus) {
  const id = ++renderCount;
  const { path, query } = parseHash();
  const found = findRoute(path);
  updateNav(found ? found.route.nav : "");
  const page = {
    root: main,
    params: found ? found.params : [],
    query,
    // False once the user has navigated elsewhere: late replies must not draw over a new page.
    isCurrent: () => id === renderCount,
    setTitle: (title) => { document.title = title ? `${title} · ${siteName()}` : siteName(); },
    rerender: () => render(true),
  };
  page.setTitle("");
  if (!found) {
    replace(main, el("h1", { tabindex: "-1" }, "Page not found"),
      el("p", {}, "There is no page at this address. ", el("a", { href: "#/" }, "Search crates")));
  } else if (!session.user && !found.route.open) {
    renderSignIn(page, () => { renderChrome(); render(true); });
  } else if (found.route.admin && !session.user.admin) {
    replace(main, el("h1", { tabindex: "-1" }, "Administrators only"),
      el("p", {}, "Only administrators can see this page."));
  } else {
    await found.route.render(page);
  }
  if (focus && page.isCurrent()) focusPage();
}

function focusPage() {
  const target = main.querySelector("[data-autofocus]") || main.querySelector("h1");
  if (target) {
    if (!target.hasAttribute("tabindex") && target.tagName === "H1") target.tabIndex = -1;
    target.focus({ preventScroll: false });
  }
}

// The header: which links show, and who is signed in.
function renderChrome() {
  const user = session.user;
  for (const link of document.querySelectorAll("[data-nav]")) {
    const needs = link.dataset.needs;
    link.parentElement.hidden =
      (needs === "user" && !user) || (needs === "admin" && !(user && user.admin));
  }
  document.getElementById("header-search").hidden = !user;
  const who = document.getElementById("who");
  if (!user) {
    replace(who, el("a", { href: "#/", class: "signin-link" }, "Sign in"));
    return;
  }
  replace(who,
    el("span", { class: "who-name" }, user.login, user.admin ? el("span", { class: "badge" }, "admin") : null),
    el("button", { type: "button", class: "secondary small", onclick: onSignOut }, "Sign out"));
}

async function onSignOut(event) {
  event.target.disabled = true;
  try {
    await signOut();
  } catch (error) {
    // Signed out on the server already (expired session): the page still forgets the user.
    session.user = null;
  }
  renderChrome();
  if (window.location.hash === "#/") render(true);
  else window.location.hash = "#/"; // the hashchange renders
}

function updateNav(active) {
  for (const link of document.querySelectorAll("[data-nav]")) {
    if (link.dataset.nav === active) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

// The header's search box, on every page: Enter goes to the search page with the query.
document.getElementById("header-search").addEventListener("submit", (event) => {
  event.preventDefault();
  const q = document.getElementById("header-q").value.trim();
  window.location.hash = q ? "#/?q=" + encodeURIComponent(q) : "#/";
});

// The skip link must not change the route: it only moves focus.
document.getElementById("skip-link").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

// The site is named after the registry (--registry-name), unless that is the default.
function siteName() {
  return site.registryName && site.registryName !== "private" ? site.registryName : "registry";
}

async function start() {
  replace(main, loading());
  // cargo sends people to /me (login_url) when it lacks a token: show them the tokens page.
  if (window.location.pathname === "/me" && !window.location.hash) {
    history.replaceState(null, "", "/#/tokens");
  }
  try {
    await Promise.all([loadSession(), loadSite()]);
  } catch (error) {
    replace(main, el("h1", {}, "registry"), errorBox(error, () => start()));
    return;
  }
  document.querySelector(".brand").lastChild.textContent = " " + siteName();
  renderChrome();
  window.addEventListener("hashchange", () => render(true));
  document.addEventListener("session-ended", () => { renderChrome(); render(true); });
  render(false);
}

start();
