// A run's timeline, a Gantt of its invocations: a row per step (named by asset and partition), a time axis with
// round ticks, a legend. Each bar is the Invoke call (light: the wait, throttle waits included) with the part the
// function ran drawn solid at its end, a cold start's init in amber, a failure in red, an interrupted call hatched.
// A bar's tooltip says its duration, billed time, memory and cost. A long run's steps share rows (run-model.ts).
import { formatUsd } from "../../lambda/pricing.js";
import { h, s, seconds } from "./dom.js";
import { type Bar, merged, type Row, rowsOf, type Step, tickLabel, ticks } from "./run-model.js";

const ROW = 20;
const WIDTH = 1100;
const LABELS = 250;
const AXIS = 24;
const LEFT = LABELS + 10;
const RIGHT = WIDTH - 24;
/** Past this many calls, a row's calls that touch are drawn as one bar: 10,000 bars would be 30,000 elements. */
const MAX_BARS = 2000;
/** Characters of a row's label that fit in LABELS px (11 px text); longer ones are cut, whole in their tooltip. */
const LABEL_CHARS = 40;

export function timeline(list: Bar[], steps: Step[], select: (step: string) => void): HTMLElement {
  const rows = rowsOf(list, steps);
  const rowOf = new Map<string, number>();
  for (const [i, row] of rows.entries()) for (const step of row.steps) rowOf.set(step, i);
  const t0 = Math.min(...list.map((b) => b.start));
  const span = Math.max(1, Math.max(...list.map((b) => b.end)) - t0);
  const scale = (RIGHT - LEFT) / span;
  const x = (t: number) => LEFT + (t - t0) * scale;
  const height = AXIS + rows.length * ROW + 6;
  const svg = s("svg", { class: "timeline", width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, "data-lanes": rows.length, role: "img", "aria-label": `timeline of ${list.length} invocations` });
  svg.append(hatch());
  for (const tick of ticks(span)) {
    const tx = LEFT + tick * scale;
    svg.append(s("line", { class: "grid-line", x1: tx.toFixed(1), x2: tx.toFixed(1), y1: AXIS - 4, y2: height - 4 }));
    svg.append(s("text", { class: "axis tick", x: tx.toFixed(1), y: AXIS - 8, "text-anchor": "middle" }, tickLabel(tick, span)));
  }
  for (const [i, row] of rows.entries()) svg.append(rowLabel(row, AXIS + i * ROW));
  // Failures last: where a long run's steps share a row, a red bar is never hidden under a blue one.
  const order: Record<Bar["state"], number> = { ok: 0, interrupted: 1, failed: 2 };
  const drawn = list.length > MAX_BARS ? merged(list, rowOf, 1 / scale) : list;
  for (const bar of [...drawn].sort((a, b) => order[a.state] - order[b.state])) {
    const y = AXIS + (rowOf.get(bar.step) ?? 0) * ROW + 3;
    const width = Math.max(2, (bar.end - bar.start) * scale);
    if (bar.calls !== undefined) {
      const rect = s("rect", { class: "bar ok merged", x: x(bar.start).toFixed(1), y, width: width.toFixed(1), height: ROW - 6, "data-step": bar.step, "data-calls": bar.calls }, s("title", {}, tooltip(bar)));
      rect.addEventListener("click", () => select(bar.step));
      svg.append(rect);
      continue;
    }
    const rect = s("rect", { class: `bar ${bar.state}${bar.cold ? " cold" : ""}`, x: x(bar.start).toFixed(1), y, width: width.toFixed(1), height: ROW - 6, "data-step": bar.step, "data-state": bar.state }, s("title", {}, tooltip(bar)));
    // An interrupted call is hatched (a pattern of this svg; a CSS url(#…) would be read against the stylesheet's address).
    if (bar.state === "interrupted") (rect as SVGElement & ElementCSSInlineStyle).style.fill = "url(#timeline-hatch)";
    rect.addEventListener("click", () => select(bar.step));
    svg.append(rect);
    if (bar.state === "interrupted") continue;
    const runWidth = Math.min(width, Math.max(2, bar.runMs * scale));
    const runX = x(bar.start) + width - runWidth;
    svg.append(s("rect", { class: `run${bar.state === "failed" ? " failed" : ""}`, x: runX.toFixed(1), y, width: runWidth.toFixed(1), height: ROW - 6 }));
    if (bar.cold && bar.initMs > 0) svg.append(s("rect", { class: "init", x: runX.toFixed(1), y, width: Math.min(runWidth, bar.initMs * scale).toFixed(1), height: ROW - 6 }));
    if (bar.throttles && rows.length === list.length) svg.append(s("text", { class: "axis", x: Math.min(WIDTH - 20, x(bar.start) + width + 3).toFixed(1), y: y + 11 }, `↻${bar.throttles}`));
  }
  const shared = rows.length < new Set(list.map((b) => b.step)).size;
  return h(
    "div",
    { class: "timeline-wrap" },
    legend(),
    svg,
    shared ? h("p", { class: "muted note" }, `${steps.length.toLocaleString("en")} steps on ${rows.length} rows: an asset's steps that started one after another share a row, and their bars overlap where they ran at once${drawn !== list ? `; past ${MAX_BARS.toLocaleString("en")} calls, a row's successful calls that touch are drawn as one bar (${drawn.length.toLocaleString("en")} bars for ${list.length.toLocaleString("en")} calls)` : ""}. The steps below list each one; a bar's tooltip names its steps.`) : null,
  );
}

function rowLabel(row: Row, y: number): SVGElement {
  const text = row.label.length > LABEL_CHARS ? `${row.label.slice(0, LABEL_CHARS - 1)}…` : row.label;
  const whole = row.steps.length > 1 ? `${row.label}: ${row.steps.length} steps` : row.label;
  return s("g", { class: "row" }, s("title", {}, whole), s("text", { class: "row-label", x: LABELS, y: y + ROW / 2 + 4, "text-anchor": "end", "data-row": row.label }, text));
}

function tooltip(bar: Bar): string {
  if (bar.calls !== undefined) {
    const range = bar.calls > 1 ? `${bar.step} … ${bar.lastStep}` : bar.step;
    return [`${range}: ${bar.calls.toLocaleString("en")} successful call${bar.calls > 1 ? "s" : ""}`, `over ${seconds(bar.end - bar.start)}`, bar.costUsd !== null ? `cost ${formatUsd(bar.costUsd)}` : ""].filter(Boolean).join("\n");
  }
  const lines = [`${bar.step}: ${bar.state === "ok" ? "ran" : bar.state}`];
  if (bar.state === "interrupted") {
    lines.push(`invoked, and stopped before it returned (${seconds(bar.end - bar.start)} until the run stopped)`);
    return lines.join("\n");
  }
  lines.push(`call ${seconds(bar.end - bar.start)}${bar.throttles ? ` (throttled ${bar.throttles}× and retried)` : ""}`);
  lines.push(`ran ${seconds(bar.runMs)}${bar.billedMs !== null ? ` · billed ${Math.round(bar.billedMs)} ms` : ""}`);
  if (bar.cold) lines.push(`cold start: init ${seconds(bar.initMs)}`);
  if (bar.memoryMb !== null) lines.push(`memory ${bar.maxMemoryMb !== null ? `${bar.maxMemoryMb} of ` : ""}${bar.memoryMb} MB`);
  if (bar.costUsd !== null) lines.push(`cost ${formatUsd(bar.costUsd)}`);
  return lines.join("\n");
}

function hatch(): SVGElement {
  return s(
    "defs",
    {},
    s("pattern", { id: "timeline-hatch", patternUnits: "userSpaceOnUse", width: 6, height: 6, patternTransform: "rotate(45)" }, s("rect", { class: "hatch-ground", width: 6, height: 6 }), s("line", { class: "hatch-line", x1: 0, y1: 0, x2: 0, y2: 6 })),
  );
}

function legend(): HTMLElement {
  const item = (cls: string, text: string) => h("li", {}, h("span", { class: `swatch ${cls}` }), text);
  return h(
    "ul",
    { class: "legend", "aria-label": "legend" },
    item("wait", "waiting for the call (throttle waits included)"),
    item("init", "init (cold start)"),
    item("running", "running"),
    item("failed", "failed"),
    item("interrupted", "interrupted"),
    h("li", {}, "↻n throttled n× and retried"),
  );
}
