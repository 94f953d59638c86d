// The password rule on every password form: the server's (GET /api/v1/site), stated beside the
// field and checked as the server checks it, in bytes of UTF-8.
import { site } from "./api.js";

export function passwordRuleText() {
  const { minBytes, maxBytes } = site.passwordRule;
  return `At least ${minBytes} characters (at most ${maxBytes} bytes).`;
}

// "" when `password` meets the rule, else what is wrong, in the words of passwordRuleText.
export function passwordProblem(password) {
  const { minBytes, maxBytes } = site.passwordRule;
  const bytes = new TextEncoder().encode(password).length;
  if (bytes < minBytes) return `The password is too short: use at least ${minBytes} characters.`;
  if (bytes > maxBytes) return `The password is too long: use at most ${maxBytes} bytes.`;
  return "";
}
