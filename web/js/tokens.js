// API tokens (#/tokens): list your tokens, create one (its secret is shown once), revoke.
// Administrators also see and revoke every user's tokens (#/tokens?all=1).
import { api, session, site } from "./api.js";
import {
  cell, copyBlock, dateNode, el, emptyState, errorBox, errorText, field, loading, messageLine, replace,
} from "./dom.js";

const SCOPES = [
  ["read", "read", "download crates and read the index"],
  ["publish-new", "publish-new", "publish crates that do not exist yet"],
  ["publish-update", "publish-update", "publish new versions of crates you own"],
  ["yank", "yank", "yank and unyank versions"],
  ["change-owners", "change-owners", "add and remove owners"],
  ["docs", "docs", "upload and delete hosted docs"],
];
const EXPIRY = [["7", "7 days"], ["30", "30 days"], ["90", "90 days"], ["365", "1 year"], ["never", "Never"]];

export async function renderTokens(page) {
  page.setTitle("API tokens");
  const all = page.query.get("all") === "1" && session.user.admin;
  replace(page.root, el("h1", {}, "API tokens"), loading("Loading tokens"));
  let tokens;
  try {
    tokens = (await api("GET", all ? "/api/v1/tokens?all=1" : "/api/v1/tokens")).tokens || [];
  } catch (error) {
    if (page.isCurrent()) replace(page.root, el("h1", {}, "API tokens"), errorBox(error, page.rerender));
    return;
  }
  if (!page.isCurrent()) return;

  const list = el("div", { id: "token-list" });
  const secretArea = el("div", { id: "new-token" });
  const status = messageLine();
  const draw = () => replace(list, tokenTable(tokens, onRevoke, all));

  async function onRevoke(token, button) {
    const whose = token.user && token.user !== session.user.login ? ` of ${token.user}` : "";
    if (!window.confirm(`Revoke the token “${token.name || "unnamed"}”${whose}? Cargo using it is refused at once.`)) return;
    button.disabled = true;
    try {
      await api("DELETE", `/api/v1/tokens/${encodeURIComponent(token.id)}`);
      tokens = tokens.filter((t) => t.id !== token.id);
      draw();
      status.set(`Revoked the token “${token.name || "unnamed"}”.`, "success");
    } catch (error) {
      button.disabled = false;
      status.set(errorText(error), "error");
    }
  }

  function onCreated(result) {
    if (all || result.token.user === session.user.login) tokens = [result.token, ...tokens];
    draw();
    replace(secretArea, secretPanel(result, () => replace(secretArea)));
    secretArea.querySelector("h2").focus();
  }

  draw();
  replace(page.root,
    el("h1", {}, "API tokens"),
    el("p", {}, "Cargo authenticates with a token. Give each machine or CI job its own, with only the scopes it needs, and revoke it when it is no longer used."),
    secretArea,
    el("section", { "aria-labelledby": "h-your-tokens" },
      el("h2", { id: "h-your-tokens" }, all ? "Every user's tokens" : "Your tokens"),
      session.user.admin
        ? el("p", { class: "small" }, all
          ? el("a", { href: "#/tokens", id: "tokens-mine" }, "Show only your tokens")
          : el("a", { href: "#/tokens?all=1", id: "tokens-all" }, "Show every user's tokens"))
        : null,
      status, list),
    createForm(onCreated));
}

