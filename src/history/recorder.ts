/**
 * Records a run's events (the `--json` stream) as they happen, one NDJSON file per run, written once per turn of
 * the event loop (see TurnBatch), so a run killed with SIGKILL keeps every event but those of its last turn.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { jsonLine } from "../report/json-line.js";
import type { RunEvent } from "../run/events.js";
import { TurnBatch } from "../util/turn-batch.js";
import { HISTORY_MAX_BYTES, HISTORY_MAX_RUNS, runFileName } from "./location.js";

export class HistoryRecorder {
  private fd: number | null = null;
  /** A write that fails (a full disk) stops the recording and is told to `onWriteError`, once. */
  private readonly batch = new TurnBatch((text) => {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, text);
    } catch (error) {
      closeSync(this.fd);
      this.fd = null;
      this.onWriteError(error as Error);
    }
  });
  /** True when this recorder made `.pipes/`: the CLI says once that it can be git-ignored. */
  readonly created: boolean;

  constructor(
    private readonly dir: string,
    private readonly onWriteError: (error: Error) => void,
  ) {
    this.created = !existsSync(join(dir, ".."));
  }

  onEvent(event: RunEvent): void {
    if (event.type === "run-start") {
      mkdirSync(this.dir, { recursive: true });
      prune(this.dir, HISTORY_MAX_RUNS - 1, HISTORY_MAX_BYTES);
      this.fd = openSync(join(this.dir, runFileName(event.runId, event.startedAt)), "a", 0o600);
    }
    if (this.fd === null) return;
    this.batch.add(jsonLine(event));
    if (event.type === "run-end") this.close();
  }

  /** Writes what is waiting and closes the file. */
  close(): void {
    this.batch.flush();
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
