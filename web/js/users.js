// Users (#/users, administrators only): list, create, disable/enable, change role, set or reset
// a password. What the server would refuse (the last administrator's demotion) is disabled,
// with the reason beside it.
import { api, session } from "./api.js";
import {
  cell, dateNode, el, emptyState, errorBox, errorText, field, loading, messageLine, replace,
} from "./dom.js";
import { passwordProblem, passwordRuleText } from "./password_rule.js";

export async function renderUsers(page) {
  page.setTitle("Users");
  replace(page.root, el("h1", {}, "Users"), loading("Loading users"));
  let users;
  try {
    users = (await api("GET", "/api/v1/users")).users || [];
  } catch (error) {
    if (page.isCurrent()) replace(page.root, el("h1", {}, "Users"), errorBox(error, page.rerender));
    return;
  }
  if (!page.isCurrent()) return;

  const list = el("div", { id: "user-list" });
  const status = messageLine();
  const createMessage = messageLine();
  let resetting = ""; // the login whose password form is open

  function draw(focusSelector) {
    replace(list, userTable(users, resetting, actions));
    if (focusSelector) {
      const target = list.querySelector(focusSelector);
      if (target) target.focus();
    }
  }

  // A success replaces every message on the page: an old error must not linger beside it.
  function succeeded(text) {
    createMessage.set("");
    status.set(text, "success");
  }

  // PATCH /api/v1/users/LOGIN with `change`; the reply replaces the row.
  async function update(user, change, done, button) {
    if (button) button.disabled = true;
    try {
      const result = await api("PATCH", `/api/v1/users/${encodeURIComponent(user.login)}`, change);
      users = users.map((u) => (u.login === user.login
        ? { ...u, ...result.user, has_password: u.has_password || Boolean(change.password) } : u));
      resetting = "";
      draw(`[data-login="${CSS.escape(user.login)}"] button:not([disabled])`);
      succeeded(done);
    } catch (error) {
      if (button) button.disabled = false;
      status.set(errorText(error), "error");
    }
  }

  const actions = {
    setAdmin: (u, admin, b) => update(u, { admin }, `${u.login} is now ${admin ? "an administrator" : "a member"}.`, b),
    setDisabled: (u, disabled, b) => {
      if (disabled && !window.confirm(`Disable ${u.login}? Their tokens and web sessions stop working at once, until an administrator enables them again.`)) return;
      update(u, { disabled }, `${u.login} is ${disabled ? "disabled" : "enabled"}.`, b);
    },
    openReset: (u) => { resetting = u.login; status.set(""); draw("#reset-password"); },
    cancelReset: () => { resetting = ""; draw(); },
    resetPassword: (u, password, b) => {
      const problem = passwordProblem(password);
      if (problem) {
        status.set(problem, "error");
        return;
      }
      update(u, { password }, `Set a new password for ${u.login}.`, b);
    },
  };

  function onCreated(user, hasPassword) {
    users = [...users, { created_at: new Date().toISOString().replace(/\.\d+Z$/, "Z"), has_password: hasPassword,
      last_sign_in_at: null, ...user }];
    draw();
    succeeded(`Created ${user.login}.`);
  }

  draw();
  replace(page.root,
    el("h1", {}, "Users"),
    el("section", { "aria-labelledby": "h-all-users" },
      el("h2", { id: "h-all-users" }, "All users"), status, list),
    createForm(onCreated, createMessage, () => status.set("")));
}

// The one enabled administrator, when there is only one: it may be neither demoted nor disabled.
function lastAdmin(users) {
  const admins = users.filter((u) => u.admin && !u.disabled);
  return admins.length === 1 ? admins[0].login : "";
}

