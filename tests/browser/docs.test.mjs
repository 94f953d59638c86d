// Hosted docs in Debian's chromium, driven by playwright-core, against a running registry that
// tests/e2e/docs_browser_test.sh has given rustdoc output (memchr 2.5.0 and 2.5.1, itoa
// 1.0.1) and a hostile page (evil 0.1.0, another user's crate).
//
//   node tests/browser/docs.test.mjs BASE_URL SIGNAL_DIR
//   env: ADMIN_PASSWORD (required), SCREENSHOT_DIR (default SIGNAL_DIR/screenshots)
//
// Writes SIGNAL_DIR/grant (the docs grant memchr's pages were opened with) for the shell to
// try after the browser has signed out. Every request to another origin is aborted and counted
// as a failure, except images the docs themselves show (a README's badges), which get a
// stand-in. Prints "ok - ..." / "FAIL - ..." lines; exits 1 on any failure.
import { check, checkEq, finish, launchChromium, note, watchPage } from "./harness.mjs";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const [BASE, SIGNALS] = process.argv.slice(2);
if (!BASE || !SIGNALS || !process.env.ADMIN_PASSWORD) {
  console.error("usage: ADMIN_PASSWORD=... node docs.test.mjs BASE_URL SIGNAL_DIR");
  process.exit(2);
}
const ORIGIN = new URL(BASE).origin;
const SHOTS = process.env.SCREENSHOT_DIR || path.join(SIGNALS, "screenshots");
const ADMIN_PASSWORD = process.env.ADMIN_PASSWORD;


// ------------------------------------------------------------------------------ the browser
// Problems seen on any page: console errors (the browser's own, such as a blocked request or
// a sandbox refusal, and the page's), uncaught exceptions, CSP violations, failed or 4xx/5xx
// requests to the registry, and requests to any other origin. Each names the page it came from.
const problems = [];
// Images the docs themselves ask of other hosts (a README's badges, as on docs.rs): answered
// with a stand-in image, and recorded with the Referer they were sent with.
const docsImages = [];
// Requests the hostile page made to the registry, with the cookies they carried.
const hostileRequests = [];

async function launch() {
  const { browser, context } = await launchChromium({ width: 1280, height: 800 });
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(ORIGIN + "/")) return route.continue();
    const from = route.request().frame().url();
    if (route.request().resourceType() === "image" && docsAddress(from).grant) {
      docsImages.push({ url, from, referer: route.request().headers().referer || "" });
      return route.fulfill({ status: 200, contentType: "image/svg+xml",
        body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' });
    }
    problems.push(`request to another origin: ${url}`);
    return route.abort();
  });
  // In every document, the sandboxed docs too: CSP violations become console errors.
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  page.setDefaultNavigationTimeout(15000);
  watchPage(page, ORIGIN, problems);
  page.on("request", (req) => {
    if (req.url().startsWith(ORIGIN + "/") && !req.isNavigationRequest() &&
        docsAddress(page.url()).name === "evil") {
      const headers = Promise.race([req.allHeaders(), new Promise((r) => setTimeout(() => r(null), 2000))]);
      hostileRequests.push(headers.then((h) => ({ request: `${req.method()} ${req.url().replace(ORIGIN, "")}`, cookie: h ? h.cookie || "" : "(headers unknown)" })));
    }
  });
  return { browser, page };
}

// Runs fn, then checks it caused no problem.
async function clean(name, page, fn) {
  const before = problems.length;
  await fn();
  await page.waitForTimeout(100); // late console messages of the last page
  check(`${name}: no console error, CSP violation or failed request`, problems.length === before,
    problems.slice(before).join("\n  "));
}

// A full page load of BASE/#route.
async function load(page, route, ready) {
  await page.goto("about:blank");
  await page.goto(`${BASE}/#${route}`);
  await page.waitForSelector(ready);
  await page.waitForFunction(() => !document.querySelector("main .loading"));
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent()) || "";
}

