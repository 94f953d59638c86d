// Account (#/account): who you are, and changing your own password. Needs no request to draw.
import { api, session } from "./api.js";
import { el, errorText, field, messageLine, replace } from "./dom.js";

export function renderAccount(page) {
  page.setTitle("Account");
  const user = session.user;
  replace(page.root,
    el("h1", {}, "Account"),
    el("dl", { class: "facts card" },
      el("dt", {}, "Login"), el("dd", {}, user.login),
      user.name && user.name !== user.login ? [el("dt", {}, "Name"), el("dd", {}, user.name)] : null,
      el("dt", {}, "Role"), el("dd", {}, user.admin ? "administrator" : "member")),
    passwordForm(user));
}

function passwordForm(user) {
  const current = el("input", { id: "current-password", type: "password", autocomplete: "current-password", required: true });
  const next = el("input", { id: "new-password", type: "password", autocomplete: "new-password", required: true });
  const again = el("input", { id: "new-password-again", type: "password", autocomplete: "new-password", required: true });
  const message = messageLine();
  const submit = el("button", { type: "submit" }, "Change password");

  async function onSubmit(event) {
    event.preventDefault();
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
      message.set("Your password has been changed.", "success");
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
      field("New password", next),
      field("New password, again", again),
      el("div", { class: "actions" }, submit),
      message));
}
