/**
 * Reads run history back: the list of runs, one run's events, and what has materialized. A file that is not
 * a run (garbage, no run-start first) is skipped with a warning; a run cut short (killed, or its last line
 * half-written) is read up to its last whole line.
 */
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../errors.js";
import { describeRequest } from "../partitions/request.js";
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
}

export interface Read<T> {
  value: T;
  warnings: string[];
}

const runFiles = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ndjson")).sort() : []);

/** Every whole, parseable line; a bad line before the last one makes the file unreadable (null). */
export function parseRunFile(text: string): { events: RunEvent[]; cut: boolean } | null {
  const lines = text.split("\n");
  const events: RunEvent[] = [];
  let cut = false;
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      if (i === lines.length - 1) cut = true; // the last line, half-written when the run was killed
      else return null;
    }
  }
  if (events[0]?.type !== "run-start") return null;
  return { events, cut };
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
  };
}

/** The newest runs first. The run-end is usually the last line, so a finished run is read from its ends only. */
export function listRuns(dir: string): Read<RunSummary[]> {
  const warnings: string[] = [];
  const runs: RunSummary[] = [];
  for (const name of runFiles(dir).reverse()) {
    const path = join(dir, name);
    const quick = readEnds(path);
    const parsed = quick ?? parseRunFile(readFileSync(path, "utf8"));
    if (!parsed) warnings.push(`skipped ${path}: not a run history file (garbage or truncated at its start)`);
    else runs.push(summarize(parsed.events, path));
  }
  return { value: runs, warnings };
}

/** The first and last lines of a finished run, without reading what is between; null when it did not finish. */
function readEnds(path: string): { events: RunEvent[] } | null {
  const size = statSync(path).size;
  const fd = openSync(path, "r");
  try {
    const chunk = (at: number, length: number) => {
      const buffer = Buffer.alloc(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, at)).toString("utf8");
    };
    const head = chunk(0, Math.min(size, 64 * 1024)).split("\n")[0]!;
    const tail = chunk(Math.max(0, size - 64 * 1024), Math.min(size, 64 * 1024)).trimEnd().split("\n").at(-1)!;
    const first = JSON.parse(head) as RunEvent;
    const last = JSON.parse(tail) as RunEvent;
    return first.type === "run-start" && last.type === "run-end" ? { events: [first, last] } : null;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** One run's events: `last`, a run id, or the start of one (as the 8 characters pipes prints). */
export function readRun(dir: string, which: string): Read<{ events: RunEvent[]; file: string; cut: boolean }> {
  const warnings: string[] = [];
  const names = runFiles(dir).reverse();
  const candidates = which === "last" ? names : names.filter((n) => n.replace(/^[^-]+-/, "").startsWith(which));
  for (const name of candidates) {
    const path = join(dir, name);
    const parsed = parseRunFile(readFileSync(path, "utf8"));
    if (parsed) return { value: { ...parsed, file: path }, warnings };
    warnings.push(`skipped ${path}: not a run history file (garbage or truncated at its start)`);
  }
  const known = names.length ? `; pipes runs lists the ${names.length} recorded` : ` (none is recorded in ${dir})`;
  throw new UserError(which === "last" ? `No run to read${known}.` : `No run "${which}"${known}.`);
}

/** Every readable run, oldest first, with its events: what `pipes status` folds. */
export function readAllRuns(dir: string): Read<Array<{ events: RunEvent[]; file: string }>> {
  const warnings: string[] = [];
  const runs: Array<{ events: RunEvent[]; file: string }> = [];
  for (const name of runFiles(dir)) {
    const path = join(dir, name);
    const parsed = parseRunFile(readFileSync(path, "utf8"));
    if (parsed) runs.push({ events: parsed.events, file: path });
    else warnings.push(`skipped ${path}: not a run history file (garbage or truncated at its start)`);
  }
  return { value: runs, warnings };
}