// A docs page's address: /docs/~GRANT/NAME/VERSION/FILE; null parts when it is not one.
function docsAddress(url) {
  const m = /^\/docs\/~([^/]+)\/([^/]+)\/([^/]+)\/(.*)$/.exec(url.replace(ORIGIN, "").split(/[?#]/)[0]);
  return m ? { grant: m[1], name: m[2], version: m[3], file: m[4] } : { grant: null };
}

// Clicks `selector` and waits for the page at an address ending in `file` to be loaded.
async function follow(page, selector, file) {
  await Promise.all([
    page.waitForURL((u) => u.pathname.endsWith(file), { waitUntil: "load" }),
    page.click(selector),
  ]);
}

// ------------------------------------------------------------------------------ the steps
async function signIn(page) {
  await load(page, "/", "#signin-login");
  await page.fill("#signin-login", "admin");
  await page.fill("#signin-password", ADMIN_PASSWORD);
  await page.press("#signin-password", "Enter");
  await page.waitForSelector("#search-q");
  check("signed in as admin", (await text(page, "#who")).includes("admin"));
}

// The crate page's links: Docs for a version with docs, a muted "no docs uploaded" (and the
// newest docs there are) for one without.
async function crateLinks(page) {
  await load(page, "/crates/memchr", ".crate-links");
  const docs = page.locator(".crate-links a.hosted-docs-link");
  checkEq("the newest version's Docs link goes to /docs/NAME/VERSION/", "/docs/memchr/2.5.1/", await docs.getAttribute("href"));
  checkEq("... reads Docs", "Docs", (await docs.textContent()).trim());
  checkEq("... opens in the same tab (a top-level navigation of this site)", null, await docs.getAttribute("target"));
  checkEq("... first of the crate's links", "Docs", (await text(page, ".crate-links li")).trim());
  await load(page, "/crates/memchr/versions", ".versions li");
  checkEq("the Versions tab links each version's docs", "/docs/memchr/2.5.1/,/docs/memchr/2.5.0/",
    (await page.locator(".versions a.version-docs-link").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).join(","));

  await load(page, "/crates/itoa", ".crate-links");
  checkEq("a version without docs says so", "no docs uploaded", await text(page, ".crate-links .hosted-docs .muted"));
  checkEq("... and links the newest docs there are", "/docs/itoa/latest/",
    await page.getAttribute(".crate-links a.latest-docs-link", "href"));
  checkEq("... and no Docs link", 0, await page.locator(".crate-links a.hosted-docs-link").count());
  await load(page, "/crates/itoa/versions", ".versions li");
  checkEq("the Versions tab links docs only where there are some", "1.0.1",
    (await page.locator(".versions li:has(a.version-docs-link)").evaluateAll((ls) => ls.map((l) => l.dataset.version))).join(","));
  await load(page, "/crates/no-docs", ".crate-links");
  checkEq("a crate without any docs: no docs uploaded", "no docs uploaded", (await text(page, ".crate-links .hosted-docs")).trim());
  checkEq("... and no docs link at all", 0, await page.locator(".crate-links .hosted-docs a").count());
}

// The address /docs/memchr/latest/ led to (with its grant).
let latestDocsUrl = "";

// memchr 2.5.0's docs, opened from its crate page; then rustdoc at work in the sandbox.
async function docsPages(page) {
  await load(page, "/crates/memchr/2.5.0", ".crate-links a.hosted-docs-link");
  await clean("the docs opened from the crate page", page, async () => {
    await follow(page, ".crate-links a.hosted-docs-link", "/memchr/index.html");
    await page.waitForSelector("h1");
  });
  const at = docsAddress(page.url());
  check("the Docs link lands on /docs/~GRANT/memchr/2.5.0/memchr/index.html",
    at.grant && at.name === "memchr" && at.version === "2.5.0" && at.file === "memchr/index.html", page.url());
  writeFileSync(path.join(SIGNALS, "grant"), at.grant || "");
  // The grant is the credential, for this crate only (asked from outside the browser).
  const withGrant = async (crate, version) =>
    (await fetch(`${BASE}/docs/~${at.grant}/${crate}/${version}/${crate}/index.html`)).status;
  checkEq("the grant alone opens memchr's docs", 200, await withGrant("memchr", "2.5.1"));
  checkEq("... but not itoa's", 401, await withGrant("itoa", "1.0.1"));
  check("the crate's heading is visible", await page.locator("h1:has-text('Crate memchr')").isVisible(), await text(page, "h1"));
  checkEq("the sidebar names the version", "2.5.0", await text(page, ".sidebar-crate .version"));
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].map((f) => `${f.family} ${f.weight} ${f.status}`);
  });
  check("rustdoc's fonts load (CORS mode, from the opaque origin)",
    fonts.some((f) => f.endsWith(" loaded")) && !fonts.some((f) => f.endsWith(" error")), fonts.join(", "));
  const main = await page.evaluate(() => getComputedStyle(document.querySelector(".docblock")).fontFamily);
  check("... and are used", /Source Serif 4/.test(main), main);
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, "docs.png") });

  // The sidebar: All Items (in the page), then the module list rustdoc builds from
  // sidebar-items.js.
  await clean("the sidebar", page, async () => {
    await follow(page, "nav.sidebar a#all-types", "/memchr/all.html");
    check("the sidebar's All Items opens the list of items", (await text(page, "h1")).includes("List of all items"), await text(page, "h1"));
    await follow(page, "#main-content a[href='fn.memchr.html']", "/memchr/fn.memchr.html");
    check("an item of the list opens its page", (await text(page, "h1")).includes("memchr"), await text(page, "h1"));
    await page.waitForSelector("#rustdoc-modnav a[href='memmem/index.html']");
    check("the sidebar lists the crate's items (sidebar-items.js ran)",
      await page.locator("#rustdoc-modnav a[href='fn.memrchr.html']").count() === 1);
    await follow(page, "#rustdoc-modnav a[href='memmem/index.html']", "/memchr/memmem/index.html");
    check("a module in the sidebar opens the module's page", (await text(page, "h1")).includes("memmem"), await text(page, "h1"));
    check("... under the same grant", docsAddress(page.url()).grant === at.grant, page.url());
  });

  await clean("a source page", page, async () => {
    await follow(page, "#main-content a.src", ".rs.html");
    check("Source opens a source page", /\/src\/memchr\/memmem\/mod\.rs\.html$/.test(new URL(page.url()).pathname), page.url());
    const code = await text(page, "#main-content pre.rust");
    check("... which shows the code", code.includes("pub struct Finder"), code.slice(0, 200));
    await page.waitForSelector("#src-sidebar .dir-entry", { state: "attached" });
    check("... and the file tree (src-files.js ran)", await page.locator("#src-sidebar a[href$='lib.rs.html']").count() > 0);
  });

  await clean("the settings", page, async () => {
    await page.goBack({ waitUntil: "load" });
    await page.click("rustdoc-toolbar .settings-menu a");
    await page.waitForSelector("#settings .setting-line");
    check("the settings button opens rustdoc's settings", await page.locator("#settings").isVisible());
    await page.check("#sans-serif-fonts");
    check("a setting takes effect", await page.evaluate(() => document.documentElement.classList.contains("sans-serif-fonts")));
    const font = await page.evaluate(() => getComputedStyle(document.querySelector(".docblock")).fontFamily);
    check("... (sans-serif docs)", /Fira Sans/.test(font), font);
    await page.uncheck("#sans-serif-fonts");
    check("... and is undone", !(await page.evaluate(() => document.documentElement.classList.contains("sans-serif-fonts"))));
    // The sandbox has no storage: a theme is chosen through it, so picking one keeps the
    // system's (reported, not failed: it is rustdoc's design, and harmless).
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    await page.check("#theme-dark");
    const after = await page.evaluate(() => document.documentElement.dataset.theme);
    note(`picking the dark theme in the settings: data-theme ${before} -> ${after} (rustdoc keeps the theme in localStorage, which the sandbox lacks)`);
    await page.keyboard.press("Escape");
  });

  await clean("the search", page, async () => {
    await page.click("rustdoc-toolbar #search-button a");
    await page.waitForSelector("input.search-input");
    await page.fill("input.search-input", "memchr");
    await page.waitForSelector("#search .search-results.active a", { timeout: 15000 });
    const results = await page.locator("#search .search-results.active a").count();
    check("a search for memchr finds items (search index loaded)", results >= 1, `${results} results`);
    check("... and the search is in the address (history works in the sandbox)",
      new URL(page.url()).searchParams.get("search") === "memchr", page.url());
    const first = await text(page, "#search .search-results.active a .result-name");
    check("... memchr::memchr among them", (await page.locator("#search .search-results.active a[href$='fn.memchr.html']").count()) > 0, first);
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith("/fn.memchr.html"), { waitUntil: "load" }),
      page.click("#search .search-results.active a[href$='fn.memchr.html']"),
    ]);
    check("a result opens its page", (await text(page, "h1")).includes("memchr"), await text(page, "h1"));
  });

  await clean("/docs/NAME/latest/", page, async () => {
    await page.goto(`${BASE}/docs/memchr/latest/`, { waitUntil: "load" });
    await page.waitForSelector("h1");
  });
  const latest = docsAddress(page.url());
  latestDocsUrl = page.url();
  check("/docs/memchr/latest/ lands on the newest version, 2.5.1",
    latest.grant && latest.version === "2.5.1" && latest.file === "memchr/index.html", page.url());
  checkEq("... whose sidebar says so", "2.5.1", await text(page, ".sidebar-crate .version"));

  await clean("latest docs from the crate page", page, async () => {
    await load(page, "/crates/itoa", ".crate-links a.latest-docs-link");
    await follow(page, ".crate-links a.latest-docs-link", "/itoa/index.html");
  });
  const itoa = docsAddress(page.url());
  check("itoa's latest docs link lands on 1.0.1 (1.0.2 has none)",
    itoa.name === "itoa" && itoa.version === "1.0.1", page.url());
  check("... with a grant of its own", itoa.grant && itoa.grant !== at.grant, page.url());
  check("the README's badges in itoa's docs are asked of their hosts", docsImages.some((i) => i.url.startsWith("https://img.shields.io/")),
    docsImages.map((i) => i.url.slice(0, 60)).join(", "));
  checkEq("... without a Referer (no grant leaves the registry)", "", docsImages.map((i) => i.referer).join(""));
}

