// A run's timeline: one bar per invocation on a lane of its own while it overlaps others (so the concurrency
// reads as the number of lanes), cold starts with their init part, throttle retries marked.
import type { RunEvent } from "./api.js";
import { s } from "./dom.js";

export interface Bar {
  step: string;
  start: number;
  end: number;
  ok: boolean;
  cold: boolean;
  initMs: number;
  throttles: number;
}

/** Bars from a run's events: an invocation ends at its step's end, and lasts what Invoke took. */
export function bars(events: RunEvent[]): Bar[] {
  const out: Bar[] = [];
  const throttles = new Map<string, number>();
  const invocations = new Map<string, RunEvent[]>();
  const label = (e: RunEvent) => (e.partition ? `${e.asset}[${e.partition}]` : e.asset);
  for (const e of events) {
    if (e.type === "throttled") throttles.set(label(e), (throttles.get(label(e)) ?? 0) + 1);
    if (e.type === "invocation-end") invocations.set(label(e), [...(invocations.get(label(e)) ?? []), e]);
    if (e.type !== "asset-end") continue;
    const ended = Date.parse(e.endedAt);
    let start = ended - e.durationMs;
    for (const inv of invocations.get(label(e)) ?? []) {
      out.push({ step: label(e), start, end: start + inv.durationMs, ok: inv.ok, cold: inv.cold === true, initMs: inv.initDurationMs ?? 0, throttles: throttles.get(label(e)) ?? 0 });
      start += inv.durationMs;
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

const LANE = 22;
const WIDTH = 900;

export function timeline(list: Bar[], select: (step: string) => void): SVGElement {
  const lanes: number[] = [];
  const placed = list.map((bar) => {
    let lane = lanes.findIndex((free) => free <= bar.start);
    if (lane < 0) lane = lanes.push(0) - 1;
    lanes[lane] = bar.end;
    return { bar, lane };
  });
  const t0 = Math.min(...list.map((b) => b.start));
  const t1 = Math.max(...list.map((b) => b.end));
  const span = Math.max(1, t1 - t0);
  const x = (t: number) => 10 + ((t - t0) / span) * (WIDTH - 20);
  const height = lanes.length * LANE + 30;
  const svg = s("svg", { class: "timeline", width: WIDTH, height, viewBox: `0 0 ${WIDTH} ${height}`, "data-lanes": lanes.length });
  for (const { bar, lane } of placed) {
    const y = 6 + lane * LANE;
    const width = Math.max(2, x(bar.end) - x(bar.start));
    const title = `${bar.step}: ${Math.round(bar.end - bar.start)} ms${bar.cold ? ` · cold (init ${Math.round(bar.initMs)} ms)` : ""}${bar.throttles ? ` · throttled ${bar.throttles}×` : ""}`;
    const rect = s("rect", { class: `bar${bar.ok ? "" : " failed"}${bar.cold ? " cold" : ""}`, x: x(bar.start).toFixed(1), y, width: width.toFixed(1), height: LANE - 6, "data-step": bar.step }, s("title", {}, title));
    rect.addEventListener("click", () => select(bar.step));
    svg.append(rect);
    if (bar.cold && bar.initMs > 0) svg.append(s("rect", { class: "init", x: x(bar.start).toFixed(1), y, width: Math.min(width, (bar.initMs / span) * (WIDTH - 20)).toFixed(1), height: LANE - 6 }));
    if (bar.throttles) svg.append(s("text", { class: "axis", x: (x(bar.start) + width + 3).toFixed(1), y: y + 12 }, `↻${bar.throttles}`));
  }
  svg.append(s("text", { class: "axis", x: 10, y: height - 6 }, "0 ms"), s("text", { class: "axis", x: WIDTH - 10, y: height - 6, "text-anchor": "end" }, `${Math.round(span)} ms`));
  return svg;
}
