// A small SVG bar chart of a crate's downloads per day over the last 90 days.
import { el, formatNumber, svg } from "./dom.js";

const DAYS = 90;
const BAR = 4; // horizontal slot per day, in viewBox units
const HEIGHT = 60;
const DAY_MS = 86400000;

// `byDay`: [{date: "YYYY-MM-DD", downloads}], days without downloads left out.
export function downloadsChart(byDay) {
  const counts = new Map((byDay || []).map((d) => [d.date, Number(d.downloads) || 0]));
  const days = lastDays(counts);
  const peak = Math.max(0, ...days.map((d) => d.downloads));
  const total = days.reduce((sum, d) => sum + d.downloads, 0);
  const label = `Downloads per day over the last ${DAYS} days: ${formatNumber(total)} in all` +
    (peak ? `, at most ${formatNumber(peak)} on one day` : "");

  const bars = days.map((day, i) => {
    const h = peak ? Math.max(day.downloads ? 2 : 0, (day.downloads / peak) * HEIGHT) : 0;
    return svg("rect", { x: i * BAR + 0.5, y: HEIGHT - h, width: BAR - 1, height: h, class: "bar" },
      svg("title", {}, `${day.date}: ${formatNumber(day.downloads)}`));
  });
  const chart = svg("svg", {
    viewBox: `0 0 ${DAYS * BAR} ${HEIGHT + 1}`, class: "chart", role: "img", "aria-label": label,
    preserveAspectRatio: "none",
  },
  svg("line", { x1: 0, x2: DAYS * BAR, y1: HEIGHT + 0.5, y2: HEIGHT + 0.5, class: "baseline" }),
  bars);

  return el("figure", { class: "chart-figure" },
    chart,
    el("div", { class: "chart-axis", "aria-hidden": "true" },
      el("span", {}, days[0].date), el("span", {}, days[days.length - 1].date)),
    el("figcaption", {}, total
      ? `${formatNumber(total)} download${total === 1 ? "" : "s"} in the last ${DAYS} days (peak ${formatNumber(peak)} a day)`
      : `No downloads in the last ${DAYS} days`));
}

// The DAYS days ending today (UTC), or on the latest day in the data if the server's clock is
// ahead of this one.
function lastDays(counts) {
  let end = Date.UTC(...todayParts());
  for (const date of counts.keys()) {
    const t = Date.parse(date + "T00:00:00Z");
    if (t > end) end = t;
  }
  const days = [];
  for (let i = DAYS - 1; i >= 0; i--) {
    const date = new Date(end - i * DAY_MS).toISOString().slice(0, 10);
    days.push({ date, downloads: counts.get(date) || 0 });
  }
  return days;
}

function todayParts() {
  const now = new Date();
  return [now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()];
}
