// The web UI in Debian's chromium, driven by playwright-core, against a running registry that
// tests/e2e/browser_test.sh has filled with crates published by cargo.
//
//   node tests/browser/ui.test.mjs BASE_URL SIGNAL_DIR
//   env: ADMIN_PASSWORD (required), SCREENSHOT_DIR (default SIGNAL_DIR/screenshots),
//        ALL_SCREENSHOTS=1 (also full-page shots of every page at both widths, in SCREENSHOT_DIR/all)
//
// It hands the shell a token and waits for cargo to use it through files in SIGNAL_DIR:
// writes token.secret, waits for cargo.done, revokes the token, writes token.revoked.
// Every request to another origin is aborted (and counted as a failure): the UI must need
// nothing from the internet. Prints "ok - ..." / "FAIL - ..." lines; exits 1 on any failure.
import { check, checkEq, finish, launchChromium, watchPage } from "./harness.mjs";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

const [BASE, SIGNALS] = process.argv.slice(2);
if (!BASE || !SIGNALS || !process.env.ADMIN_PASSWORD) {
  console.error("usage: ADMIN_PASSWORD=... node ui.test.mjs BASE_URL SIGNAL_DIR");
  process.exit(2);
}
const ORIGIN = new URL(BASE).origin;
const SHOTS = process.env.SCREENSHOT_DIR || path.join(SIGNALS, "screenshots");
const CRATE = "ui-demo";
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 375, height: 812 };
let adminPassword = process.env.ADMIN_PASSWORD;


// ------------------------------------------------------------------------------ the browser
// Problems seen on the page: console errors, uncaught exceptions, failed or 4xx/5xx requests to
// the registry, and requests to any other origin.
const problems = [];
const apiRequests = [];
const REPOSITORY = "https://git.example.com/ui-demo";
const repositoryRequests = [];
const registryRequests = [];

async function launch() {
  const { browser, context } = await launchChromium(WIDE);
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: ORIGIN });
  // The network is cut off: only the registry answers. The demo crate's README image is asked
  // of its repository, as on crates.io: that host gets a stand-in image, and the request is
  // recorded, not counted as a problem.
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(ORIGIN + "/")) return route.continue();
    if (url.startsWith(REPOSITORY + "/")) {
      repositoryRequests.push(url);
      return route.fulfill({ status: 200, contentType: "image/svg+xml",
        body: '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>' });
    }
    problems.push(`request to another origin: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  watchPage(page, ORIGIN, problems);
  page.on("request", (req) => {
    if (req.url().startsWith(ORIGIN + "/api/")) apiRequests.push(`${req.method()} ${req.url().slice(ORIGIN.length)}`);
    if (req.url().startsWith(ORIGIN + "/")) registryRequests.push(req.url().slice(ORIGIN.length));
  });
  return { browser, page };
}

// Runs fn; problems it causes that `expected` accepts are dropped, and must have happened.
async function expectProblems(name, expected, fn) {
  const before = problems.length;
  await fn();
  const fresh = problems.splice(before);
  const unexpected = fresh.filter((p) => !expected.some((re) => re.test(p)));
  check(`${name}: only the expected errors`, unexpected.length === 0, unexpected.join("; "));
  problems.push(...unexpected);
}

// A full page load of BASE/#route (app start: session check, then the page).
async function load(page, route, ready) {
  await page.goto("about:blank");
  apiRequests.length = 0;
  await page.goto(`${BASE}/#${route}`);
  await page.waitForSelector(ready);
  await page.waitForFunction(() => !document.querySelector("main .loading"));
}

async function text(page, selector) {
  return (await page.locator(selector).first().textContent()) || "";
}

