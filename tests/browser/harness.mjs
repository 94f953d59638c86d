// What the browser tests share: ok/FAIL reporting, Debian's chromium, and the watch on a page
// for problems (console errors, uncaught exceptions, failed or 4xx/5xx requests to the
// registry), each naming the page it came from.
import { chromium } from "playwright-core";

let failures = 0;
let passes = 0;

export function check(name, ok, detail = "") {
  if (ok) {
    passes++;
    console.log(`ok   - ${name}`);
  } else {
    failures++;
    console.log(`FAIL - ${name}${detail ? ": " + detail : ""}`);
  }
}

export function checkEq(name, expected, actual) {
  check(name, expected === actual, `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function note(text) {
  console.log(`# ${text}`);
}

// Prints the tally of `what` since `started` (a Date.now()) and exits, 1 on any failure.
export function finish(what, started) {
  console.log(`# ${what}: ${passes} passed, ${failures} failed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exit(failures ? 1 : 0);
}

export async function launchChromium(viewport) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox"],
    headless: true,
  });
  const context = await browser.newContext({ viewport });
  return { browser, context };
}

// Adds to `problems` what goes wrong on `page` with requests to `origin`.
export function watchPage(page, origin, problems) {
  const where = () => page.url().replace(origin, "");
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()} (${msg.location().url.replace(origin, "")} on ${where()})`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught exception: ${err.message} (on ${where()})`));
  // A request cut short because the test moved the page on (ERR_ABORTED after a navigation,
  // such as a favicon still loading) is not the registry's fault; any other failure is.
  let navigations = 0;
  const startedAt = new WeakMap();
  page.on("framenavigated", (frame) => { if (frame === page.mainFrame()) navigations++; });
  page.on("request", (req) => startedAt.set(req, navigations));
  page.on("requestfailed", (req) => {
    if (!req.url().startsWith(origin + "/")) return;
    const error = req.failure().errorText;
    const report = () => problems.push(`failed request: ${req.method()} ${req.url().replace(origin, "")} ${error} (on ${where()})`);
    if (error !== "net::ERR_ABORTED") return report();
    // Chrome may report the abort just before the navigation that caused it.
    setTimeout(() => { if (startedAt.get(req) === navigations) report(); }, 250);
  });
  page.on("response", (res) => {
    if (res.url().startsWith(origin + "/") && res.status() >= 400) {
      problems.push(`HTTP ${res.status()} for ${res.request().method()} ${res.url().replace(origin, "")} (on ${where()})`);
    }
  });
}
