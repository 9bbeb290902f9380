// Numeric metadata drawn by uPlot: across partitions (x = the partition keys in order, the latest value of each) for
// a partitioned asset, across time (x = when each run started, UTC) otherwise. Ticks are whole steps spaced for
// their labels, so keys and dates never overlap; the exact values are listed under the plot.
import uPlot from "uplot";
import { h } from "./dom.js";

export interface Point {
  /** A partition key, or the run's start (ISO-8601). */
  key: string;
  value: number;
  runId: string;
}

/**
 * `by`: partition (points in key order; `keys`, the definition's keys, place them so a partition without a value is a
 * gap in the line) or time (points in time order).
 */
export function metadataChart(name: string, points: Point[], by: "partition" | "time", keys: string[] = []): HTMLElement {
  const box = h("div", { class: "chart", "data-metadata": name, "data-points": String(points.length), "data-x": by }, h("div", { class: "chart-title" }, name, h("span", { class: "muted" }, by === "partition" ? ` by partition (${points.length})` : " over time (UTC)")));
  const plot = h("div", { class: "plot" });
  box.append(plot);
  const { xs, ys, axisKeys } = by === "partition" ? alongKeys(points, keys) : { xs: points.map((p) => Date.parse(p.key) / 1000), ys: points.map((p) => p.value), axisKeys: [] };
  const keyAt = (x: number) => axisKeys[Math.round(x)] ?? "";
  /** The x ticks last labelled, and their labels: the axis's labels are written on the box once drawn. */
  let shown: { ticks: number[]; labels: string[] } = { ticks: [], labels: [] };
  const label = (labels: string[], ticks: number[]) => {
    shown = { ticks, labels };
    return labels;
  };
  const axis: uPlot.Axis =
    by === "partition"
      ? // Whole steps only, at least the longest label's width apart, with steps for any number of keys.
        { space: keySpace(axisKeys), incrs: KEY_STEPS, values: (_u, ticks) => label(ticks.map((t) => (Number.isInteger(t) ? keyAt(t) : "")), ticks) }
      : { space: 110, values: (_u, ticks) => label(utcTicks(ticks), ticks) };
  const options: uPlot.Options = {
    width: 640,
    height: 200,
    // One point alone gets an hour (or a key) either side: uPlot would give a single time 1,000 days after it.
    scales: { x: { time: by === "time", ...(xs.length === 1 ? { range: (_u, min) => (by === "time" ? [min - 3600, min + 3600] : [min - 1, min + 1]) as uPlot.Range.MinMax } : {}) } },
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    axes: [axis, { size: 60 }],
    series: [
      { label: by === "partition" ? "partition" : "started (UTC)", value: by === "partition" ? (_u, x) => (x === null ? "" : keyAt(x)) : "{YYYY}-{MM}-{DD} {HH}:{mm}:{ss}" },
      { label: name, stroke: "#0969da", width: 1.5, points: { show: points.length <= 120, size: 5 } },
    ],
    hooks: { draw: [(u) => (box.dataset.xLabels = JSON.stringify(labelBoxes(u, shown)))] },
  };
  // uPlot measures its container: draw once the box is in the page.
  requestAnimationFrame(() => new uPlot(options, [xs, ys], plot));
  box.append(valuesTable(points, by));
  return box;
}

/**
 * Steps between labelled keys: 1, 2, 5, 10, … up to 5·10⁹. They ended at 5,000: past that many keys per label
 * uPlot found no step wide enough and drew no label at all (from ~35,000 keys at the plot's 640 px, fewer when
 * narrower).
 */
const KEY_STEPS = Array.from({ length: 10 }, (_, k) => [1, 2, 5].map((m) => m * 10 ** k)).flat();

/** Room per label: the longest key's width (at the axis's 12 px font, ~7 px a character) and a gap; 90 px at least. */
const keySpace = (keys: string[]): number => Math.max(90, 8 * keys.reduce((n, k) => Math.max(n, k.length), 0) + 20);

/**
 * Where the x axis's labels were drawn (CSS px from the plot's left, each label's first line centred on its tick):
 * the canvas keeps no text, so the box says what it shows, for a reader and for the tests that check labels never overlap.
 */
function labelBoxes(u: uPlot, shown: { ticks: number[]; labels: string[] }): Array<{ text: string; left: number; right: number }> {
  const font = (u.axes[0]!.font as unknown as [string] | string | undefined) ?? "";
  u.ctx.save();
  u.ctx.font = Array.isArray(font) ? font[0] : font;
  const boxes = shown.ticks.flatMap((tick, i) => {
    const text = (shown.labels[i] ?? "").split("\n")[0]!;
    if (!text) return [];
    const x = u.valToPos(tick, "x");
    const half = u.ctx.measureText(text).width / uPlot.pxRatio / 2;
    return [{ text, left: x - half, right: x + half }];
  });
  u.ctx.restore();
  return boxes;
}

/** Times as ISO reads them, in UTC: hours and minutes within two days (the date on the first tick), else dates. */
function utcTicks(ticks: number[]): string[] {
  const iso = ticks.map((t) => new Date(t * 1000).toISOString());
  const short = (ticks.at(-1) ?? 0) - (ticks[0] ?? 0) < 2 * 86400;
  return iso.map((d, i) => (short ? (i === 0 ? `${d.slice(11, 16)}\n${d.slice(0, 10)}` : d.slice(11, 16)) : d.slice(0, 10)));
}

/**
 * x: each partition's index among the keys, from the first plotted to the last, so a partition that failed or never
 * ran is a gap (null) between its neighbours; keys the definition no longer has follow, in their order.
 */
function alongKeys(points: Point[], keys: string[]): { xs: number[]; ys: Array<number | null>; axisKeys: string[] } {
  const index = new Map(keys.map((k, i) => [k, i]));
  const placed = points.filter((p) => index.has(p.key));
  const extra = points.filter((p) => !index.has(p.key));
  const first = placed.length ? index.get(placed[0]!.key)! : 0;
  const last = placed.length ? index.get(placed.at(-1)!.key)! : -1;
  const axisKeys = [...keys.slice(first, last + 1), ...extra.map((p) => p.key)];
  const value = new Map(points.map((p) => [p.key, p.value]));
  return { xs: axisKeys.map((_, i) => i), ys: axisKeys.map((k) => value.get(k) ?? null), axisKeys };
}

/** The plotted values as text: what a reader (or a screen reader) checks exactly. */
function valuesTable(points: Point[], by: "partition" | "time"): HTMLElement {
  const rows = points.map((p) => h("tr", { "data-key": p.key }, h("td", {}, by === "partition" ? p.key : p.key.replace("T", " ").slice(0, 19)), h("td", {}, String(p.value)), h("td", { class: "muted" }, p.runId.slice(0, 8))));
  return h("details", { class: "chart-values" }, h("summary", {}, "values"), h("table", {}, h("thead", {}, h("tr", {}, h("th", {}, by), h("th", {}, "value"), h("th", {}, "run"))), h("tbody", {}, ...rows)));
}
