// The sign-in form, shown in place of any page that needs a session.
import { session, signIn } from "./api.js";
import { el, errorText, field, messageLine, replace } from "./dom.js";

export function renderSignIn(page, onSignedIn) {
  page.setTitle("Sign in");
  const message = messageLine();
  const login = el("input", { id: "signin-login", name: "login", autocomplete: "username",
    required: true, autocapitalize: "none", spellcheck: "false", "data-autofocus": true });
  const password = el("input", { id: "signin-password", name: "password", type: "password",
    autocomplete: "current-password", required: true });
  const submit = el("button", { type: "submit" }, "Sign in");

  async function onSubmit(event) {
    event.preventDefault();
    submit.disabled = true;
    message.set("Signing in…");
    try {
      await signIn(login.value.trim(), password.value);
      onSignedIn();
    } catch (error) {
      message.set(errorText(error), "error");
      password.select();
      if (error.retryAfter > 0) {
        waitOut(error.retryAfter);
        return;
      }
    }
    submit.disabled = false;
  }

  // Backed off by the server: the button stays off and says how long is left.
  function waitOut(seconds) {
    let left = Math.ceil(seconds);
    const tick = () => {
      if (!submit.isConnected) return;
      if (left <= 0) {
        submit.disabled = false;
        submit.textContent = "Sign in";
        return;
      }
      submit.textContent = `Try again in ${left} s`;
      left--;
      setTimeout(tick, 1000);
    };
    submit.disabled = true;
    tick();
  }

  const form = el("form", { class: "card narrow", onsubmit: onSubmit },
    el("h1", {}, "Sign in"),
    session.endedReason ? el("p", { class: "message info" }, session.endedReason) : null,
    el("p", { class: "muted" }, "Sign in to browse crates and manage your tokens."),
    field("Login", login),
    field("Password", password),
    el("div", { class: "actions" }, submit),
    message,
    el("p", { class: "muted small" }, "New here? Read ", el("a", { href: "#/start" }, "Getting started"),
      ". An administrator creates accounts."));
  replace(page.root, form);
}

