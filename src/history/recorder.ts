/**
 * Records a run's events (the `--json` stream) as they happen, one NDJSON file per run, written once per turn of
 * the event loop (see TurnBatch), so a run killed with SIGKILL keeps every event but those of its last turn.
 * The history is kept within its caps (location.ts): when a run starts, the oldest runs go, never one in progress
 * (in-progress.ts); while a run is written, its file stays under its own cap: past it, log lines, output and custom
 * messages are left out (one note says so) and its step events still recorded, so it stays whole for `runs`,
 * `status` and `--retry`, and small enough to read.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { jsonLine } from "../report/json-line.js";
import type { RunEvent } from "../run/events.js";
import { TurnBatch } from "../util/turn-batch.js";
import { listRunFiles } from "./files.js";
import { markInProgress, runsInProgress, unmarkInProgress } from "./in-progress.js";
import { CHATTY_TYPES, formatSize, HISTORY_MAX_BYTES, HISTORY_MAX_RUN_BYTES, HISTORY_MAX_RUNS, type HistoryLimits, runFileName } from "./location.js";

const DEFAULT_LIMITS: HistoryLimits = { maxRuns: HISTORY_MAX_RUNS, maxBytes: HISTORY_MAX_BYTES, maxRunBytes: HISTORY_MAX_RUN_BYTES };

export class HistoryRecorder {
  private fd: number | null = null;
  private runFile: string | null = null;
  private bytes = 0;
  private capped = false;
  /** A write that fails (a full disk) stops the recording and is told to `onWriteError`, once. */
  private readonly batch = new TurnBatch((text) => {
    if (this.fd === null) return;
    try {
      writeSync(this.fd, text);
    } catch (error) {
      this.close();
      this.onWriteError(error as Error);
    }
  });
  /** True when this recorder made `.pipes/`: the CLI says once that it can be git-ignored. */
  readonly created: boolean;

  constructor(
    private readonly dir: string,
    private readonly onWriteError: (error: Error) => void,
    private readonly limits: HistoryLimits = DEFAULT_LIMITS,
  ) {
    this.created = !existsSync(join(dir, ".."));
  }

  onEvent(event: RunEvent): void {
    if (event.type === "run-start") this.open(runFileName(event.runId, event.startedAt));
    if (this.fd === null) return;
    const line = jsonLine(event);
    const size = Buffer.byteLength(line);
    if (CHATTY_TYPES.has(event.type) && (this.capped || this.bytes + size > this.limits.maxRunBytes)) {
      if (!this.capped) this.write(jsonLine({ type: "note", asset: null, message: capNote(this.limits.maxRunBytes) }));
      this.capped = true;
      return;
    }
    this.write(line);
    if (event.type === "run-end") this.close();
  }

  /** Writes what is waiting and closes the file. */
  close(): void {
    this.batch.flush();
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.runFile !== null) unmarkInProgress(this.dir, this.runFile);
    this.runFile = null;
  }

  private open(name: string): void {
    this.close();
    // History holds what functions logged: only its owner may read it (files 0600, folders 0700).
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const folder of [join(this.dir, ".."), this.dir]) ownerOnly(folder);
    markInProgress(this.dir, name);
    this.runFile = name;
    prune(this.dir, this.limits.maxRuns - 1, this.limits.maxBytes, name);
    this.fd = openSync(join(this.dir, name), "a", 0o600);
    this.bytes = 0;
    this.capped = false;
  }

  private write(line: string): void {
    this.bytes += Buffer.byteLength(line);
    this.batch.add(line);
  }
}

const capNote = (maxRunBytes: number) =>
  `this run's history reached ${formatSize(maxRunBytes)}: its later log lines, output and custom messages are not recorded (its steps, materializations and checks still are)`;

/** A folder of pipes' own made before history was 0700 is made so; one that is not ours is left alone. */
function ownerOnly(folder: string): void {
  try {
    if ((statSync(folder).mode & 0o077) !== 0) chmodSync(folder, 0o700);
  } catch {
    // not ours to change: the files in it are 0600 all the same
  }
}

/**
 * Removes the oldest run files until at most `keep` are left and they take at most `maxBytes`; only runs older
 * than the oldest run in progress may go (the new run `starting` among them), so a run is never deleted while
 * it is written and what `status` folds has no holes.
 */
function prune(dir: string, keep: number, maxBytes: number, starting: string): void {
  const oldestRunning = [starting, ...runsInProgress(dir)].sort()[0]!;
  const files = listRunFiles(dir).names.reverse();
  let bytes = 0;
  for (const [i, file] of files.entries()) {
    const path = join(dir, file);
    bytes += sizeOf(path);
    if ((i >= keep || bytes > maxBytes) && file < oldestRunning) rmSync(path, { force: true });
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // gone meanwhile (another run pruned it)
  }
}
