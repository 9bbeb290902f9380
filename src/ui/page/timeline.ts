// A run's timeline: one bar per invocation (the Invoke call, throttle waits included, light) on a lane of its own
// while it overlaps others, with the part the function ran drawn solid at its end (so what ran at once reads
// from the solid parts), cold starts with their init part, throttle retries marked.
import type { RunEvent } from "./api.js";
import { s } from "./dom.js";

export interface Bar {
  step: string;
  start: number;
  end: number;
  ok: boolean;
  cold: boolean;
  initMs: number;
  /** The part the function ran (its REPORT's duration, and init on a cold start), at the end of the call. */
  runMs: number;
  throttles: number;
}

/**
 * Bars from a run's events: an invocation starts when its Invoke call was made (`startedAt`; in runs recorded
 * before that was kept, at its step's start) and lasts what the call took, throttle waits included.
 */
export function bars(events: RunEvent[]): Bar[] {
  const out: Bar[] = [];
  const throttles = new Map<string, number>();
  const starts = new Map<string, number[]>();
  const invocations = new Map<string, RunEvent[]>();
  const label = (e: RunEvent) => (e.partition ? `${e.asset}[${e.partition}]` : e.asset);
  for (const e of events) {
    if (e.type === "throttled") throttles.set(label(e), (throttles.get(label(e)) ?? 0) + 1);
    if (e.type === "invocation-start" && e.startedAt) starts.set(label(e), [...(starts.get(label(e)) ?? []), Date.parse(e.startedAt)]);
    if (e.type === "invocation-end") invocations.set(label(e), [...(invocations.get(label(e)) ?? []), e]);
    if (e.type !== "asset-end") continue;
    let start = Date.parse(e.endedAt) - e.durationMs;
    for (const [i, inv] of (invocations.get(label(e)) ?? []).entries()) {
      start = starts.get(label(e))?.[i] ?? start;
      const initMs = inv.initDurationMs ?? 0;
      const runMs = Math.min(inv.durationMs, (inv.lambdaDurationMs ?? inv.durationMs) + initMs);
      out.push({ step: label(e), start, end: start + inv.durationMs, ok: inv.ok, cold: inv.cold === true, initMs, runMs, throttles: throttles.get(label(e)) ?? 0 });
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
    const runWidth = Math.min(width, Math.max(2, (bar.runMs / span) * (WIDTH - 20)));
    const runX = x(bar.end) - runWidth;
    svg.append(s("rect", { class: `run${bar.ok ? "" : " failed"}`, x: runX.toFixed(1), y, width: runWidth.toFixed(1), height: LANE - 6 }));
    if (bar.cold && bar.initMs > 0) svg.append(s("rect", { class: "init", x: runX.toFixed(1), y, width: Math.min(runWidth, (bar.initMs / span) * (WIDTH - 20)).toFixed(1), height: LANE - 6 }));
    if (bar.throttles) svg.append(s("text", { class: "axis", x: Math.min(WIDTH - 24, x(bar.start) + width + 3).toFixed(1), y: y + 12 }, `↻${bar.throttles}`));
  }
  svg.append(s("text", { class: "axis", x: 10, y: height - 6 }, "0 ms"), s("text", { class: "axis", x: WIDTH - 10, y: height - 6, "text-anchor": "end" }, `${Math.round(span)} ms`));
  return svg;
}
