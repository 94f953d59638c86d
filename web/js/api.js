// Talking to the registry's JSON API: the session (user, CSRF token), and one fetch wrapper
// that turns {"errors":[{"detail":...}]} replies into thrown ApiErrors.

export class ApiError extends Error {
  // `retryAfter`: seconds the server asks to wait (Retry-After), 0 when it did not say.
  constructor(message, status, retryAfter = 0) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// The signed-in user and the session's CSRF token; set by loadSession and signIn.
export const session = { user: null, csrfToken: "", endedReason: "" };

// What the Getting started page and the install commands need; see loadSite.
export const site = {
  registryName: "private", indexUrl: "", apiUrl: "", version: "",
  // The server's rule for new passwords, in bytes of UTF-8 (GET /api/v1/site).
  passwordRule: { minBytes: 10, maxBytes: 1024 },
};

// fetch(path) with JSON in and out. Every non-GET request carries the CSRF token.
export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = session.csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch {
    throw new ApiError("the registry could not be reached; check the connection and try again", 0);
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("Retry-After")) || 0;
    const error = new ApiError(errorDetail(data, response), response.status, retryAfter);
    if (response.status === 403 && session.user && path !== "/api/v1/session") {
      await noticeEndedSession(error);
    }
    throw error;
  }
  return data;
}

// A 403 may mean the session expired or was ended elsewhere: then the app shows the sign-in
// form (app.js listens for "session-ended") instead of a puzzling error.
async function noticeEndedSession(error) {
  try {
    if (await loadSession()) return;
  } catch {
    return;
  }
  session.endedReason = error.message;
  document.dispatchEvent(new Event("session-ended"));
}

function errorDetail(data, response) {
  const detail = data && Array.isArray(data.errors) && data.errors[0] && data.errors[0].detail;
  return typeof detail === "string" && detail
    ? forPeople(detail)
    : `the registry answered ${response.status} ${response.statusText}`.trim();
}

// The server's details are written for cargo's terminal, where `name` marks code; on a page
// the marks are quotes.
function forPeople(detail) {
  return detail.replace(/`([^`]*)`/g, "“$1”").replace(/`/g, "");
}

// GET /api/v1/session: fills `session`; returns the user or null.
export async function loadSession() {
  const data = await api("GET", "/api/v1/session");
  session.user = data.user || null;
  session.csrfToken = data.csrf_token || "";
  return session.user;
}

export async function signIn(login, password) {
  const data = await api("POST", "/api/v1/session", { login, password });
  session.user = data.user;
  session.csrfToken = data.csrf_token;
  session.endedReason = "";
  return data.user;
}

export async function signOut() {
  await api("DELETE", "/api/v1/session");
  session.user = null;
  session.csrfToken = "";
}

// GET /api/v1/site (public); falls back to this page's origin when the server lacks it.
export async function loadSite() {
  const origin = window.location.origin;
  let data = null;
  try {
    data = await api("GET", "/api/v1/site");
  } catch {
    data = null;
  }
  site.registryName = (data && data.registry_name) || "private";
  site.indexUrl = (data && data.index_url) || `sparse+${origin}/index/`;
  site.apiUrl = (data && data.api_url) || origin;
  site.mirrorIndexUrl = (data && data.mirror_index_url) || "";
  site.version = (data && data.version) || "";
  const rule = data && data.password_rule;
  if (rule && rule.min_bytes > 0 && rule.max_bytes >= rule.min_bytes) {
    site.passwordRule = { minBytes: rule.min_bytes, maxBytes: rule.max_bytes };
  }
  return site;
}
