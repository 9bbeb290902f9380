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
import { listRunFiles, readLines } from "./files.js";
import { CHATTY_TYPES, formatSize, HISTORY_MAX_RUN_BYTES } from "./location.js";
import { tally } from "./tally.js";
import { asRunEvent, KNOWN_TYPES } from "./validate.js";
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

/** What a reader keeps of each run (the others are read, checked and dropped), and its size cap. */
export interface ReadOptions {
  /** Event types to keep (run-start and run-end always are); all when absent. */
  types?: ReadonlySet<RunEvent["type"]>;
  /** Past this many bytes of a run file, its log, output and custom-message lines are left out (as when it was recorded). */
  maxRunBytes?: number;
}

/** What `pipes runs` needs of each run: what its summary adds up when it has no run-end. */
export const SUMMARY_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end", "invocation-end", "throttled"]);
/** What `--retry` needs. */
export const RETRY_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end"]);
/** What `pipes status` and the page's status and asset history need. */
export const STATUS_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end", "materialization", "check"]);

const NOT_A_RUN = "not a run history file (garbage or truncated at its start)";

export interface RunFile {
  events: RunEvent[];
  /** Its last line was half-written (the run was killed mid-write). */
  cut: boolean;
  /** What was wrong with the file and left out, in one sentence naming it; null when nothing. */
  warning: string | null;
}

/**
 * One run file, as every reader sees it: its first event must be a run-start (else it is no run: null, with the
 * reason); a later line that is not a valid event (garbage, `null`, a run-end without its fields, a second
 * run-start, anything after the run-end) is skipped and counted in the warning; a half-written last line is the
 * mark of a killed run, not damage.
 */
export function readRunFile(path: string, options: ReadOptions = {}): RunFile | { notRun: string } {
  const maxRunBytes = options.maxRunBytes ?? HISTORY_MAX_RUN_BYTES;
  const events: RunEvent[] = [];
  let started = false;
  let notRun: string | null = null;
  let ended = false;
  let cut = false;
  let damaged = 0;
  let dropped = 0;
  let bytes = 0;
  try {
    readLines(path, (text, size, whole) => {
      bytes += size;
      if (notRun !== null || (text !== null && text.trim() === "")) return;
      // A whole line of a type this reader leaves out, or past the cap, is not parsed (most of a big run's lines are
      // logs): it only has to look like one of pipes' lines, which a cut line, garbage or `null` does not.
      const shape = started && whole && !ended && text !== null ? stepTypeOf(text) : null;
      if (shape !== null) {
        if (bytes > maxRunBytes && CHATTY_TYPES.has(shape)) {
          dropped++;
          return;
        }
        if (options.types && !options.types.has(shape)) return;
      }
      let event: RunEvent | null = null;
      let parsed = true;
      if (text !== null) {
        try {
          event = asRunEvent(JSON.parse(text));
        } catch {
          parsed = false;
        }
      }
      if (!started) {
        if (event?.type === "run-start") {
          started = true;
          events.push(event);
        } else notRun = NOT_A_RUN;
        return;
      }
      if (!parsed && !whole) {
        cut = true;
        return;
      }
      if (!event || event.type === "run-start" || ended) {
        damaged++;
        return;
      }
      if (event.type === "run-end") ended = true;
      else if (bytes > maxRunBytes && CHATTY_TYPES.has(event.type)) {
        dropped++; // one that did not look like one by its shape (another key order)
        return;
      } else if (options.types && !options.types.has(event.type)) return;
      events.push(event);
    });
  } catch (error) {
    return { notRun: (error as NodeJS.ErrnoException).code === "ELOOP" ? "not a regular file (a symbolic link)" : (error as Error).message };
  }
  if (notRun !== null || !started) return { notRun: notRun ?? NOT_A_RUN };
  const problems = [
    damaged ? `skipped ${damaged} damaged line${damaged === 1 ? "" : "s"} (not pipes events)` : "",
    dropped ? `larger than ${formatSize(maxRunBytes)}: left out ${dropped} log line${dropped === 1 ? "" : "s"} past it` : "",
  ].filter(Boolean);
  return { events, cut, warning: problems.length ? `${path}: ${problems.join("; ")}` : null };
}

const TYPE_PREFIX = '{"type":"';

/** The type of a line that looks like one of pipes' step events by its start and end (not a run boundary), or null. */
function stepTypeOf(text: string): RunEvent["type"] | null {
  if (!text.startsWith(TYPE_PREFIX) || !text.endsWith("}")) return null;
  const type = text.slice(TYPE_PREFIX.length, text.indexOf('"', TYPE_PREFIX.length)) as RunEvent["type"];
  return KNOWN_TYPES.has(type) && type !== "run-start" && type !== "run-end" ? type : null;
}


/** Each readable run file of `dir` (newest first when `newestFirst`), with one warning per file at fault. */
function* runFiles(dir: string, options: ReadOptions, warnings: string[], newestFirst: boolean, names = listRunFiles(dir)): Generator<RunFile & { file: string }> {
  warnings.push(...names.warnings);
  for (const name of newestFirst ? [...names.names].reverse() : names.names) {
    const path = join(dir, name);
    const read = readRunFile(path, options);
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
export function readRun(dir: string, which: string, options: ReadOptions = {}): Read<{ events: RunEvent[]; file: string; cut: boolean }> {
  const warnings: string[] = [];
  const listed = listRunFiles(dir);
  // Only the files it may be are read: the newest readable one (`last`), or those whose id starts so.
  const candidates = which === "last" ? listed.names : listed.names.filter((n) => n.replace(/^[^-]+-/, "").startsWith(which));
  for (const run of runFiles(dir, options, warnings, true, { names: candidates, warnings: listed.warnings })) {
    return { value: { events: run.events, file: run.file, cut: run.cut }, warnings };
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