function userTable(users, resetting, actions) {
  if (users.length === 0) return emptyState("No users.");
  const last = lastAdmin(users);
  const rows = [];
  for (const u of users) {
    rows.push(userRow(u, actions, u.login === last));
    if (u.login === resetting) rows.push(resetRow(u, actions));
  }
  return el("table", { class: "table-cards" },
    el("thead", {}, el("tr", {}, ["Login", "Role", "Status", "Password", "Created", "Last sign-in", "Actions"]
      .map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows));
}

function userRow(u, actions, isLastAdmin) {
  const self = session.user && u.login === session.user.login;
  const reason = isLastAdmin ? "The last administrator cannot be made a member or disabled: make another user an administrator first." : "";
  const reasonId = `last-admin-${u.login}`;
  const locked = (attrs) => (isLastAdmin ? { ...attrs, disabled: true, title: reason, "aria-describedby": reasonId } : attrs);
  const roleButton = el("button", locked({ type: "button", class: "secondary small" }),
    u.admin ? "Make member" : "Make admin");
  roleButton.addEventListener("click", () => actions.setAdmin(u, !u.admin, roleButton));
  const stateButton = el("button", locked({ type: "button", class: u.disabled ? "secondary small" : "danger small" }),
    u.disabled ? "Enable" : "Disable");
  stateButton.addEventListener("click", () => actions.setDisabled(u, !u.disabled, stateButton));
  const resetButton = self
    ? el("a", { href: "#/account", class: "button-link small" }, "Change password")
    : el("button", { type: "button", class: "secondary small", onclick: () => actions.openReset(u) },
      u.has_password ? "Reset password" : "Set password");
  return el("tr", { "data-login": u.login, class: u.disabled ? "disabled" : null },
    cell("Login", el("strong", {}, u.login), u.name && u.name !== u.login ? ` (${u.name})` : "",
      self ? el("span", { class: "tag" }, "you") : null),
    cell("Role", u.admin ? el("span", { class: "badge" }, "admin") : "member"),
    cell("Status", u.disabled ? el("span", { class: "badge yanked" }, "disabled") : "active"),
    cell("Password", u.has_password ? "set" : el("span", { class: "muted" }, "not set")),
    cell("Created", dateNode(u.created_at)),
    cell("Last sign-in", u.last_sign_in_at ? dateNode(u.last_sign_in_at) : el("span", { class: "muted" }, "never")),
    cell("Actions", el("div", { class: "row-actions", role: "group", "aria-label": `Actions for ${u.login}` },
      roleButton, stateButton, resetButton),
    isLastAdmin ? el("p", { class: "hint reason", id: reasonId }, reason) : null));
}

function resetRow(u, actions) {
  const password = el("input", { id: "reset-password", type: "password", autocomplete: "new-password",
    required: true });
  const save = el("button", { type: "submit" }, "Set password");
  const form = el("form", { class: "inline-form", onsubmit: (event) => {
    event.preventDefault();
    actions.resetPassword(u, password.value, save);
  } },
  field(`New password for ${u.login}`, password, passwordRuleText()),
  el("div", { class: "actions" }, save,
    el("button", { type: "button", class: "secondary", onclick: actions.cancelReset }, "Cancel")));
  return el("tr", { class: "reset-row" }, el("td", { colspan: 7 }, form));
}

function createForm(onCreated, message, onSuccess) {
  const login = el("input", { id: "user-login", name: "login", required: true, autocomplete: "off",
    autocapitalize: "none", spellcheck: "false" });
  const password = el("input", { id: "user-password", name: "password", type: "password",
    autocomplete: "new-password", required: true });
  const admin = el("input", { id: "user-admin", name: "admin", type: "checkbox" });
  const submit = el("button", { type: "submit" }, "Create user");

  async function onSubmit(event) {
    event.preventDefault();
    const problem = passwordProblem(password.value);
    if (problem) {
      message.set(problem, "error");
      password.focus();
      return;
    }
    submit.disabled = true;
    try {
      const result = await api("POST", "/api/v1/users",
        { login: login.value.trim(), password: password.value, admin: admin.checked });
      const hasPassword = password.value !== "";
      event.target.reset();
      message.set("");
      onSuccess();
      onCreated(result.user, hasPassword);
    } catch (error) {
      message.set(errorText(error), "error");
    } finally {
      submit.disabled = false;
    }
  }

  return el("section", { class: "card", "aria-labelledby": "h-create-user" },
    el("h2", { id: "h-create-user" }, "Create a user"),
    el("form", { id: "user-form", onsubmit: onSubmit },
      el("div", { class: "field-row" }, field("Login", login), field("Password", password, passwordRuleText())),
      el("label", { class: "check" }, admin, el("span", {}, "Administrator (can manage users and their tokens)")),
      el("div", { class: "actions" }, submit),
      message));
}
