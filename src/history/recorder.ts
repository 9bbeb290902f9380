/**
 * Records a run's events (the `--json` stream) as they happen, one NDJSON file per run, each line written
 * straight to the file (no buffer in the process), so a run killed with SIGKILL keeps every event it had.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { jsonLine } from "../report/json-line.js";
import type { RunEvent } from "../run/events.js";
import { HISTORY_MAX_BYTES, HISTORY_MAX_RUNS, runFileName } from "./location.js";

export class HistoryRecorder {
  private fd: number | null = null;
  /** True when this recorder made `.pipes/`: the CLI says once that it can be git-ignored. */
  readonly created: boolean;

  constructor(private readonly dir: string) {
    this.created = !existsSync(join(dir, ".."));
  }

  onEvent(event: RunEvent): void {
    if (event.type === "run-start") {
      mkdirSync(this.dir, { recursive: true });
      prune(this.dir, HISTORY_MAX_RUNS - 1, HISTORY_MAX_BYTES);
      this.fd = openSync(join(this.dir, runFileName(event.runId, event.startedAt)), "a", 0o600);
    }
    if (this.fd === null) return;
    writeSync(this.fd, jsonLine(event));
    if (event.type === "run-end") this.close();
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

/** Removes the oldest run files until at most `keep` are left and they take at most `maxBytes`. */
function prune(dir: string, keep: number, maxBytes: number): void {
  const files = readdirSync(dir).filter((f) => f.endsWith(".ndjson")).sort().reverse();
  let bytes = 0;
  for (const [i, file] of files.entries()) {
    const path = join(dir, file);
    bytes += statSync(path).size;
    if (i >= keep || bytes > maxBytes) rmSync(path, { force: true });
  }
}
