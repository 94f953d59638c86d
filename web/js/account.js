// Account (#/account): who you are, your display name, your web sessions (with signing out
// everywhere) and changing your own password.
import { api, session } from "./api.js";
import { cell, dateNode, el, emptyState, errorBox, errorText, field, loading, messageLine, replace } from "./dom.js";
import { passwordProblem, passwordRuleText } from "./password_rule.js";

export function renderAccount(page) {
  page.setTitle("Account");
  const user = session.user;
  const facts = el("dl", { class: "facts card", id: "account-facts" });
  const drawFacts = () => replace(facts,
    el("dt", {}, "Login"), el("dd", {}, user.login),
    el("dt", {}, "Name"), el("dd", {}, user.name || el("span", { class: "muted" }, "not set")),
    el("dt", {}, "Role"), el("dd", {}, user.admin ? "administrator" : "member"));
  drawFacts();
  replace(page.root,
    el("h1", {}, "Account"),
    facts,
    nameForm(user, drawFacts),
    sessionsSection(page),
    passwordForm(user));
}

function nameForm(user, onSaved) {
  const name = el("input", { id: "display-name", name: "name", value: user.name || "", maxlength: 100,
    autocomplete: "name" });
  const message = messageLine();
  const submit = el("button", { type: "submit" }, "Save name");

  async function onSubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    try {
      const result = await api("PATCH", `/api/v1/users/${encodeURIComponent(user.login)}`, { name: name.value.trim() });
      user.name = result.user.name;
      onSaved();
      message.set(user.name ? "Your name has been saved." : "Your name has been cleared.", "success");
    } catch (error) {
      message.set(errorText(error), "error");
    } finally {
      submit.disabled = false;
    }
  }

  return el("section", { class: "card", "aria-labelledby": "h-name" },
    el("h2", { id: "h-name" }, "Display name"),
    el("form", { id: "name-form", onsubmit: onSubmit },
      field("Name", name, "Shown beside your login, e.g. to the owners of crates you share."),
      el("div", { class: "actions" }, submit),
      message));
}

// Your signed-in browsers, from GET /api/v1/sessions; "Sign out everywhere" ends all of them.
function sessionsSection(page) {
  const list = el("div", { id: "session-list" }, loading("Loading sessions"));
  const message = messageLine();
  const everywhere = el("button", { type: "button", class: "danger", id: "sign-out-everywhere" }, "Sign out everywhere");
  everywhere.addEventListener("click", async () => {
    if (!window.confirm("Sign out of every browser, this one too? API tokens keep working.")) return;
    everywhere.disabled = true;
    try {
      await api("DELETE", "/api/v1/sessions");
      session.user = null;
      session.csrfToken = "";
      session.endedReason = "You have been signed out everywhere.";
      document.dispatchEvent(new Event("session-ended"));
    } catch (error) {
      everywhere.disabled = false;
      message.set(errorText(error), "error");
    }
  });

  (async () => {
    try {
      const sessions = (await api("GET", "/api/v1/sessions")).sessions || [];
      if (!page.isCurrent()) return;
      replace(list, sessionTable(sessions));
    } catch (error) {
      if (page.isCurrent()) replace(list, errorBox(error));
    }
  })();

  return el("section", { class: "card", "aria-labelledby": "h-sessions" },
    el("h2", { id: "h-sessions" }, "Where you are signed in"),
    list,
    el("div", { class: "actions" }, everywhere),
    message);
}

// "2026-11-20 14:03 UTC": sessions of one day differ by their time.
function timeNode(iso) {
  return el("time", { datetime: iso }, iso.slice(0, 16).replace("T", " ") + " UTC");
}

function sessionTable(sessions) {
  if (sessions.length === 0) return emptyState("No active sessions.");
  return el("table", { class: "table-cards" },
    el("thead", {}, el("tr", {}, ["Signed in", "From", "Expires", ""].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, sessions.map((s) => el("tr", { "data-session-id": s.id },
      cell("Signed in", timeNode(s.created_at)),
      cell("From", el("code", {}, s.address || "—")),
      cell("Expires", dateNode(s.expires_at)),
      cell("", s.current ? el("span", { class: "tag" }, "this browser") : "")))));
}

function passwordForm(user) {
  const current = el("input", { id: "current-password", type: "password", autocomplete: "current-password", required: true });
  const next = el("input", { id: "new-password", type: "password", autocomplete: "new-password", required: true });
  const again = el("input", { id: "new-password-again", type: "password", autocomplete: "new-password", required: true });
  const message = messageLine();
  const submit = el("button", { type: "submit" }, "Change password");

  async function onSubmit(event) {
    event.preventDefault();
    const problem = passwordProblem(next.value);
    if (problem) {
      message.set(problem, "error");
      next.focus();
      return;
    }
    if (next.value !== again.value) {
      message.set("The two new passwords differ.", "error");
      again.focus();
      return;
    }
    submit.disabled = true;
    message.set("Saving…");
    try {
      await api("PATCH", `/api/v1/users/${encodeURIComponent(user.login)}`,
        { password: next.value, current_password: current.value });
      event.target.reset();
      message.set("Your password has been changed. Your other browsers have been signed out.", "success");
    } catch (error) {
      message.set(errorText(error), "error");
    } finally {
      submit.disabled = false;
    }
  }

  return el("section", { class: "card", "aria-labelledby": "h-password" },
    el("h2", { id: "h-password" }, "Change your password"),
    el("form", { id: "password-form", onsubmit: onSubmit },
      field("Current password", current),
      field("New password", next, passwordRuleText()),
      field("New password, again", again),
      el("div", { class: "actions" }, submit),
      message));
}