async function waitForFile(file, seconds) {
  for (let i = 0; i < seconds * 10; i++) {
    if (existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

// ------------------------------------------------------------------------------ the steps
async function signedOut(page) {
  await load(page, "/", "#signin-login");
  check("signed out: the sign-in form shows instead of the search", await page.isVisible("#signin-password"));
  check("signed out: no Tokens or Users in the menu",
    (await page.isHidden("a[data-nav=tokens]")) && (await page.isHidden("a[data-nav=users]")));
  await load(page, "/start", "main h1");
  const config = await text(page, "main pre");
  check("signed out: Getting started shows this server's cargo config",
    config.includes(`[registries.private]\nindex = "sparse+${BASE}/index/"\ncredential-provider = "cargo:token"`), config);
  check("signed out: ... with the crates.io mirror replacing crates-io",
    config.includes(`[registries.private-crates-io]\nindex = "sparse+${BASE}/crates-io/index/"\ncredential-provider = "cargo:token"\n[source.crates-io]\nreplace-with = "private-crates-io"`), config);
}

async function signIn(page, login, password) {
  await load(page, "/", "#signin-login");
  await page.fill("#signin-login", login);
  await page.fill("#signin-password", password);
  await page.press("#signin-password", "Enter");
  await page.waitForSelector("#search-q");
}

async function signOut(page) {
  await page.click("#who button");
  await page.waitForSelector("#signin-login");
}

async function signInAsAdmin(page) {
  await load(page, "/", "#signin-login");
  await expectProblems("a wrong password", [/403/, /status of 403/], async () => {
    await page.fill("#signin-login", "admin");
    await page.fill("#signin-password", "not-the-password");
    await page.press("#signin-password", "Enter");
    await page.waitForSelector("form .message.error:not([hidden])");
  });
  const detail = await text(page, "form .message.error");
  check("a wrong password shows the server's detail", detail.length > 0 && !detail.startsWith("the registry answered"), detail);
  await page.fill("#signin-password", adminPassword);
  await page.press("#signin-password", "Enter"); // Enter submits
  await page.waitForSelector("#search-q");
  check("signed in: the header names admin", (await text(page, "#who")).includes("admin"));
  check("signed in as admin: Users is in the menu", await page.isVisible("a[data-nav=users]"));
}

async function waitForSummary(page, needle) {
  await page.waitForFunction((n) => (document.querySelector(".summary")?.textContent || "").includes(n), needle);
}

async function search(page) {
  await page.waitForSelector(".crate-list .crate-name");
  checkEq("an empty query lists the most recently published crate first", CRATE, await text(page, ".crate-list .crate-name"));
  check("the search box has the keyboard focus", await page.evaluate(() => document.activeElement.id === "search-q"));

  const before = apiRequests.length;
  await page.keyboard.type("ui-dem", { delay: 30 });
  await waitForSummary(page, "“ui-dem”");
  const searches = apiRequests.slice(before).filter((r) => r.includes("/api/v1/crates?"));
  check("typing is debounced (at most 2 searches for 6 keys)", searches.length <= 2, searches.join(", "));
  checkEq("search as you type finds the crate cargo published, first", CRATE, await text(page, ".crate-list .crate-name"));
  check("the query is kept in the address", page.url().endsWith("#/?q=ui-dem"), page.url());
  check("a result shows the description", (await text(page, ".crate-list .description")).includes("The crate the browser test looks at"));

  await page.fill("#search-q", "zzz-no-such-crate");
  await page.waitForSelector(".results .state.empty");
  check("no match: a clear empty state", (await text(page, ".results .state.empty")).includes("No crates match"));

  await page.fill("#search-q", "pagefill");
  await page.press("#search-q", "Enter");
  await waitForSummary(page, "21 crates match");
  checkEq("page 1 has 20 results", 20, await page.locator(".crate-list li").count());
  checkEq("the pager says page 1 of 2", "Page 1 of 2", await text(page, ".pager span"));
  await page.click(".pager button:has-text('Next')");
  await page.waitForFunction(() => document.querySelector(".pager span")?.textContent === "Page 2 of 2");
  checkEq("page 2 has the 21st result", 1, await page.locator(".crate-list li").count());
  check("the page number is kept in the address", page.url().includes("page=2"), page.url());

  await page.fill("#search-q", "ui-demo");
  await waitForSummary(page, "“ui-demo”");
  await page.click(`.crate-list a:has-text("${CRATE}")`);
  await page.waitForSelector(".crate-layout");
}

// What a README needs beyond Markdown: anchors, links into the repository, footnotes, the
// text of <details>, highlighted code.
async function readmeFeatures(page) {
  checkEq("README headings get ids", 1, await page.locator(".readme h2#user-content-usage").count());
  const route = page.url();
  await page.click('.readme a[href="#usage"]');
  await page.waitForFunction(() => window.scrollY > 0);
  checkEq("a table-of-contents link scrolls to its heading and keeps the page's address",
    route, page.url());
  checkEq("a relative link goes to the repository's file",
    `${REPOSITORY}/blob/HEAD/docs/guide.md`,
    await page.getAttribute('.readme a:has-text("guide")', "href"));
  checkEq("a link out of the repository is plain text", 0,
    await page.locator('.readme a:has-text("the parent")').count());
  checkEq("a relative image comes from the repository's raw file",
    `${REPOSITORY}/raw/HEAD/logo.svg`, await page.getAttribute('.readme img[alt="logo"]', "src"));
  check("... and the browser asked the repository for it, not the registry",
    repositoryRequests.includes(`${REPOSITORY}/raw/HEAD/logo.svg`) &&
      !registryRequests.some((p) => p.startsWith("/logo.svg")),
    JSON.stringify({ repositoryRequests, registryRequests: registryRequests.filter((p) => !p.startsWith("/api/")) }));
  check("<details> keeps its summary's text", (await text(page, ".readme")).includes("More about the demo"));
  checkEq("a footnote reference links to its note", 1, await page.locator('.readme a[href="#fn-why"]').count());
  check("... which is rendered", (await text(page, ".readme")).includes("Because a footnote needs a reason."));
  await page.waitForSelector(".readme pre code.hljs");
  check("Rust code is highlighted",
    await page.locator(".readme pre code.language-rust .hljs-keyword").count() > 0);
  check("TOML code is highlighted", await page.locator(".readme pre code.language-toml span").count() > 0);
  await page.evaluate(() => window.scrollTo(0, 0));
}

async function cratePage(page) {
  checkEq("the crate page is at #/crates/NAME", `${BASE}/#/crates/${CRATE}`, page.url());
  // The server runs with the default --registry-name, so the site keeps its own name.
  checkEq("the title names the crate, its version and the site", `${CRATE} 0.2.0 · registry`, await page.title());
  checkEq("the brand names the site", "registry", (await text(page, ".brand")).trim());
  check("the title names the crate and its newest version",
    /ui-demo\s*0\.2\.0/.test(await text(page, "main h1")), await text(page, "main h1"));
  checkEq("the README heading is rendered", "UI demo heading", await text(page, ".readme h1"));
  checkEq("the README table is rendered (2 body rows)", 2, await page.locator(".readme table tbody tr").count());
  check("the README autolink is a link",
    await page.locator('.readme a[href="https://docs.example.com/ui-demo"]').count() === 1);
  const dom = await page.evaluate(() => ({
    scriptsInMain: document.querySelectorAll("main script").length,
    scripts: [...document.querySelectorAll("script")].map((s) => s.getAttribute("src")),
    iframes: document.querySelectorAll("iframe, frame, object, embed").length,
    onAttributes: [...document.querySelectorAll("*")].flatMap((e) =>
      [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
    jsLinks: [...document.querySelectorAll("[href], [src], [action], [formaction]")].filter((e) =>
      ["href", "src", "action", "formaction"].some((n) => /^\s*javascript:/i.test(e.getAttribute(n) || ""))).length,
    pwned: typeof window.__pwned,
  }));
  checkEq("no <script> in the page body", 0, dom.scriptsInMain);
  checkEq("the only scripts in the document are /app.js and the embedded highlight.js",
    JSON.stringify(["/app.js", "/vendor/highlight.min.js"]), JSON.stringify(dom.scripts));
  checkEq("no <iframe>, <object> or <embed>", 0, dom.iframes);
  checkEq("no element has an on* attribute", "", dom.onAttributes.join(","));
  checkEq("no href or src starts with javascript:", 0, dom.jsLinks);
  checkEq("window.__pwned is undefined", "undefined", dom.pwned);

  await readmeFeatures(page);

  await openTab(page, "versions", `/crates/${CRATE}/versions`);
  const versions = await page.locator(".versions li").allTextContents();
  checkEq("both versions are listed, newest first", 2, versions.length);
  check("0.1.0 is marked yanked", /0\.1\.0.*yanked/.test(versions[1] || ""), versions[1]);
  check("0.2.0 is not marked yanked", !/yanked/.test(versions[0] || ""), versions[0]);
  await openTab(page, "dependencies", `/crates/${CRATE}/dependencies`);
  const deps = await text(page, ".deps");
  check("the optional dependency is listed", deps.includes("ui-helper") && deps.includes("optional"), deps);
  await openTab(page, "features", `/crates/${CRATE}/features`);
  const features = await page.locator(".features dt").allTextContents();
  checkEq("the features are listed, default first", "default,helper,std", features.join(","));
  check("the owner is listed", (await text(page, ".owners")).includes("admin"));
  check("the license is shown", (await text(page, ".facts")).includes("MIT"));
  checkEq("the repository is a link", "https://git.example.com/ui-demo",
    await page.locator(".facts a").first().getAttribute("href"));
  checkEq("the chart has a bar for each of 90 days", 90, await page.locator("svg.chart rect").count());
  const blocks = await page.locator(".copy-block pre").allTextContents();
  check("the cargo add line", blocks.includes(`cargo add ${CRATE} --registry private`), blocks.join(" | "));
  check("the Cargo.toml line", blocks.includes(`${CRATE} = { version = "0.2.0", registry = "private" }`), blocks.join(" | "));
  await page.click('button[aria-label="Copy the cargo add command"]');
  await page.waitForSelector(".copy-status:has-text('Copied')");
  checkEq("Copy puts the command on the clipboard", `cargo add ${CRATE} --registry private`,
    await page.evaluate(() => navigator.clipboard.readText()));

  check("a library crate's install box has no cargo install", !blocks.some((b) => b.startsWith("cargo install")), blocks.join(" | "));
  await openTab(page, "versions", `/crates/${CRATE}/versions`);
  await page.click('.versions a:has-text("0.1.0")');
  await page.waitForFunction(() => /0\.1\.0/.test(document.querySelector("main h1")?.textContent || ""));
  await page.waitForSelector(".readme");
  check("an older version: #/crates/NAME/VERSION", page.url().endsWith(`#/crates/${CRATE}/0.1.0`), page.url());
  check("a yanked version says so", (await text(page, ".crate-header")).includes("yanked"));
  checkEq("an older version shows its own README", "ui-demo 0.1.0", await text(page, ".readme h1"));
  // cargo refuses `version = "0.1.0"` of a yanked version: the install box offers 0.2.0.
  const yankedBlocks = await page.locator(".copy-block pre").allTextContents();
  check("on a yanked version, cargo add takes the newest version that is not",
    yankedBlocks.includes(`cargo add ${CRATE} --registry private`), yankedBlocks.join(" | "));
  check("... and so does the Cargo.toml line",
    yankedBlocks.includes(`${CRATE} = { version = "0.2.0", registry = "private" }`), yankedBlocks.join(" | "));
  check("... saying why", (await text(page, "#h-install + p")).includes("0.1.0 is yanked; this installs 0.2.0."));

  await expectProblems("a crate that is not there", [/HTTP 404 for GET \/api\/v1\/crates\/no-such-crate/,
    /status of 404/], async () => {
    await page.goto(`${BASE}/#/crates/no-such-crate`);
    await page.waitForFunction(() => /not found/.test(document.querySelector("main h1")?.textContent || ""));
  });
  checkEq("a missing crate is a not-found page", "no-such-crate not found", await text(page, "main h1"));
  checkEq("... with no retry button", 0, await page.locator("main button").count());
  checkEq("... and a search for the name", 1, await page.locator('main a[href="#/?q=no-such-crate"]').count());
  await expectProblems("a version that is not there", [/HTTP 404 for GET \/api\/v1\/crates\/ui-demo/,
    /status of 404/], async () => {
    await page.goto(`${BASE}/#/crates/${CRATE}/9.9.9`);
    await page.waitForFunction(() => /not found/.test(document.querySelector("main h1")?.textContent || ""));
  });
  checkEq("a missing version is a not-found page", `${CRATE} 9.9.9 not found`, await text(page, "main h1"));

  // The header's search box works from any page.
  await page.fill("#header-q", "ui-demo");
  await page.press("#header-q", "Enter");
  await page.waitForSelector(`.crate-list a:has-text("${CRATE}")`);
  checkEq("the header search goes to the search page with the query", `${BASE}/#/?q=ui-demo`, page.url());
}

async function createToken(page, name, scopes, expiry) {
  await page.fill("#token-name", name);
  for (const box of await page.locator("input[name=scopes]").all()) {
    await box.setChecked(scopes.includes(await box.getAttribute("value")));
  }
  await page.selectOption("#token-expiry", expiry);
  await page.press("#token-name", "Enter");
  await page.waitForSelector("#new-token [data-secret] pre");
  return (await text(page, "#new-token [data-secret] pre")).trim();
}

async function tokens(page) {
  await page.click("a[data-nav=tokens]");
  await page.waitForSelector("#token-form");
  const secret = await createToken(page, "browser-ci", ["read", "publish-new", "publish-update"], "30");
  check("a new token's secret is shown", /^crg_[0-9a-f]{64}$/.test(secret), secret);
  check("with a warning that it is shown once", (await text(page, "#new-token")).includes("shown only this once"));
  const row = page.locator("#token-list tr", { hasText: "browser-ci" });
  checkEq("the new token is listed", 1, await row.count());
  check("with its scopes", /read.*publish-new.*publish-update/.test(await row.textContent()));
  writeFileSync(path.join(SIGNALS, "token.secret"), secret);

  await page.click("#new-token button:has-text('Done')");
  check("Done hides the secret", (await page.locator("#new-token [data-secret]").count()) === 0);
  const laptop = await createToken(page, "laptop", ["read"], "never");
  check("a second token (read only, no expiry)", laptop.startsWith("crg_") && laptop !== secret);
  await page.click("#new-token button:has-text('Done')");

  check("cargo used the browser's token (shell says done)", await waitForFile(path.join(SIGNALS, "cargo.done"), 120));
  let asked = "";
  page.once("dialog", (dialog) => { asked = dialog.message(); dialog.accept(); });
  await row.locator("button:has-text('Revoke')").click();
  await page.waitForSelector(".message.success:not([hidden])");
  check("revoking asks first", asked.includes("browser-ci"), asked);
  checkEq("the revoked token leaves the list", 0, await row.count());
  writeFileSync(path.join(SIGNALS, "token.revoked"), "");
  await load(page, "/tokens", "#token-list");
  check("after a reload the revoked token is still gone, the other one listed",
    (await page.locator("#token-list tr", { hasText: "browser-ci" }).count()) === 0 &&
    (await page.locator("#token-list tr", { hasText: "laptop" }).count()) === 1);
}

async function users(page) {
  await load(page, "/users", "#user-form");
  await page.fill("#user-login", "carol");
  await page.fill("#user-password", "carol-first-password");
  await page.press("#user-password", "Enter");
  const carol = page.locator("#user-list tr[data-login=carol]");
  await carol.waitFor();
  check("a new user is listed as an active member", /member/.test(await carol.textContent()) && /active/.test(await carol.textContent()));
  page.once("dialog", (dialog) => dialog.accept()); // disabling asks first (usersRules checks the question)
  await carol.locator("button:has-text('Disable')").click();
  await page.waitForFunction(() => /disabled/.test(document.querySelector("tr[data-login=carol]")?.textContent || ""));
  check("Disable marks the user disabled", true);
  await carol.locator("button:has-text('Enable')").click();
  await page.waitForFunction(() => /active/.test(document.querySelector("tr[data-login=carol]")?.textContent || ""));
  check("Enable makes the user active again", true);
  await carol.locator("button:has-text('Make admin')").click();
  await carol.locator("button:has-text('Make member')").waitFor();
  check("Make admin gives the admin badge", (await carol.locator(".badge").allTextContents()).includes("admin"));
  await carol.locator("button:has-text('Make member')").click();
  await carol.locator("button:has-text('Make admin')").waitFor();
  await carol.locator("button:has-text('Reset password')").click();
  await page.waitForSelector("#reset-password");
  check("the reset form takes the focus", await page.evaluate(() => document.activeElement.id === "reset-password"));
  await page.fill("#reset-password", "carol-second-password");
  await page.press("#reset-password", "Enter");
  await page.waitForSelector(".message.success:has-text('new password for carol')");
  check("Reset password confirms", true);

  await signOut(page);
  await signIn(page, "carol", "carol-second-password");
  check("the member signs in with the reset password", (await text(page, "#who")).includes("carol"));
  check("a member's menu has no Users", await page.isHidden("a[data-nav=users]"));
  await load(page, "/users", "main h1");
  checkEq("a member who opens #/users is told it is for administrators", "Administrators only", await text(page, "main h1"));
  await signOut(page);
}

// The crates.io mirror: itoa is cached (browser_test.sh downloaded it through the mirror).
async function mirror(page) {
  await signIn(page, "admin", adminPassword);
  await load(page, "/?q=ito", ".cached-results");
  checkEq("search lists the cached crates.io crate", "itoa", await text(page, ".cached-results .crate-name"));
  check("... marked as cached from crates.io",
    (await text(page, ".cached-results .crate-item")).includes("cached from crates.io"));
  await page.click(".cached-results a.crate-name");
  await page.waitForSelector(".crate-header .badge.cached");
  checkEq("its page is at #/crates-io/NAME", `${BASE}/#/crates-io/itoa`, page.url());
  check("its page lists the cached version", (await text(page, "main tbody")).includes("1.0.1"));
  check("admin: Mirror is in the menu", await page.isVisible("a[data-nav=mirror]"));
  await load(page, "/mirror", "#mirror-facts");
  const facts = await text(page, "#mirror-facts");
  check("the Mirror page shows what is cached", facts.includes("1 versions of 1 crates"), facts);
  check("... and the upstream", facts.includes("127.0.0.1"), facts);
  await page.fill("#allow-name", "ui-demo");
  await page.click("#allow-form button[type=submit]");
  await page.waitForSelector('#allowed-list [data-name="ui_demo"]');
  check("Allow lists the name", true);
  await page.click('#allowed-list [data-name="ui_demo"] button');
  await page.waitForFunction(() => !document.querySelector('#allowed-list [data-name="ui_demo"]'));
  check("Disallow removes it", true);
  await signOut(page);
}

async function account(page) {
  await signIn(page, "admin", adminPassword);
  await load(page, "/account", "#password-form");
  const next = adminPassword + "-changed";
  await page.fill("#current-password", adminPassword);
  await page.fill("#new-password", next);
  await page.fill("#new-password-again", next);
  await page.press("#new-password-again", "Enter");
  await page.waitForSelector("#password-form .message.success:not([hidden])");
  check("changing one's own password confirms", true);
  adminPassword = next;
  await signOut(page);
  await signIn(page, "admin", adminPassword);
  check("admin signs in with the new password", (await text(page, "#who")).includes("admin"));
}

// ------------------------------------------------------------------------------ search, admin, account
// A JSON request made from the page with its session and CSRF token, for what the UI has no
// form for (a token of another user, a user without a password). Returns the HTTP status.
async function apiFromPage(page, method, url, body) {
  return page.evaluate(async ({ method, url, body }) => {
    const session = await (await fetch("/api/v1/session")).json();
    const res = await fetch(url, { method, headers: { "Content-Type": "application/json", "X-CSRF-Token": session.csrf_token },
      body: body === undefined ? undefined : JSON.stringify(body) });
    return res.status;
  }, { method, url, body });
}

async function crateNames(page) {
  return page.locator(".crate-list .crate-name").allTextContents();
}

// Search: the total count, the sort (kept in the address, so a link opens the same order) and
// an empty state that says what to do.
async function searchSortAndEmpty(page) {
  await load(page, "/?q=pagefill", ".crate-list");
  await waitForSummary(page, "21 crates match");
  checkEq("search: the default sort is relevance", "relevance", await page.inputValue("#search-sort"));
  await page.selectOption("#search-sort", "recent-updates");
  await page.waitForFunction(() => window.location.hash.includes("sort=recent-updates"));
  await page.waitForFunction(() => document.querySelector(".crate-list .crate-name")?.textContent === "pagefill-020");
  check("search: Recently updated lists the last published first, and the address says so", true);
  const before = apiRequests.length;
  await load(page, "/?q=pagefill&sort=alpha&page=2", ".crate-list");
  checkEq("search: a link with sort=alpha opens sorted by name", "alpha", await page.inputValue("#search-sort"));
  check("search: ... asking the server for that order", apiRequests.slice(before).some((r) => r.includes("sort=alpha")) ||
    apiRequests.some((r) => r.includes("sort=alpha")), apiRequests.join(", "));
  checkEq("search: ... on page 2 the last name", JSON.stringify(["pagefill-020"]), JSON.stringify(await crateNames(page)));
  await load(page, "/", ".crate-list");
  check("search: an empty query states the total", /^\d+ crates, most recently updated first$/.test(await text(page, ".summary")),
    await text(page, ".summary"));
  await load(page, "/?q=zzz-no-such-crate", ".results .state.empty");
  const empty = await text(page, ".results .state.empty");
  check("search: no match suggests other words", empty.includes("Try other or fewer words"), empty);
  check("search: ... and how to publish", empty.includes("cargo publish --registry private"), empty);
  check("search: ... with a link to Getting started", (await page.locator(".results .state.empty a[href='#/start']").count()) === 1);
}

// Every user's tokens, for an administrator: listed with their user, and revocable.
async function adminTokens(page) {
  checkEq("an admin makes a token for carol through the API", 200,
    await apiFromPage(page, "POST", "/api/v1/tokens", { name: "carol-ci", scopes: ["read"], user: "carol" }));
  await load(page, "/tokens", "#token-list");
  checkEq("the tokens page lists one's own tokens only", 0, await page.locator("#token-list tr[data-user=carol]").count());
  await page.click("#tokens-all");
  await page.waitForSelector("#token-list tr[data-user=carol]");
  check("Show every user's tokens lists carol's, with its user", page.url().endsWith("#/tokens?all=1") &&
    (await text(page, "#token-list tr[data-user=carol]")).includes("carol-ci"));
  let asked = "";
  page.once("dialog", (dialog) => { asked = dialog.message(); dialog.accept(); });
  await page.click("#token-list tr[data-user=carol] button:has-text('Revoke')");
  await page.waitForSelector("#token-list .message.success:not([hidden]), section .message.success:not([hidden])");
  check("revoking another user's token names the user", asked.includes("of carol"), asked);
  await load(page, "/tokens?all=1", "#token-list");
  checkEq("after a reload carol's token is gone", 0, await page.locator("#token-list tr[data-user=carol]").count());
}

// The audit log page: filters on the server, kept in the address; an empty result says so.
async function auditPage(page) {
  await page.click("a[data-nav=dashboard]");
  await page.waitForSelector("#dashboard-figures");
  await page.click("a[href='#/audit']");
  await page.waitForSelector("#audit-results table");
  check("the audit log lists events newest first", (await page.locator("#audit-results tbody tr").count()) > 5);
  await page.selectOption("#audit-action", "token-revoke");
  await page.click("#audit-filters button[type=submit]");
  await page.waitForFunction(() => window.location.hash.includes("action=token-revoke"));
  await page.waitForFunction(() => {
    const cells = [...document.querySelectorAll("#audit-results tbody td[data-label=Action]")];
    return cells.length > 0 && cells.every((c) => c.textContent === "token-revoke");
  });
  const actions = await page.locator("#audit-results tbody td[data-label=Action]").allTextContents();
  check("filtering by action lists only that action", actions.length >= 2 && actions.every((a) => a === "token-revoke"), actions.join(","));
  await load(page, "/audit?crate=ui-demo", "#audit-results table");
  const targets = await page.locator("#audit-results tbody td[data-label=Target]").allTextContents();
  check("filtering by crate lists its publishes and yank", targets.includes("ui-demo@0.2.0") && targets.includes("ui-demo@0.1.0") &&
    targets.every((t) => t.startsWith("ui-demo")), targets.join(","));
  checkEq("the crate filter is in the form", "ui-demo", await page.inputValue("#audit-crate"));
  await load(page, "/audit?user=carol&action=login", "#audit-results table");
  const users = await page.locator("#audit-results tbody td[data-label=User]").allTextContents();
  check("filtering by user and action: carol's sign-ins", users.length >= 1 && users.every((u) => u === "carol"), users.join(","));
  await load(page, "/audit?from=2001-01-01&to=2001-01-02", "#audit-results .state.empty");
  check("a time range without events says so", (await text(page, "#audit-results")).includes("No events match these filters"));
}

async function dashboard(page) {
  await load(page, "/dashboard", "#dashboard-figures");
  // An administrator's menu is the longest: at 1280 px it still fits beside the logo, the
  // search box and the account.
  const tops = await page.evaluate(() => [".brand", ".site-header nav", ".header-search", "#who"]
    .map((s) => Math.round(document.querySelector(s).getBoundingClientRect().top)));
  check("at 1280 px an administrator's header is one line", Math.max(...tops) - Math.min(...tops) < 20, tops.join(","));
  const figure = async (label) => text(page, `#dashboard-figures [data-figure="${label}"] .stat-value`);
  // browser_test.sh publishes 21 fillers, ui-helper, ui-demo (2 versions), ui-second and
  // ui-tool (2 versions).
  checkEq("the dashboard counts the crates cargo published", "25", await figure("Crates"));
  checkEq("... the versions", "27", await figure("Versions"));
  checkEq("... the users", "2", await figure("Users"));
  check("... the downloads", Number((await figure("Downloads")).replace(/,/g, "")) >= 1, await figure("Downloads"));
  check("... the storage", /\d+(\.\d)? (B|KiB|MiB)/.test(await figure("Storage")), await figure("Storage"));
  check("... and the mirror's cache", (await text(page, '#dashboard-figures [data-figure="crates.io mirror"]')).includes("1 versions of 1 crates"));
  check("... with a downloads chart", (await page.locator("main svg.chart").count()) === 1);
}

// The users page: what the server would refuse is disabled with the reason; disabling asks;
// the password rule is the server's; a success clears an old error; users without a password
// get "Set password"; the last sign-in shows.
async function usersRules(page) {
  checkEq("an admin makes a user without a password", 200, await apiFromPage(page, "POST", "/api/v1/users", { login: "dave" }));
  await load(page, "/users", "#user-list");
  const admin = page.locator("#user-list tr[data-login=admin]");
  check("the last admin cannot be made a member", await admin.locator("button:has-text('Make member')").isDisabled());
  check("... nor disabled", await admin.locator("button:has-text('Disable')").isDisabled());
  check("... and the row says why", (await admin.textContent()).includes("The last administrator cannot be made a member or disabled"));
  check("a user without a password gets Set password",
    (await page.locator("#user-list tr[data-login=dave] button:has-text('Set password')").count()) === 1);
  check("the last sign-in shows (admin: a date, dave: never)",
    /\d{4}/.test(await text(page, "#user-list tr[data-login=admin] td[data-label='Last sign-in']")) &&
    (await text(page, "#user-list tr[data-login=dave] td[data-label='Last sign-in']")) === "never");
  const rule = await text(page, "#user-password-hint");
  checkEq("the create form states the server's password rule", "At least 10 characters (at most 1024 bytes).", rule);
  const before = apiRequests.length;
  await page.fill("#user-login", "erin");
  await page.fill("#user-password", "short-pw");
  await page.press("#user-password", "Enter");
  await page.waitForSelector("#user-form .message.error:not([hidden])");
  check("an 8-character password is refused in the browser, as the server would",
    (await text(page, "#user-form .message.error")).includes("at least 10 characters"), await text(page, "#user-form .message.error"));
  check("... without asking the server", !apiRequests.slice(before).some((r) => r.startsWith("POST /api/v1/users")));
  const dave = page.locator("#user-list tr[data-login=dave]");
  let asked = "";
  page.once("dialog", (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await dave.locator("button:has-text('Disable')").click();
  await page.waitForTimeout(200);
  check("disabling asks for confirmation", asked.startsWith("Disable dave?"), asked);
  check("... and Cancel leaves the user active", (await dave.textContent()).includes("active"));
  page.once("dialog", (dialog) => dialog.accept());
  await dave.locator("button:has-text('Disable')").click();
  await page.waitForSelector("#user-list .message.success:not([hidden]), section .message.success:has-text('dave is disabled')");
  check("a success clears the create form's old error", await page.isHidden("#user-form .message"));
  await dave.locator("button:has-text('Set password')").click();
  await page.waitForSelector("#reset-password");
  check("the set-password form states the rule too", (await text(page, "#reset-password-hint")).includes("At least 10 characters"));
  await page.click(".reset-row button:has-text('Cancel')");
}

// A disabled account is told so, but only with its right password.
async function disabledSignIn(page) {
  await page.locator("#user-list tr[data-login=carol]").waitFor();
  page.once("dialog", (dialog) => dialog.accept());
  await page.click("#user-list tr[data-login=carol] button:has-text('Disable')");
  await page.waitForFunction(() => /disabled/.test(document.querySelector("tr[data-login=carol]")?.textContent || ""));
  await signOut(page);
  await expectProblems("signing in to a disabled account", [/403/, /status of 403/], async () => {
    await page.fill("#signin-login", "carol");
    await page.fill("#signin-password", "not-carols-password");
    await page.press("#signin-password", "Enter");
    await page.waitForSelector("form .message.error:not([hidden])");
    checkEq("a wrong password is only wrong, even for a disabled account", "wrong login or password", await text(page, "form .message.error"));
    await page.fill("#signin-password", "carol-second-password");
    await page.press("#signin-password", "Enter");
    await page.waitForSelector("form .message.error:has-text('disabled')");
  });
  const said = await text(page, "form .message.error");
  checkEq("the right password of a disabled account is told it is disabled, in plain quotes",
    "the account carol is disabled; ask an administrator to enable it", said);
  check("no raw backtick in the sign-in's message", !said.includes("`"));
  // Failed sign-ins back off (after five free ones): the form says how long is left.
  let backedOff = false;
  await expectProblems("repeated failed sign-ins", [/403/, /429/, /status of 4\d\d/], async () => {
    await page.fill("#signin-login", "nobody-here");
    for (let i = 0; i < 12 && !backedOff; i++) {
      await page.fill("#signin-password", `wrong-password-${i}`);
      await page.press("#signin-password", "Enter");
      await page.waitForFunction(() => {
        const b = document.querySelector("main form button[type=submit]");
        return b && (!b.disabled || /Try again in/.test(b.textContent));
      });
      backedOff = /Try again in \d+ s/.test(await text(page, "main form button[type=submit]"));
    }
  });
  check("backed off, the sign-in button counts down the time left", backedOff);
  check("... and the message says when to try again", /try again in \d+ second/.test(await text(page, "form .message.error")),
    await text(page, "form .message.error"));
  await signIn(page, "admin", adminPassword);
  await load(page, "/users", "#user-list");
  await page.click("#user-list tr[data-login=carol] button:has-text('Enable')");
  await page.waitForFunction(() => /active/.test(document.querySelector("tr[data-login=carol]")?.textContent || ""));
}

async function adminPages(page) {
  await signIn(page, "admin", adminPassword);
  check("admin: Dashboard is in the menu", await page.isVisible("a[data-nav=dashboard]"));
  await adminTokens(page);
  await auditPage(page);
  await dashboard(page);
  await usersRules(page);
  await disabledSignIn(page);
  await signOut(page);
}

// The account page: the display name, the sessions and signing out everywhere.
async function accountSessions(page) {
  await load(page, "/account", "#session-list table");
  check("the account page states the password rule", (await text(page, "#new-password-hint")).includes("At least 10 characters"));
  await page.fill("#display-name", "Ada Admin");
  await page.click("#name-form button[type=submit]");
  await page.waitForSelector("#name-form .message.success:not([hidden])");
  check("the display name is saved and shown", (await text(page, "#account-facts")).includes("Ada Admin"));
  const rows = await page.locator("#session-list tbody tr").count();
  check("the sessions are listed, this browser's marked", rows >= 1 &&
    (await page.locator("#session-list .tag:has-text('this browser')").count()) === 1, `${rows} rows`);
  let asked = "";
  page.once("dialog", (dialog) => { asked = dialog.message(); dialog.accept(); });
  await page.click("#sign-out-everywhere");
  await page.waitForSelector("#signin-login");
  check("sign out everywhere asks first", asked.includes("every browser"), asked);
  check("... and shows the sign-in form saying so", (await text(page, "main form")).includes("signed out everywhere"));
  await expectProblems("the old session after signing out everywhere", [/403/, /status of 403/], async () => {
    const status = await page.evaluate(async () => (await fetch("/api/v1/tokens")).status);
    checkEq("the ended session is refused", 403, status);
  });
  await signIn(page, "admin", adminPassword);
}

// Every page at both widths: no console error, no failed request, at most one JSON request
// beyond the app start's session and site, nothing wider than the screen.
const PAGES = [
  { name: "search", route: "/", ready: ".crate-list" },
  { name: "crate", route: `/crates/${CRATE}`, ready: ".crate-layout" },
  { name: "crate-version", route: `/crates/${CRATE}/0.1.0`, ready: ".crate-layout" },
  { name: "start", route: "/start", ready: ".step" },
  { name: "tokens", route: "/tokens", ready: "#token-list" },
  { name: "users", route: "/users", ready: "#user-list" },
  { name: "account", route: "/account", ready: "#password-form" },
  { name: "mirror", route: "/mirror", ready: "#mirror-facts" },
  { name: "crates-io-crate", route: "/crates-io/itoa", ready: ".crate-header" },
  { name: "dashboard", route: "/dashboard", ready: "#dashboard-figures" },
  { name: "audit", route: "/audit", ready: "#audit-results table" },
  { name: "all-tokens", route: "/tokens?all=1", ready: "#token-list" },
];
const SCREENSHOTS = { "search@1280": "search", "crate@1280": "crate", "tokens@1280": "tokens",
  "users@1280": "users", "start@1280": "start", "crate@375": "mobile-crate",
  "dashboard@1280": "dashboard", "audit@1280": "audit" };

async function tour(page) {
  mkdirSync(SHOTS, { recursive: true });
  if (process.env.ALL_SCREENSHOTS === "1") mkdirSync(path.join(SHOTS, "all"), { recursive: true });
  for (const viewport of [WIDE, NARROW]) {
    await page.setViewportSize(viewport);
    for (const p of PAGES) {
      const label = `${p.name} at ${viewport.width}px`;
      const before = problems.length;
      await load(page, p.route, p.ready);
      checkEq(`${label}: no error state`, 0, await page.locator("main .state.error").count());
      const extra = apiRequests.filter((r) => !/^GET \/api\/v1\/(session|site)$/.test(r));
      check(`${label}: at most one JSON request besides the app start`, extra.length <= 1, apiRequests.join(", "));
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      check(`${label}: nothing wider than the window`, width <= viewport.width, `${width}px`);
      const shot = SCREENSHOTS[`${p.name}@${viewport.width}`];
      if (shot) await page.screenshot({ path: path.join(SHOTS, `${shot}.png`) });
      if (process.env.ALL_SCREENSHOTS === "1") {
        await page.screenshot({ path: path.join(SHOTS, "all", `${p.name}-${viewport.width}.png`), fullPage: true });
      }
      check(`${label}: no console error or failed request`, problems.length === before, problems.slice(before).join("; "));
    }
  }
}

async function keyboard(page) {
  await page.setViewportSize(WIDE);
  await load(page, "/", ".crate-list");
  await page.focus("a.brand");
  await page.keyboard.press("Tab");
  const focused = await page.evaluate(() => {
    const e = document.activeElement;
    return { text: e.textContent, outline: getComputedStyle(e).outlineStyle };
  });
  checkEq("Tab moves from the logo to the first menu link", "Crates", focused.text);
  check("the focused link shows a focus outline", focused.outline !== "none", focused.outline);
}

// cargo's login_url is /me; and a session that ends behind the page's back (expired, or signed
// out elsewhere) brings back the sign-in form rather than a bare error.
async function meAndEndedSession(page) {
  await page.goto("about:blank");
  await page.goto(`${BASE}/me`);
  await page.waitForSelector("#token-list");
  checkEq("/me (cargo's login_url) opens the tokens page", `${BASE}/#/tokens`, page.url());
  await page.context().clearCookies();
  await expectProblems("an ended session", [/HTTP 403 for GET \/api\/v1\/users/, /status of 403/], async () => {
    await page.click("a[data-nav=users]");
    await page.waitForSelector("#signin-login");
  });
  check("an ended session shows the sign-in form with the server's reason",
    (await text(page, "main form")).includes("sign in"), await text(page, "main form"));
  check("and the menu forgets the user", await page.isHidden("a[data-nav=tokens]"));
}

// ------------------------------------------------------------------------------ crate page
const TOOL = "ui-tool"; // browser_test.sh: a binary crate, 0.1.0 and 0.2.0, depending on ui-demo

// Clicks a crate page tab and waits for its panel; checks the address says which tab.
async function openTab(page, tab, route) {
  await page.click(`.crate-tabs a[data-tab="${tab}"]`);
  await page.waitForFunction((t) => document.querySelector(".crate-tabs a[aria-current=page]")?.dataset.tab === t, tab);
  checkEq(`the ${tab} tab is at #${route}`, `${BASE}/#${route}`, page.url());
}

// Tabs are addresses: one click each, no new request for the crate, the back button returns.
async function crateTabs(page) {
  await load(page, `/crates/${CRATE}`, ".crate-tabs");
  checkEq("the crate page has five tabs", "Readme,Versions,Dependencies,Dependents,Features",
    (await page.locator(".crate-tabs a").allTextContents()).map((t) => t.replace(/\s*\d+$/, "")).join(","));
  checkEq("the Readme tab is current at #/crates/NAME", "readme",
    await page.getAttribute(".crate-tabs a[aria-current=page]", "data-tab"));
  const before = apiRequests.length;
  await openTab(page, "versions", `/crates/${CRATE}/versions`);
  await openTab(page, "features", `/crates/${CRATE}/features`);
  checkEq("switching tabs asks the server nothing more", 0,
    apiRequests.slice(before).filter((r) => r.startsWith(`GET /api/v1/crates/${CRATE}`)).length);
  await page.goBack();
  await page.waitForSelector(".versions li");
  checkEq("the back button returns to the Versions tab", `${BASE}/#/crates/${CRATE}/versions`, page.url());
  await page.goBack();
  await page.waitForSelector(".readme");
  checkEq("... and again to the README", `${BASE}/#/crates/${CRATE}`, page.url());
  await page.goForward();
  await page.waitForSelector(".versions li");
  check("forward goes to Versions again", page.url().endsWith("/versions"), page.url());

  await load(page, `/crates/${CRATE}/0.1.0/dependencies`, ".crate-tabs");
  check("#/crates/NAME/VERSION/dependencies shows that version's dependencies",
    (await text(page, "#h-deps")).includes("0.1.0"), await text(page, "#h-deps"));
  checkEq("its tabs keep the version", `#/crates/${CRATE}/0.1.0/versions`,
    await page.getAttribute('.crate-tabs a[data-tab="versions"]', "href"));
  await expectProblems("an unknown tab", [], async () => {
    await load(page, `/crates/${CRATE}/0.2.0/nonsense`, "main h1");
  });
  checkEq("an unknown tab is a not-found page", "Page not found", await text(page, "main h1"));
}

// Versions published seconds apart tell apart: a relative time, the exact one in its title,
// and the date with the minute shown.
async function crateDates(page) {
  await load(page, `/crates/${CRATE}/versions`, ".versions li");
  const when = page.locator(".versions li").first().locator("time.relative");
  check("a version's date reads relative", /^(just now|\d+ (seconds?|minutes?) ago)$/.test(await when.textContent()),
    await when.textContent());
  check("... with the exact UTC time as its title",
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/.test(await when.getAttribute("title")), await when.getAttribute("title"));
  check("... and the date and time beside it",
    /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d:\d\d UTC$/.test(await text(page, ".versions li .absolute")),
    await text(page, ".versions li .absolute"));
  check("the About box's dates are relative too",
    /ago|just now/.test(await text(page, ".facts time.relative")), await text(page, ".facts"));
}

async function crateChart(page) {
  await load(page, `/crates/${CRATE}`, ".chart-figure");
  const labels = await page.locator(".chart-scale span").allTextContents();
  check("the downloads chart has a scale of at least two values", labels.length >= 2, labels.join(","));
  checkEq("... from 0 at the bottom", "0", labels[labels.length - 1]);
  check("... rising to the top", labels.map((l) => Number(l.replace(/,/g, ""))).every((n, i, a) => i === 0 || n < a[i - 1]),
    labels.join(","));
  checkEq("... with a line for each value", labels.length, await page.locator("svg.chart line").count());
  checkEq("the date axis has three dates", 3, await page.locator(".chart-axis span").count());
}

// The binary crate (no library): cargo install only, the documentation link, categories,
// dependency row tags.
async function binaryCrate(page) {
  await load(page, `/crates/${TOOL}`, ".crate-layout");
  const blocks = await page.locator(".copy-block pre").allTextContents();
  check("a binary crate's install box offers cargo install", blocks.includes(`cargo install ${TOOL} --registry private`), blocks.join(" | "));
  check("... naming its binaries", (await text(page, ".crate-aside")).includes("ui-tool, ui-tool-extra"));
  check("... and no cargo add or Cargo.toml line: it has no library",
    !blocks.some((b) => b.startsWith("cargo add") || b.includes("registry = ")), blocks.join(" | "));
  checkEq("the documentation link is the crate's documentation URL", "https://docs.example.com/ui-tool",
    await page.getAttribute(".crate-links a.docs-link", "href"));
  checkEq("... first of the crate's own links", "Documentation", await text(page, ".crate-links li:not(.hosted-docs)"));
  checkEq("... after the hosted docs, which it has none of", "no docs uploaded", await text(page, ".crate-links li.hosted-docs"));
  checkEq("the categories are shown", "command-line-utilities", await text(page, ".categories li"));
  const noWrap = await page.evaluate(() => [...document.querySelectorAll(".copy-block pre")].every((p) => getComputedStyle(p).whiteSpace === "pre"));
  check("install commands never wrap", noWrap);
  await openTab(page, "dependencies", `/crates/${TOOL}/dependencies`);
  const row = page.locator('.deps li[data-dep="ui-demo"]');
  check("a dependency row says default-features = false", (await row.locator(".tag.no-default").count()) === 1, await row.textContent());
  checkEq("... and the features it enables", "features: helper", await row.locator(".tag.dep-features").textContent());
}

// Dependents at both widths: ui-demo's (ui-tool, by its ^0.2) and ui-helper's (ui-demo, optional).
async function crateDependents(page) {
  for (const viewport of [WIDE, NARROW]) {
    await page.setViewportSize(viewport);
    await load(page, `/crates/${CRATE}`, ".crate-tabs");
    await openTab(page, "dependents", `/crates/${CRATE}/reverse_dependencies`);
    await page.waitForSelector(".dependents li, .dependents-body .state.empty");
    checkEq(`${viewport.width}px: ui-demo's dependents are ui-tool`, TOOL,
      (await page.locator(".dependents li").allTextContents()).length === 1 ? await page.getAttribute(".dependents li", "data-dependent") : "");
    checkEq(`${viewport.width}px: ... with the requirement it uses`, "^0.2", await text(page, ".dependents .dependent-req code"));
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(`${viewport.width}px: the Dependents tab fits the window`, width <= viewport.width, `${width}px`);
  }
  await page.setViewportSize(WIDE);
  await load(page, "/crates/ui-helper/reverse_dependencies", ".dependents li");
  checkEq("ui-helper's dependents: ui-demo, optionally", "^0.1 optional", (await text(page, ".dependents .dependent-req")).trim());
  await load(page, `/crates/${TOOL}/reverse_dependencies`, ".dependents-body .state.empty");
  check("a crate nobody depends on says so", (await text(page, ".dependents-body")).includes("No crate on this registry depends on"));
}

// An owner (here the admin, who published ui-tool) yanks and unyanks, adds and removes owners;
// refusals read as plain words. A member who owns nothing sees none of it.
async function crateOwnerControls(page) {
  await load(page, `/crates/${TOOL}/versions`, ".versions li");
  const old = page.locator('.versions li[data-version="0.1.0"]');
  let asked = "";
  page.once("dialog", (dialog) => { asked = dialog.message(); dialog.accept(); });
  await old.locator("button.yank-button").click();
  await page.waitForSelector(".message.success:has-text('ui-tool 0.1.0 is yanked')");
  check("yanking asks first", asked.includes("Yank ui-tool 0.1.0"), asked);
  check("the yanked version is marked", (await page.locator('.versions li[data-version="0.1.0"] .badge.yanked').count()) === 1);
  checkEq("... and offers Unyank", "Unyank", await text(page, '.versions li[data-version="0.1.0"] button.yank-button'));
  check("the page stays on the Versions tab", page.url().endsWith(`/crates/${TOOL}/versions`), page.url());
  await page.click('.versions li[data-version="0.1.0"] button.yank-button');
  await page.waitForSelector(".message.success:has-text('ui-tool 0.1.0 is no longer yanked')");
  checkEq("Unyank clears the mark", 0, await page.locator('.versions li[data-version="0.1.0"] .badge.yanked').count());

  check("the only owner cannot be removed, and the button says why",
    await page.isDisabled('.owners li[data-owner="admin"] button') &&
      /at least one owner/.test(await page.getAttribute('.owners li[data-owner="admin"] button', "title")));
  await page.fill("#owner-login", "carol");
  await page.press("#owner-login", "Enter");
  await page.waitForSelector('.owners li[data-owner="carol"]');
  check("Add owner lists carol", (await text(page, ".message.success")).includes("carol is now an owner of ui-tool"));
  page.once("dialog", (dialog) => dialog.accept());
  await page.click('.owners li[data-owner="carol"] button');
  await page.waitForSelector(".message.success:has-text('carol is no longer an owner')");
  checkEq("Remove takes carol off", 0, await page.locator('.owners li[data-owner="carol"]').count());
  await expectProblems("adding a login that does not exist", [/HTTP 404 for PUT \/api\/v1\/crates\/ui-tool\/owners/, /status of 404/], async () => {
    await page.fill("#owner-login", "nobody-here");
    await page.press("#owner-login", "Enter");
    await page.waitForSelector(".owners ~ .message.error:not([hidden])");
  });
  const refusal = await text(page, ".owners ~ .message.error");
  checkEq("... is refused in plain words", "Could not add nobody-here: no user \u201cnobody-here\u201d on this registry", refusal);

  await signOut(page);
  await signIn(page, "carol", "carol-second-password");
  await load(page, `/crates/${TOOL}/versions`, ".versions li");
  checkEq("a member who is not an owner gets no Yank buttons", 0, await page.locator("button.yank-button").count());
  checkEq("... no owner form", 0, await page.locator("#owner-form").count());
  checkEq("... and no Remove buttons", 0, await page.locator(".owners button").count());
  check("... but sees the owners", (await text(page, ".owners")).includes("admin"));
  await signOut(page);
  await signIn(page, "admin", adminPassword);
}

// The tour visits these too, at both widths.
PAGES.push(
  { name: "crate-versions", route: `/crates/${TOOL}/versions`, ready: ".versions li" },
  { name: "crate-bin", route: `/crates/${TOOL}`, ready: ".crate-layout" },
);

async function main() {
  mkdirSync(SIGNALS, { recursive: true });
  const started = Date.now();
  const { browser, page } = await launch();
  try {
    await signedOut(page);
    await signInAsAdmin(page);
    await search(page);
    await cratePage(page);
    await tokens(page);
    await users(page);
    await adminPages(page);
    await mirror(page);
    await account(page);
    await crateTabs(page);
    await crateDates(page);
    await crateChart(page);
    await binaryCrate(page);
    await crateDependents(page);
    await crateOwnerControls(page);
    await searchSortAndEmpty(page);
    await accountSessions(page);
    await tour(page);
    await keyboard(page);
    await meAndEndedSession(page);
  } catch (error) {
    check("the browser steps ran to the end", false, error.stack || String(error));
  } finally {
    await new Promise((r) => setTimeout(r, 300)); // let late abort reports settle
    await browser.close();
  }
  check("no request left for another origin, no console error, no failed request", problems.length === 0, problems.join("\n  "));
  finish("browser", started);
}

main();
