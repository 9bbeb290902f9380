/**
 * The human view of a backfill (an asset with more than one step): a line per asset with its progress instead
 * of a block per invocation. On a terminal the lines redraw in place (done / failed / running, rate, ETA); in
 * plain output each failure is a line as it happens and each asset a line when it is done. The details of the
 * first failed steps follow the run. Only in-flight steps' events are held, so memory stays flat.
 */
import { type RunEvent, type RunEventOf, stepLabel } from "../run/events.js";
import { renderAssetBlock } from "./asset-block.js";
import type { Output } from "./output.js";

/** Failed steps whose whole block is shown after the run; the rest are counted. */
const DETAILED_FAILURES = 10;
/** Failures said as a line each while a plain-output run goes on. */
const PLAIN_FAILURE_LINES = 20;

interface Progress {
  total: number;
  materialized: number;
  failed: number;
  skipped: number;
  interrupted: number;
  running: number;
  throttles: number;
  /** When the latest step ended (ms since the epoch, from its event: a replay shows the rate the run had). */
  lastEndedAt: number | null;
}

export interface LiveRegion {
  /** Shows these lines in place of the last ones shown. */
  set(text: string): void;
  /** Writes above the region. */
  print(text: string): void;
  stop(): void;
}

export class BackfillView {
  private readonly progress = new Map<string, Progress>();
  private readonly pending = new Map<string, RunEvent[]>();
  /** Invocations in flight per step: a step that ends without their ends (Ctrl-C) takes them out of `running`. */
  private readonly inFlight = new Map<string, number>();
  private readonly failures: string[] = [];
  private failureCount = 0;
  private plainFailureLines = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly runStartedAt: number;

  constructor(
    private readonly output: Output,
    /** Null in plain output. */
    private readonly live: LiveRegion | null,
    start: RunEventOf<"run-start">,
  ) {
    this.runStartedAt = Date.parse(start.startedAt);
    for (const [asset, total] of Object.entries(start.stepsPerAsset)) {
      this.progress.set(asset, { total, materialized: 0, failed: 0, skipped: 0, interrupted: 0, running: 0, throttles: 0, lastEndedAt: null });
    }
    if (live) this.timer = setInterval(() => this.redraw(), 200);
  }

  onEvent(event: RunEvent): void {
    if (event.type === "run-start") return;
    if (event.type === "run-end") {
      this.close();
      this.write(this.after());
      return;
    }
    if (event.asset === null) {
      this.write(`${event.type === "note" ? this.output.color.dim(`ℹ ${"message" in event ? event.message : ""}`) : this.output.color.yellow(`⚠ ${"message" in event ? event.message : ""}`)}\n`);
      return;
    }
    const p = this.progress.get(event.asset);
    const key = stepLabel(event.asset, event.partition);
    if (event.type === "invocation-start" || event.type === "invocation-end") {
      const change = event.type === "invocation-start" ? 1 : -1;
      this.inFlight.set(key, (this.inFlight.get(key) ?? 0) + change);
      if (p) p.running += change;
    }
    if (event.type === "throttled" && p) p.throttles++;
    if (event.type !== "asset-end") {
      const list = this.pending.get(key);
      if (list) list.push(event);
      else this.pending.set(key, [event]);
      return;
    }
    const events = [...(this.pending.get(key) ?? []), event];
    this.pending.delete(key);
    if (p) p.running -= this.inFlight.get(key) ?? 0;
    this.inFlight.delete(key);
    if (p) {
      p[event.status]++;
      p.lastEndedAt = Date.parse(event.endedAt);
    }
    if (event.status === "failed") this.failed(key, events);
    if (p && this.done(p) === p.total && !this.live) this.write(`${this.line(event.asset, p)}\n`);
  }

  /** After run-end, or when the events stop without one (a replay of a killed run): where each asset got to. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.live) {
      this.redraw();
      this.live.stop();
    } else {
      for (const [asset, p] of this.progress) if (this.done(p) < p.total) this.write(`${this.line(asset, p)}\n`);
    }
  }

  private done(p: Progress): number {
    return p.materialized + p.failed + p.skipped + p.interrupted;
  }

  private failed(key: string, events: RunEvent[]): void {
    this.failureCount++;
    if (this.failures.length < DETAILED_FAILURES) this.failures.push(renderAssetBlock(events, this.output));
    if (!this.live && this.plainFailureLines < PLAIN_FAILURE_LINES) {
      this.plainFailureLines++;
      const error = events.find((e): e is RunEventOf<"error"> => e.type === "error");
      this.write(`${this.output.color.red("✖")} ${key} failed${error ? `: ${error.message.split("\n")[0]}` : ""}\n`);
    }
  }

  /** What follows the progress: the failed steps' details. */
  private after(): string {
    if (this.failures.length === 0) return "";
    const c = this.output.color;
    const more = this.failureCount - this.failures.length;
    const tail = more > 0 ? `${c.dim(`… and ${more} more failed step${more === 1 ? "" : "s"}: pipes logs last --json shows them all`)}\n` : "";
    return `\n${c.bold("Failed")}\n${this.failures.join("")}${tail}`;
  }

  private redraw(): void {
    this.live?.set([...this.progress.keys()].map((asset) => this.line(asset, this.progress.get(asset)!)).join("\n"));
  }

  private line(asset: string, p: Progress): string {
    const c = this.output.color;
    const done = this.done(p);
    const bar = this.bar(p);
    const seconds = p.lastEndedAt === null ? 0 : (p.lastEndedAt - this.runStartedAt) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const parts = [
      `${done}/${p.total}`,
      p.failed ? c.red(`${p.failed} failed`) : "",
      p.skipped ? c.yellow(`${p.skipped} skipped`) : "",
      p.interrupted ? c.yellow(`${p.interrupted} interrupted`) : "",
      p.running ? `${p.running} running` : "",
      p.throttles ? c.yellow(`${p.throttles} throttled`) : "",
      rate > 0 ? `${rate.toFixed(1)}/s` : "",
      rate > 0 && done < p.total ? `ETA ${Math.ceil((p.total - done) / rate)} s` : "",
    ].filter(Boolean);
    const mark = done < p.total ? " " : p.failed + p.skipped ? c.red("✖") : p.interrupted ? c.yellow("⊘") : c.green("✔");
    const pad = Math.max(...[...this.progress.keys()].map((k) => k.length));
    return `${mark} ${c.bold(asset.padEnd(pad))}  ${bar} ${parts.join(c.dim(" · "))}`;
  }

  /**
   * 20 cells in the order materialized (█), failed (▓, red), skipped or interrupted (▒), to do (░): a stopped or
   * failing backfill must not look like a finished green one, with colour or without.
   */
  private bar(p: Progress): string {
    const c = this.output.color;
    const width = 20;
    const cells = (count: number) => (p.total ? Math.round((count / p.total) * width) : width);
    const ok = cells(p.materialized);
    const failed = cells(p.materialized + p.failed) - ok;
    const stopped = cells(this.done(p)) - ok - failed;
    const rest = width - ok - failed - stopped;
    return `${c.green("█".repeat(ok))}${c.red("▓".repeat(failed))}${c.yellow("▒".repeat(stopped))}${c.dim("░".repeat(rest))}`;
  }

  private write(text: string): void {
    if (!text) return;
    if (this.live) this.live.print(text);
    else this.output.stdout.write(text);
  }
}