// Another user's hostile page, opened by the administrator from the UI: its script gets no
// session, no user data and no cookie, and creates no token.
async function hostilePage(page) {
  await load(page, "/crates/evil", ".crate-links a.hosted-docs-link");
  const before = problems.length;
  await follow(page, ".crate-links a.hosted-docs-link", "/evil/index.html");
  await page.waitForSelector("body[data-done]", { timeout: 15000 });
  await page.waitForTimeout(600); // the browser's reports of the last blocked requests
  const seen = problems.splice(before);
  const onHostile = /\bon \/docs\/~[^/]+\/evil\/0\.1\.0\/evil\/index\.html\)$/;
  note(`the hostile page caused ${seen.length} browser error(s), expected there:\n#   ${seen.join("\n#   ")}`);
  check("... all of them on the hostile page", seen.length > 0 && seen.every((p) => onHostile.test(p)),
    seen.filter((p) => !onHostile.test(p)).join("; "));
  const sent = await Promise.all(hostileRequests);
  check("the hostile page's requests reached the registry", sent.some((r) => r.request.startsWith("POST /api/v1/tokens")),
    sent.map((r) => r.request).join(", "));
  check("... and none carried a cookie", sent.every((r) => r.cookie === "" || r.cookie === "(headers unknown)"),
    JSON.stringify(sent.filter((r) => r.cookie)));
  note(`hostile requests: ${sent.map((r) => `${r.request} cookie=[${r.cookie}]`).join(", ")}`);
  const result = JSON.parse(await text(page, "#result"));
  note(`the hostile page got: ${JSON.stringify(result)}`);
  checkEq("the hostile page runs in an opaque origin", "null", result.origin);
  check("... and saw its grant", result.grant_seen === true);
  for (const key of ["session", "session_include", "tokens", "users", "post_json", "post_form", "grant_as_token"]) {
    const r = result[key] || {};
    const body = r.body || "";
    check(`${key}: the fetch failed or got nothing`,
      Boolean(r.error) || (r.status === 0 && body === "") ||
        (r.status >= 400 && !/login|crg_|"tokens"|"users"|"user"/.test(body)),
      JSON.stringify(r));
  }
  for (const key of ["other_crate_docs", "docs_without_grant"]) {
    const r = result[key] || {};
    check(`${key}: no docs of another crate`, Boolean(r.error) || (r.status !== 200 && !/memchr/.test(r.body || "")), JSON.stringify(r));
  }
  check("document.cookie is empty (or refused)", result.cookie === "" || (result.cookie === undefined && Boolean(result.cookie_error)),
    JSON.stringify({ cookie: result.cookie, error: result.cookie_error }));
  check("localStorage is refused", result.local_storage === undefined && Boolean(result.local_storage_error), JSON.stringify(result.local_storage));
  check("the page is still the hostile page (the form did not navigate it)", page.url().endsWith("/evil/index.html"), page.url());

  await clean("the UI after the hostile page", page, async () => {
    await load(page, "/tokens", "#token-list");
  });
  checkEq("the administrator's token list has no stolen token", 0,
    await page.locator("#token-list tr", { hasText: "stolen" }).count());
  check("... and the administrator is still signed in", (await text(page, "#who")).includes("admin"));
}

