/**
 * Reads run history back: the list of runs, one run's events, and what has materialized. Every reader reads a
 * file the same way (readRunFile), so `runs`, `logs`, `status`, `--retry` and the page agree on which runs there
 * are: a file that is not a run (garbage, no run-start first, not a regular file) is skipped with a warning; a
 * damaged line inside a run is skipped with one warning naming the file; a run cut short (killed, or its last
 * line half-written) is read up to its last whole line. Files are streamed, never read whole.
 */
import { join } from "node:path";
import { UserError } from "../errors.js";
import { describeRequest } from "../partitions/request.js";
import type { HistoryCache } from "./cache.js";
import { listRunFiles } from "./files.js";
import { type ReadOptions as FileReadOptions, type RunFile, readRunFile } from "./run-file.js";
import { tally } from "./tally.js";
import { type CheckCounts, noChecks, type RunEvent, type RunEventOf, type StepCounts } from "../run/events.js";

export interface RunSummary {
  runId: string;
  file: string;
  startedAt: string;
  profile: string;
  assets: string[];
  /** `--partition`/`--partition-range`/`--all-partitions` as given, or null. */
  partitions: string | null;
  steps: number;
  counts: StepCounts;
  /** Asset check results (also of an unfinished run, from its asset-end events). */
  checks: CheckCounts;
  /** What its invocations cost on Lambda (USD), null for runs recorded before costs were counted. */
  costUsd: number | null;
  /** ok, failed, interrupted, or unfinished (no run-end: the process was killed). */
  outcome: "ok" | "failed" | "interrupted" | "unfinished";
  durationMs: number | null;
  /** The run this one retried (`--retry`), or null. */
  retryOf: string | null;
}

export interface Read<T> {
  value: T;
  warnings: string[];
}

/** How readers read a run file: whole each time (the CLI), or through a cache that keeps what it read (the page). */
export interface ReadOptions extends FileReadOptions {
  cache?: HistoryCache;
}

/** What `pipes runs` needs of each run: what its summary adds up when it has no run-end. */
export const SUMMARY_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end", "invocation-end", "throttled"]);
/** What `--retry` needs. */
export const RETRY_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end"]);
/** What `pipes status` and the page's status and asset history need. */
export const STATUS_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end", "materialization", "check"]);

export { readRunFile, type RunFile } from "./run-file.js";

/** Each readable run file of `dir` (newest first when `newestFirst`), with one warning per file at fault. */
function* runFiles(dir: string, options: ReadOptions, warnings: string[], newestFirst: boolean, names = listRunFiles(dir)): Generator<RunFile & { file: string }> {
  warnings.push(...names.warnings);
  for (const name of newestFirst ? [...names.names].reverse() : names.names) {
    const path = join(dir, name);
    const read = options.cache ? options.cache.read(path, options) : readRunFile(path, options);
    if ("notRun" in read) {
      warnings.push(`skipped ${path}: ${read.notRun}`);
      continue;
    }
    if (read.warning) warnings.push(read.warning);
    yield { ...read, file: path };
  }
}

export function summarize(events: RunEvent[], file: string): RunSummary {
  const start = events[0] as RunEventOf<"run-start">;
  const end = events.find((e): e is RunEventOf<"run-end"> => e.type === "run-end");
  // A killed run has no run-end: what its step events add up to stands in for it.
  const sum = end ? null : tally(events);
  const counts: StepCounts = end?.counts ?? sum!.counts;
  // Runs recorded before checks and costs were counted have none.
  const checks: CheckCounts = end ? (end.checks ?? noChecks()) : sum!.checks;
  const costUsd = end ? (typeof end.costUsd === "number" ? end.costUsd : null) : sum!.costUsd;
  const outcome = !end ? "unfinished" : end.ok ? "ok" : counts.interrupted > 0 ? "interrupted" : "failed";
  return {
    runId: start.runId,
    file,
    startedAt: start.startedAt,
    profile: start.profile,
    assets: start.assets,
    partitions: start.partitionRequest ? describeRequest(start.partitionRequest) : start.partition,
    steps: start.steps,
    counts,
    checks,
    costUsd,
    outcome,
    durationMs: end?.durationMs ?? null,
    retryOf: typeof start.retryOf === "string" ? start.retryOf : null,
  };
}

/** The newest runs first, each read whole (so a damaged line is skipped and told of as `logs` and `status` do). */
export function listRuns(dir: string, options: Omit<ReadOptions, "types"> = {}): Read<RunSummary[]> {
  const warnings: string[] = [];
  const runs: RunSummary[] = [];
  for (const run of runFiles(dir, { ...options, types: SUMMARY_TYPES }, warnings, true)) runs.push(summarize(run.events, run.file));
  return { value: runs, warnings };
}

/** One run's events: `last`, a run id, or the start of one (as the 8 characters pipes prints). */
export function readRun(dir: string, which: string, options: ReadOptions = {}): Read<{ events: RunEvent[]; file: string; cut: boolean; lines?: string[] }> {
  const warnings: string[] = [];
  const listed = listRunFiles(dir);
  // Only the files it may be are read: the newest readable one (`last`), or those whose id starts so.
  const candidates = which === "last" ? listed.names : listed.names.filter((n) => n.replace(/^[^-]+-/, "").startsWith(which));
  for (const run of runFiles(dir, options, warnings, true, { names: candidates, warnings: listed.warnings })) {
    return { value: { events: run.events, file: run.file, cut: run.cut, lines: run.lines }, warnings };
  }
  const known = listed.names.length ? `; pipes runs lists the ${listed.names.length} recorded` : ` (none is recorded in ${dir})`;
  throw new UserError(which === "last" ? `No run to read${known}.` : `No run "${which}"${known}.`);
}

/** Every readable run, oldest first, with its events: what `pipes status` folds. */
export function readAllRuns(dir: string, options: ReadOptions = {}): Read<Array<{ events: RunEvent[]; file: string }>> {
  const warnings: string[] = [];
  const runs: Array<{ events: RunEvent[]; file: string }> = [];
  for (const run of runFiles(dir, options, warnings, false)) runs.push({ events: run.events, file: run.file });
  return { value: runs, warnings };
}
