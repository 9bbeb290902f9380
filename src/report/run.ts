/**
 * Reporters for runs. json: one event per line, as it happens. pretty and plain: a block per asset when it
 * ends (parallel assets never interleave), a spinner while invocations run (pretty only), a summary.
 */
import { checksFail, type RunEvent, type RunEventOf, stepLabel } from "../run/events.js";
import { checksText } from "./checks-text.js";
import { displayPath } from "../util/paths.js";
import { renderAssetBlock } from "./asset-block.js";
import { BackfillView, type LiveRegion } from "./backfill.js";
import { jsonLine } from "./json-line.js";
import type { Output } from "./output.js";
import { TurnBatch } from "../util/turn-batch.js";
import { formatRunCost } from "../facts/pricing.js";
import type { PartitionRequest } from "../partitions/request.js";

export interface RunReporter {
  onEvent(event: RunEvent): void;
  /** Stops the spinner; call when the run is over, also after an error. */
  close(): void;
}

/** `wrapBlock`: wraps each asset's block of text (a collapsible group on GitHub Actions). */
export interface RunReporterOptions {
  cwd: string;
  header?: boolean;
  wrapBlock?: (block: string) => string;
}

export async function createRunReporter(output: Output, options: RunReporterOptions): Promise<RunReporter> {
  if (output.mode === "json") {
    const batch = new TurnBatch((text) => output.stdout.write(text));
    return {
      onEvent: (event) => batch.add(jsonLine(event)),
      close: () => batch.flush(),
    };
  }
  const spinner = output.mode === "pretty" && sized(output.stderr) ? (await import("ora")).default({ stream: output.stderr, discardStdin: false }) : null;
  return new HumanReporter(output, spinner, options);
}

type Spinner = { start(text?: string): unknown; stop(): unknown; text: string; isSpinning: boolean };

class HumanReporter implements RunReporter {
  private readonly pending = new Map<string, RunEvent[]>();
  private readonly running = new Map<string, { functionName: string; since: number }>();
  /** Log and output lines printed live (above the spinner) per asset, left out of its block at the end. */
  private readonly shownLive = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  /** Set at run-start when an asset has several steps (a backfill): it takes every event from then on. */
  private backfill: BackfillView | null = null;

  constructor(
    private readonly output: Output,
    private readonly spinner: Spinner | null,
    private readonly options: RunReporterOptions,
  ) {}

  onEvent(event: RunEvent): void {
    const c = this.output.color;
    if (this.backfill) {
      this.backfill.onEvent(event);
      if (event.type === "run-end") this.print(`\n${summary(event, this.output)}\n`);
      return;
    }
    switch (event.type) {
      case "run-start": {
        if (event.steps > Object.keys(event.stepsPerAsset).length) this.backfill = new BackfillView(this.output, this.spinner ? this.liveRegion() : null, event);
        if (this.options.header === false) return;
        const where = event.target === "emulator" ? "local emulator" : "AWS";
        const extra = [
          event.retryOf ? `retry of run ${event.retryOf.slice(0, 8)}` : "",
          partitionsAsked(event.partitionRequest),
          Object.keys(event.extras).length ? `extras ${JSON.stringify(event.extras)}` : "",
        ]
          .filter(Boolean)
          .join(" · ");
        this.print(
          `${c.bold("pipes materialize")} ${c.dim("·")} ${displayPath(event.file, this.options.cwd)} ${c.dim("·")} profile ${c.cyan(event.profile)} ${c.dim(`(${where}) · run ${event.runId.slice(0, 8)}`)}${extra ? ` ${c.dim("·")} ${extra}` : ""}\n`,
        );
        return;
      }
      case "invocation-start":
        this.running.set(stepLabel(event.asset, event.partition), { functionName: event.functionName, since: performance.now() });
        this.collect(event);
        this.refreshSpinner();
        return;
      case "invocation-end":
        this.running.delete(stepLabel(event.asset, event.partition));
        this.collect(event);
        this.refreshSpinner();
        return;
      case "asset-end": {
        this.collect(event);
        const key = stepLabel(event.asset, event.partition);
        const live = this.shownLive.get(key) ?? 0;
        const block = renderAssetBlock(this.pending.get(key) ?? [event], this.output, live);
        this.print(this.options.wrapBlock ? this.options.wrapBlock(block) : block);
        this.pending.delete(key);
        this.shownLive.delete(key);
        return;
      }
      case "run-end":
        this.print(`\n${summary(event, this.output)}\n`);
        return;
      default:
        if (this.spinner && event.asset !== null && this.running.has(stepLabel(event.asset, event.partition)) && (event.type === "log" || event.type === "output")) {
          // A line of an invocation still running: show it now, above the spinner, with its asset.
          const key = stepLabel(event.asset, event.partition);
          this.print(`${liveLine(event, this.output)}\n`);
          this.shownLive.set(key, (this.shownLive.get(key) ?? 0) + 1);
        } else if (event.asset === null) {
          const text = "message" in event ? event.message : "";
          this.print(`${event.type === "error" ? c.red(`✖ ${text}`) : event.type === "note" ? c.dim(`ℹ ${text}`) : c.yellow(`⚠ ${text}`)}\n`);
        } else {
          this.collect(event);
        }
    }
  }