function tokenTable(tokens, onRevoke, all) {
  if (tokens.length === 0) return emptyState(all ? "No user has a token." : "You have no tokens. Create one below.");
  const now = Date.now();
  return el("table", { class: "table-cards" },
    el("thead", {}, el("tr", {}, [...(all ? ["User"] : []), "Name", "Scopes", "Crates", "Created", "Last used", "Expires", ""]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, tokens.map((t) => {
      const expired = t.expires_at && Date.parse(t.expires_at) < now;
      const revoke = el("button", { type: "button", class: "danger small",
        "aria-label": `Revoke ${t.name || "unnamed token"}` }, "Revoke");
      revoke.addEventListener("click", () => onRevoke(t, revoke));
      return el("tr", { "data-token-id": t.id, "data-user": t.user },
        all ? cell("User", t.user) : null,
        cell("Name", el("strong", {}, t.name || "unnamed")),
        cell("Scopes", (t.scopes || []).map((s) => el("span", { class: "tag" }, s))),
        cell("Crates", t.crates && t.crates.length ? t.crates.join(", ") : el("span", { class: "muted" }, "all")),
        cell("Created", dateNode(t.created_at)),
        cell("Last used", t.last_used_at ? dateNode(t.last_used_at) : el("span", { class: "muted" }, "never")),
        cell("Expires", t.expires_at ? el("span", { class: expired ? "badge yanked" : null },
          expired ? "expired " : "", dateNode(t.expires_at)) : el("span", { class: "muted" }, "never")),
        cell("", revoke));
    })));
}

function createForm(onCreated) {
  const name = el("input", { id: "token-name", name: "name", required: true, maxlength: 100,
    placeholder: "e.g. laptop, ci-deploy", autocomplete: "off" });
  const checks = SCOPES.map(([value, label, hint]) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "scopes", value, checked: value === "read" }),
    el("span", {}, el("code", {}, label), " ", el("span", { class: "muted" }, hint))));
  const crates = el("input", { id: "token-crates", name: "crates", autocomplete: "off",
    spellcheck: "false", placeholder: "my-corp-*, tools" });
  const expiry = el("select", { id: "token-expiry", name: "expires" },
    EXPIRY.map(([value, label]) => el("option", { value, selected: value === "30" }, label)));
  const message = messageLine();
  const submit = el("button", { type: "submit" }, "Create token");

  async function onSubmit(event) {
    event.preventDefault();
    const form = event.target;
    const scopes = [...form.querySelectorAll("input[name=scopes]:checked")].map((c) => c.value);
    if (scopes.length === 0) {
      message.set("Choose at least one scope.", "error");
      return;
    }
    const body = {
      name: name.value.trim(),
      scopes,
      crates: crates.value.split(",").map((s) => s.trim()).filter(Boolean),
      expires_in_days: expiry.value === "never" ? null : Number(expiry.value),
    };
    submit.disabled = true;
    message.set("Creating…");
    try {
      const result = await api("POST", "/api/v1/tokens", body);
      message.set("");
      form.reset();
      onCreated(result);
    } catch (error) {
      message.set(errorText(error), "error");
    } finally {
      submit.disabled = false;
    }
  }

  return el("section", { class: "card", "aria-labelledby": "h-create-token" },
    el("h2", { id: "h-create-token" }, "Create a token"),
    el("form", { onsubmit: onSubmit, id: "token-form" },
      el("div", { class: "form-grid" },
        field("Name", name),
        field("Crates", crates, "Names or patterns with *, comma-separated; empty for all crates."),
        field("Expires after", expiry)),
      el("fieldset", {}, el("legend", {}, "Scopes"), el("div", { class: "scope-grid" }, checks)),
      el("div", { class: "actions" }, submit),
      message));
}

function secretPanel(result, onDone) {
  const envName = "CARGO_REGISTRIES_" + site.registryName.toUpperCase().replace(/-/g, "_") + "_TOKEN";
  return el("section", { class: "card secret", "aria-labelledby": "h-secret" },
    el("h2", { id: "h-secret", tabindex: "-1" }, `Your new token “${result.token.name || "unnamed"}”`),
    el("p", { class: "message warning", role: "alert" },
      "Copy it now: it is shown only this once and cannot be recovered. Treat it like a password."),
    el("div", { class: "secret-value", "data-secret": "" }, copyBlock(result.secret, "the token")),
    el("p", { class: "small" }, "Use it with ", el("code", {}, `cargo login --registry ${site.registryName}`),
      " or set ", el("code", {}, envName), "."),
    el("button", { type: "button", class: "secondary", onclick: onDone }, "Done, I copied it"));
}