// Signing out ends the docs grants too: a docs page opened before then, reloaded, moves on to
// its address without a grant, which asks to sign in.
async function signedOut(page) {
  await load(page, "/", "#who button");
  await page.click("#who button");
  await page.waitForSelector("#signin-login");
  const before = problems.length;
  await page.goto(latestDocsUrl);
  await page.waitForFunction(() => /Sign in to read these docs/.test(document.body.textContent), null, { timeout: 10000 });
  const seen = problems.splice(before);
  check("after signing out, a docs page's old address asks to sign in",
    new URL(page.url()).pathname === "/docs/memchr/2.5.1/memchr/index.html", page.url());
  checkEq("... with a link to the crate page", "/#/crates/memchr", await page.getAttribute("a", "href"));
  check("... the only errors being the two 401s on the way",
    seen.length === 4 && seen.every((p) => /HTTP 401 for GET \/docs\/|status of 401/.test(p)), seen.join("; "));
}

async function main() {
  mkdirSync(SIGNALS, { recursive: true });
  const started = Date.now();
  const { browser, page } = await launch();
  try {
    await signIn(page);
    await crateLinks(page);
    await docsPages(page);
    await hostilePage(page);
    await signedOut(page);
  } catch (error) {
    check("the browser steps ran to the end", false, error.stack || String(error));
  } finally {
    await new Promise((r) => setTimeout(r, 300)); // let late abort reports settle
    await browser.close();
  }
  check("no request left for another origin, no console error, no failed request", problems.length === 0, problems.join("\n  "));
  finish("docs browser", started);
}

main();
