// What the run page shows, read from a run's events: its steps (asset × partition, in the order they started) and
// the bars of its timeline (one per invocation, an interrupted one included). Pure: no DOM, no fetch.
import type { RunEvent } from "./api.js";

export interface Step {
  /** `asset` or `asset[partition]`, as `pipes runs` and the terminal name a step. */
  label: string;
  asset: string;
  partition: string | null;
  /** materialized, failed, skipped, interrupted; running when the run has no word on it yet. */
  status: string;
  durationMs: number | null;
  /** The first line of its error (or of why it was skipped or interrupted), for the list and the text filter. */
  problem: string;
  events: RunEvent[];
}

export const stepKey = (asset: string, partition: string | null | undefined): string => (partition ? `${asset}[${partition}]` : asset);

export function stepsOf(events: RunEvent[]): Step[] {
  const steps = new Map<string, Step>();
  for (const e of events) {
    if (!e.asset) continue;
    const label = stepKey(e.asset, e.partition);
    let step = steps.get(label);
    if (!step) {
      step = { label, asset: e.asset, partition: e.partition ?? null, status: "running", durationMs: null, problem: "", events: [] };
      steps.set(label, step);
    }
    step.events.push(e);
    if (e.type === "error" && !step.problem) step.problem = errorLine(e.errorType, e.message);
    if (e.type === "asset-end") {
      step.status = e.status;
      step.durationMs = e.durationMs;
      if (!step.problem && e.reason) step.problem = firstLine(e.reason);
    }
  }
  return [...steps.values()];
}

const firstLine = (text: string): string => String(text).split("\n", 1)[0] ?? "";

/** `Error: boom`, once: a message that already starts with its type (as a stringified error does) is not prefixed again. */
export const errorText = (type: string, message: string): string => (String(message).startsWith(`${type}:`) ? String(message) : `${type}: ${message}`);
/** The first line of errorText. */
export const errorLine = (type: string, message: string): string => firstLine(errorText(type, message));

export type BarState = "ok" | "failed" | "interrupted";

export interface Bar {
  step: string;
  start: number;
  end: number;
  state: BarState;
  cold: boolean;
  initMs: number;
  /** The part the function ran (its REPORT's duration, and init on a cold start), at the end of the call. */
  runMs: number;
  throttles: number;
  billedMs: number | null;
  memoryMb: number | null;
  maxMemoryMb: number | null;
  costUsd: number | null;
  /** A bar that stands for several calls of its row (a long run, see `merged`): how many, and the last one's step. */
  calls?: number;
  lastStep?: string;
}

interface Calls {
  starts: number[];
  ends: RunEvent[];
  throttles: number;
  endedAt: number | null;
  durationMs: number | null;
}

/**
 * Bars from a run's events: an invocation starts when its Invoke call was made (`startedAt`; in runs recorded
 * before that was kept, at its step's start) and lasts what the call took, throttle waits included. An invocation
 * that started and never ended (the run was stopped) lasts until its step ended, or the run did.
 */
