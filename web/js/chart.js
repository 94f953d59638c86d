// A small SVG bar chart of a crate's downloads per day over the last 90 days, with a scale.
import { el, formatNumber, svg } from "./dom.js";

const DAYS = 90;
const BAR = 4; // horizontal slot per day, in viewBox units
const HEIGHT = 60;
const DAY_MS = 86400000;
const SHORT_DATE = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

// `byDay`: [{date: "YYYY-MM-DD", downloads}], days without downloads left out.
export function downloadsChart(byDay) {
  const counts = new Map((byDay || []).map((d) => [d.date, Number(d.downloads) || 0]));
  const days = lastDays(counts);
  const peak = Math.max(0, ...days.map((d) => d.downloads));
  const total = days.reduce((sum, d) => sum + d.downloads, 0);
  const ticks = scaleTicks(peak);
  const top = ticks[ticks.length - 1];
  const label = `Downloads per day over the last ${DAYS} days: ${formatNumber(total)} in all` +
    (peak ? `, at most ${formatNumber(peak)} on one day` : "");

  // Gridlines at each tick; the SVG stretches, so strokes keep their width on screen.
  const grid = ticks.map((t) => {
    const y = HEIGHT - (t / top) * HEIGHT + 0.5;
    return svg("line", { x1: 0, x2: DAYS * BAR, y1: y, y2: y, class: t ? "grid" : "baseline",
      "vector-effect": "non-scaling-stroke" });
  });
  const bars = days.map((day, i) => {
    const h = Math.max(day.downloads ? 2 : 0, (day.downloads / top) * HEIGHT);
    return svg("rect", { x: i * BAR + 0.5, y: HEIGHT + 0.5 - h, width: BAR - 1, height: h, class: "bar" },
      svg("title", {}, `${day.date}: ${formatNumber(day.downloads)}`));
  });
  const chart = svg("svg", {
    viewBox: `0 0 ${DAYS * BAR} ${HEIGHT + 1}`, class: "chart", role: "img", "aria-label": label,
    preserveAspectRatio: "none",
  }, grid, bars);

  // The scale's labels are HTML beside the SVG (text in a stretched SVG would be distorted);
  // the ticks are evenly spaced, so a column spread top to bottom lines up with the gridlines.
  const scale = el("div", { class: "chart-scale", "aria-hidden": "true" },
    [...ticks].reverse().map((t) => el("span", {}, formatNumber(t))));
  const middle = days[Math.floor(days.length / 2)];
  return el("figure", { class: "chart-figure" },
    // A grid: the scale and the bars, then under the bars the dates.
    el("div", { class: "chart-box" }, scale, chart, el("span"),
      el("div", { class: "chart-axis", "aria-hidden": "true" },
        [days[0], middle, days[days.length - 1]].map((d) =>
          el("span", { title: d.date }, SHORT_DATE.format(new Date(d.date + "T00:00:00Z")))))),
    el("figcaption", {}, total
      ? `${formatNumber(total)} download${total === 1 ? "" : "s"} in the last ${DAYS} days (peak ${formatNumber(peak)} a day)`
      : `No downloads in the last ${DAYS} days`));
}

// 0 and up to three more round steps (1, 2 or 5 times a power of ten), the last at or above
// `peak`: 7 -> 0 5 10, 130 -> 0 50 100 150.
export function scaleTicks(peak) {
  const max = Math.max(1, peak);
  const raw = max / 3;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw));
  const ticks = [];
  for (let t = 0; t < max + step; t += step) {
    ticks.push(t);
    if (t >= max) break;
  }
  return ticks;
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