  /** The spinner as a region of several lines (ora redraws multi-line text in place). */
  private liveRegion(): LiveRegion {
    const spinner = this.spinner!;
    return {
      set: (text) => {
        spinner.text = text;
        if (!spinner.isSpinning) spinner.start();
      },
      print: (text) => this.print(text),
      stop: () => {
        if (spinner.isSpinning) {
          // Leave the last progress on screen.
          const text = spinner.text;
          spinner.stop();
          this.output.stdout.write(`${text}\n`);
        }
      },
    };
  }

  close(): void {
    this.backfill?.close();
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.spinner?.isSpinning) this.spinner.stop();
  }

  private collect(event: RunEvent & { asset: string | null }): void {
    const key = event.asset === null ? "" : stepLabel(event.asset, "partition" in event ? event.partition : null);
    const list = this.pending.get(key) ?? [];
    list.push(event);
    this.pending.set(key, list);
  }

  /** Writes above the spinner: stop it, write, start it again. */
  private print(text: string): void {
    const spinning = this.spinner?.isSpinning;
    if (spinning) this.spinner!.stop();
    this.output.stdout.write(text);
    if (spinning) this.spinner!.start();
  }

  private refreshSpinner(): void {
    if (!this.spinner) return;
    if (this.running.size === 0) {
      this.close();
      return;
    }
    const text = () =>
      [...this.running.entries()]
        .map(([asset, r]) => `${asset} → ${r.functionName} ${this.output.color.dim(`${((performance.now() - r.since) / 1000).toFixed(1)}s`)}`)
        .join(this.output.color.dim("  ·  "));
    this.spinner.text = text();
    if (!this.spinner.isSpinning) this.spinner.start();
    this.timer ??= setInterval(() => {
      if (this.spinner) this.spinner.text = text();
    }, 100);
  }
}

function liveLine(event: RunEventOf<"log"> | RunEventOf<"output">, output: Output): string {
  const c = output.color;
  const text = event.type === "log" ? `${event.level.padEnd(8)} ${event.message}` : `${c.dim("│")} ${event.level ? `${event.level} ` : ""}${event.text}`;
  return `${c.dim(`  ${stepLabel(event.asset, event.partition)} ›`)} ${text}`;
}

/** The last line of a run: counts of steps by outcome, a few of their labels, the throttles retried. */
export function summary(event: RunEventOf<"run-end">, output: Output): string {
  const c = output.color;
  const seconds = `${(event.durationMs / 1000).toFixed(1)} s`;
  const counts = event.counts;
  const some = (labels: string[], count: number) => {
    const shown = labels.slice(0, 5).join(", ");
    return count > 5 ? `${shown}, … ${count - 5} more` : shown;
  };
  const parts = [
    counts.materialized ? c.green(`${counts.materialized} materialized`) : "",
    counts.failed ? c.red(`${counts.failed} failed (${some(event.failed, counts.failed)})`) : "",
    counts.skipped ? c.yellow(`${counts.skipped} skipped (${some(event.skipped, counts.skipped)})`) : "",
    counts.interrupted ? c.yellow(`${counts.interrupted} interrupted (${some(event.interrupted, counts.interrupted)})`) : "",
  ].filter(Boolean);
  const throttled = event.throttles ? c.dim(` · ${event.throttles} throttle${event.throttles === 1 ? "" : "s"} retried`) : "";
  const mark = event.ok ? c.green("✔") : c.red("✖");
  return `${mark} ${parts.join(", ") || "nothing to do"}${checksSummary(event, output)}${throttled}${costSummary(event, output)} ${c.dim(`in ${seconds} · run ${event.runId}`)}`;
}

function costSummary(event: RunEventOf<"run-end">, output: Output): string {
  const cost = formatRunCost(event);
  return cost ? output.color.dim(` · ${cost}`) : "";
}

/** ` · checks: 4 passed, 1 failed (ERROR): clean_orders:no_test_orders (ERROR)`; nothing when no check ran. */
function checksSummary(event: RunEventOf<"run-end">, output: Output): string {
  const c = output.color;
  // Runs recorded before checks were counted have no `checks`.
  const checks = event.checks;
  if (!checks) return "";
  const failed = checks.failedError + checks.failedWarn + checks.notReported;
  if (checks.passed + failed === 0) return "";
  const parts = checksText(checks, { passed: c.green, error: c.red, warn: event.failOnChecks === "warn" ? c.red : c.yellow });
  const names = event.failedChecks.length ? `: ${event.failedChecks.slice(0, 5).join(", ")}${failed > 5 ? `, … ${failed - 5} more` : ""}` : "";
  const rule = checksFail(checks, event.failOnChecks) ? c.dim(` (--fail-on-checks ${event.failOnChecks})`) : "";
  return ` · checks ${parts}${names}${rule}`;
}

/** The header's word for what the run asked of partitions: the same flag's meaning for one key, a range, or all. */
function partitionsAsked(request: PartitionRequest | null): string {
  if (request === null) return "";
  if (request.kind === "key") return `partition ${request.key}`;
  if (request.kind === "range") return `partitions ${request.start}...${request.end}`;
  // "last" is what pipes dev asks of every run, partitioned or not: nothing worth a word in the header.
  return request.kind === "all" ? "all partitions" : "";
}

/**
 * A terminal nobody sized (0 × 0: `script -qec "pipes …"` in CI, a container's pty before it is sized) cannot be
 * redrawn in place: ora counts the lines to clear as width / 0 and clears forever, in one loop Ctrl-C cannot stop.
 * Asked at each run's start, so a terminal sized later (as `docker exec -it` does) gets its spinner then.
 */
function sized(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }): boolean {
  return stream.isTTY !== true || Boolean(stream.columns);
}