export function bars(events: RunEvent[]): Bar[] {
  const calls = new Map<string, Calls>();
  let last = 0;
  let runEnd: number | null = null;
  let runStart: number | null = null;
  for (const e of events) {
    if (e.type === "run-start") runStart = Date.parse(e.startedAt);
    if (e.type === "run-end" && runStart !== null) runEnd = runStart + e.durationMs;
    if (!e.asset) continue;
    const label = stepKey(e.asset, e.partition);
    let c = calls.get(label);
    if (!c) {
      c = { starts: [], ends: [], throttles: 0, endedAt: null, durationMs: null };
      calls.set(label, c);
    }
    if (e.type === "throttled") c.throttles++;
    if (e.type === "invocation-start" && e.startedAt) c.starts.push(Date.parse(e.startedAt));
    if (e.type === "invocation-end") c.ends.push(e);
    if (e.type === "asset-end") {
      c.endedAt = Date.parse(e.endedAt);
      c.durationMs = e.durationMs;
    }
    if (e.type === "invocation-start" && e.startedAt) last = Math.max(last, Date.parse(e.startedAt));
    if (e.type === "asset-end") last = Math.max(last, Date.parse(e.endedAt));
  }
  const out: Bar[] = [];
  for (const [step, c] of calls) {
    // Runs recorded before invocation-start had a time: the calls follow each other from the step's start.
    let start = c.starts[0] ?? (c.endedAt !== null && c.durationMs !== null ? c.endedAt - c.durationMs : Number.NaN);
    for (const [i, inv] of c.ends.entries()) {
      start = c.starts[i] ?? start;
      if (Number.isNaN(start)) continue;
      const initMs = inv.initDurationMs ?? 0;
      const runMs = Math.min(inv.durationMs, (inv.lambdaDurationMs ?? inv.durationMs) + initMs);
      out.push({
        step,
        start,
        end: start + inv.durationMs,
        state: inv.ok ? "ok" : "failed",
        cold: inv.cold === true,
        initMs,
        runMs,
        throttles: c.throttles,
        billedMs: inv.billedMs ?? null,
        memoryMb: inv.memoryMb ?? null,
        maxMemoryMb: inv.maxMemoryMb ?? null,
        costUsd: inv.costUsd ?? null,
      });
      start += inv.durationMs;
    }
    for (const begun of c.starts.slice(c.ends.length)) {
      const end = Math.max(begun, c.endedAt ?? runEnd ?? last);
      out.push({ step, start: begun, end, state: "interrupted", cold: false, initMs: 0, runMs: 0, throttles: c.throttles, billedMs: null, memoryMb: null, maxMemoryMb: null, costUsd: null });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Ticks for a time axis of `span` ms: a round step (1, 2 or 5 × a power of ten, or whole minutes and hours) that
 * gives at most `most` ticks, from 0.
 */
export function ticks(span: number, most = 8): number[] {
  const rough = Math.max(span, 1) / most;
  const candidates: number[] = [];
  for (let p = 1; p <= 1e5; p *= 10) candidates.push(p, 2 * p, 5 * p);
  candidates.push(6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 144e5, 216e5, 432e5, 864e5);
  const step = candidates.sort((a, b) => a - b).find((c) => c >= rough) ?? Math.ceil(rough / 864e5) * 864e5;
  const out: number[] = [];
  for (let t = 0; t <= span + step * 1e-9; t += step) out.push(t);
  return out;
}

/** A tick's label: `0 s`, `0.5 s`, `2 s`, `1 min 30 s`, `2 h`; under a second's span, in ms. */
export function tickLabel(ms: number, span: number): string {
  if (span < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000 || span < 120_000) return `${Number((ms / 1000).toFixed(ms % 1000 ? (ms % 100 ? 2 : 1) : 0))} s`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return [h ? `${h} h` : "", m ? `${m} min` : "", s ? `${s} s` : ""].filter(Boolean).join(" ") || "0 s";
}

export interface Row {
  /** What the row's label says: a step, or (a long run) a group of an asset's steps. */
  label: string;
  /** The steps on the row. */
  steps: string[];
}

/**
 * The timeline's rows: a row per step, in the order they started; past `most` steps, an asset's steps share
 * rows, consecutive ones together (`events[2024-01-01 … 2024-01-25]`), so a run of 10,000 steps stays a chart
 * of about `most` rows.
 */
export function rowsOf(list: Bar[], steps: Step[], most = 40): Row[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const bar of list) {
    if (seen.has(bar.step)) continue;
    seen.add(bar.step);
    order.push(bar.step);
  }
  if (order.length <= most) return order.map((step) => ({ label: step, steps: [step] }));
  const byLabel = new Map(steps.map((s) => [s.label, s]));
  const perAsset = new Map<string, string[]>();
  for (const step of order) {
    const asset = byLabel.get(step)?.asset ?? step;
    perAsset.set(asset, [...(perAsset.get(asset) ?? []), step]);
  }
  const size = Math.ceil(order.length / most);
  const rows: Row[] = [];
  for (const [asset, list] of perAsset) {
    for (let i = 0; i < list.length; i += size) {
      const chunk = list.slice(i, i + size);
      const first = byLabel.get(chunk[0]!)?.partition;
      const lastKey = byLabel.get(chunk[chunk.length - 1]!)?.partition;
      const label = chunk.length === 1 ? chunk[0]! : first && lastKey ? `${asset}[${first} … ${lastKey}]` : `${asset} (${chunk.length} steps)`;
      rows.push({ label, steps: chunk });
    }
  }
  return rows;
}

/**
 * A long run's bars, fewer: on each row, successful calls that overlap or nearly touch (within `gapMs`, about a
 * pixel) become one bar that says how many calls it stands for. Failed and interrupted calls stay bars of their own.
 */
export function merged(list: Bar[], rowOf: Map<string, number>, gapMs: number): Bar[] {
  const out: Bar[] = [];
  const open = new Map<number, Bar>();
  for (const bar of list) {
    if (bar.state !== "ok") {
      out.push(bar);
      continue;
    }
    const row = rowOf.get(bar.step) ?? 0;
    const current = open.get(row);
    if (current && bar.start <= current.end + gapMs) {
      current.end = Math.max(current.end, bar.end);
      current.calls = (current.calls ?? 1) + 1;
      current.lastStep = bar.step;
      current.costUsd = current.costUsd !== null && bar.costUsd !== null ? current.costUsd + bar.costUsd : current.costUsd;
      current.cold ||= bar.cold;
      continue;
    }
    const copy = { ...bar, calls: 1, lastStep: bar.step };
    open.set(row, copy);
    out.push(copy);
  }
  return out;
}
