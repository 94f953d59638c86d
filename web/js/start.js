// Getting started (#/start): the cargo configuration for this server, from GET /api/v1/site
// (read once at app start).
import { session, site } from "./api.js";
import { copyBlock, el, replace } from "./dom.js";

export function renderStart(page) {
  page.setTitle("Getting started");
  const reg = site.registryName;
  const envOf = (name) => "CARGO_REGISTRIES_" + name.toUpperCase().replace(/-/g, "_") + "_TOKEN";
  const mirror = `${reg}-crates-io`;
  let config = `[registries.${reg}]\nindex = "${site.indexUrl}"\ncredential-provider = "cargo:token"\n`;
  // With the crates.io mirror, crates.io crates come through this server too.
  if (site.mirrorIndexUrl) {
    config += `[registries.${mirror}]\nindex = "${site.mirrorIndexUrl}"\ncredential-provider = "cargo:token"\n` +
      `[source.crates-io]\nreplace-with = "${mirror}"\n`;
  }
  const logins = site.mirrorIndexUrl
    ? `cargo login --registry ${reg}\ncargo login --registry ${mirror}`
    : `cargo login --registry ${reg}`;
  const envs = site.mirrorIndexUrl
    ? `export ${envOf(reg)}=crg_... ${envOf(mirror)}=crg_...`
    : `export ${envOf(reg)}=crg_...`;
  const tokenLink = session.user
    ? el("a", { href: "#/tokens" }, "Create a token")
    : el("span", {}, el("a", { href: "#/tokens" }, "Sign in"), " and create a token");

  replace(page.root,
    el("h1", {}, "Getting started"),
    el("p", {}, `This is a private Cargo registry named “${reg}”. Stock cargo uses it once it is configured; every request needs a token.`),
    step("1. Tell cargo about the registry",
      el("p", {}, "Put this in ", el("code", {}, "~/.cargo/config.toml"), ":"),
      copyBlock(config, "the cargo configuration"),
      site.mirrorIndexUrl
        ? el("p", { class: "muted small" }, `The second entry is this server's crates.io mirror: plain dependencies such as `,
            el("code", {}, 'serde = "1"'), " come through it, locked with crates.io's checksums. It never serves a crate named like one of “",
            reg, "”'s: depend on those with ", el("code", {}, `registry = "${reg}"`), ".")
        : null,
      el("p", { class: "muted small" }, el("code", {}, 'credential-provider = "cargo:token"'),
        " is required: without it cargo does not send a token to a registry's index.")),
    step("2. Give cargo a token",
      el("p", {}, tokenLink, " with the read scope (and the publish scopes to publish), then run:"),
      copyBlock(logins, "the cargo login command"),
      el("p", {}, site.mirrorIndexUrl ? "and paste the same token each time, or set it in the environment (handy in CI):"
        : "and paste the token, or set it in the environment (handy in CI):"),
      copyBlock(envs, "the environment variable")),
    step("3. Depend on crates and publish",
      el("p", {}, "In ", el("code", {}, "Cargo.toml"), ":"),
      copyBlock(`[dependencies]\nmy-lib = { version = "0.1", registry = "${reg}" }\n`, "the dependency example"),
      el("p", {}, "and from a crate's directory:"),
      copyBlock(`cargo publish --registry ${reg}`, "the publish command"),
      el("p", {}, "To make sure a crate is only ever published here, never to crates.io by a slip, list this registry under ",
        el("code", {}, "[package]"), " in its ", el("code", {}, "Cargo.toml"), ":"),
      copyBlock(`[package]\npublish = ["${reg}"]\n`, "the publish setting"),
      el("p", { class: "muted small" }, "Cargo then refuses a ", el("code", {}, "cargo publish"),
        " to any other registry, and a plain ", el("code", {}, "cargo publish"), " publishes here."),
      el("p", { class: "muted small" }, "Also: ", el("code", {}, `cargo yank --registry ${reg}`), ", ",
        el("code", {}, `cargo owner --registry ${reg}`), ", ", el("code", {}, `cargo search --registry ${reg}`), ".")),
    el("p", { class: "muted small" }, "API: ", site.apiUrl, site.version ? ` · registry ${site.version}` : ""));
}

function step(title, ...body) {
  return el("section", { class: "step" }, el("h2", {}, title), ...body);
}
