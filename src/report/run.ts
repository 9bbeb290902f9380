/**
 * Reporters for runs. json: one event per line, as it happens. pretty and plain: a block per asset when it
 * ends (parallel assets never interleave), a spinner while invocations run (pretty only), a summary.
 */
import type { RunEvent, RunEventOf } from "../run/events.js";
import { displayPath } from "../util/paths.js";
import { renderAssetBlock } from "./asset-block.js";
import { jsonLine } from "./json-line.js";
import type { Output } from "./output.js";

export interface RunReporter {
  onEvent(event: RunEvent): void;
  /** Stops the spinner; call when the run is over, also after an error. */
  close(): void;
}

export async function createRunReporter(output: Output, options: { cwd: string; header?: boolean }): Promise<RunReporter> {
  if (output.mode === "json") {
    return {
      onEvent: (event) => output.stdout.write(jsonLine(event)),
      close() {},
    };
  }
  const spinner = output.mode === "pretty" ? (await import("ora")).default({ stream: output.stderr, discardStdin: false }) : null;
  return new HumanReporter(output, spinner, options);
}

type Spinner = { start(text?: string): unknown; stop(): unknown; text: string; isSpinning: boolean };

class HumanReporter implements RunReporter {
  private readonly pending = new Map<string, RunEvent[]>();
  private readonly running = new Map<string, { functionName: string; since: number }>();
  /** Log and output lines printed live (above the spinner) per asset, left out of its block at the end. */
  private readonly shownLive = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly output: Output,
    private readonly spinner: Spinner | null,
    private readonly options: { cwd: string; header?: boolean },
  ) {}

  onEvent(event: RunEvent): void {
    const c = this.output.color;
    switch (event.type) {
      case "run-start": {
        if (this.options.header === false) return;
        const where = event.target === "emulator" ? "local emulator" : "AWS";
        const extra = [event.partition ? `partition ${event.partition}` : "", Object.keys(event.extras).length ? `extras ${JSON.stringify(event.extras)}` : ""]
          .filter(Boolean)
          .join(" · ");
        this.print(
          `${c.bold("pipes materialize")} ${c.dim("·")} ${displayPath(event.file, this.options.cwd)} ${c.dim("·")} profile ${c.cyan(event.profile)} ${c.dim(`(${where}) · run ${event.runId.slice(0, 8)}`)}${extra ? ` ${c.dim("·")} ${extra}` : ""}\n`,
        );
        return;
      }
      case "invocation-start":
        this.running.set(event.asset, { functionName: event.functionName, since: performance.now() });
        this.collect(event);
        this.refreshSpinner();
        return;
      case "invocation-end":
        this.running.delete(event.asset);
        this.collect(event);
        this.refreshSpinner();
        return;
      case "asset-end": {
        this.collect(event);
        const live = this.shownLive.get(event.asset) ?? 0;
        this.print(renderAssetBlock(this.pending.get(event.asset) ?? [event], this.output, live));
        this.pending.delete(event.asset);
        this.shownLive.delete(event.asset);
        return;
      }
      case "run-end":
        this.print(`\n${summary(event, this.output)}\n`);
        return;
      default:
        if (this.spinner && event.asset !== null && this.running.has(event.asset) && (event.type === "log" || event.type === "output")) {
          // A line of an invocation still running: show it now, above the spinner, with its asset.
          this.print(`${liveLine(event, this.output)}\n`);
          this.shownLive.set(event.asset, (this.shownLive.get(event.asset) ?? 0) + 1);
        } else if (event.asset === null) {
          const text = "message" in event ? event.message : "";
          this.print(`${event.type === "error" ? c.red(`✖ ${text}`) : event.type === "note" ? c.dim(`ℹ ${text}`) : c.yellow(`⚠ ${text}`)}\n`);
        } else {
          this.collect(event);
        }
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.spinner?.isSpinning) this.spinner.stop();
  }

  private collect(event: RunEvent & { asset: string | null }): void {
    const key = event.asset ?? "";
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
  return `${c.dim(`  ${event.asset} ›`)} ${text}`;
}

function summary(event: RunEventOf<"run-end">, output: Output): string {
  const c = output.color;
  const seconds = `${(event.durationMs / 1000).toFixed(1)} s`;
  const parts = [
    event.materialized.length ? c.green(`${event.materialized.length} materialized`) : "",
    event.failed.length ? c.red(`${event.failed.length} failed (${event.failed.join(", ")})`) : "",
    event.skipped.length ? c.yellow(`${event.skipped.length} skipped (${event.skipped.join(", ")})`) : "",
    event.interrupted.length ? c.yellow(`${event.interrupted.length} interrupted (${event.interrupted.join(", ")})`) : "",
  ].filter(Boolean);
  const mark = event.ok ? c.green("✔") : c.red("✖");
  return `${mark} ${parts.join(", ") || "nothing to do"} ${c.dim(`in ${seconds} · run ${event.runId}`)}`;
}
