/** Where run history lives and how much of it is kept: one source of truth for both. */
import { dirname, join } from "node:path";
import { UserError } from "../errors.js";

/**
 * Runs kept per project, and their size in all; the oldest go first when a run starts, never a run in progress
 * (nor one younger than it: recorder.ts).
 */
export const HISTORY_MAX_RUNS = 100;
export const HISTORY_MAX_BYTES = 200 * 1024 * 1024;
/** A quarter of the whole: past it, a run's log lines are no longer recorded, its steps still are (recorder.ts). */
export const HISTORY_MAX_RUN_BYTES = HISTORY_MAX_BYTES / 4;

/** What a run's file leaves out past its cap (and a reader past it, in a file recorded before the cap). */
export const CHATTY_TYPES: ReadonlySet<string> = new Set(["log", "output", "custom-message"]);

/** A cap as the messages say it: `50 MB`, `256 KB`. */
export const formatSize = (bytes: number): string => (bytes >= 1024 * 1024 ? `${+(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`);

export interface HistoryLimits {
  maxRuns: number;
  maxBytes: number;
  maxRunBytes: number;
}

/** The caps, with `PIPES_HISTORY_MAX_MB` (the whole history's size; a run's file may take a quarter of it). */
export function historyLimits(env: Record<string, string | undefined>): HistoryLimits {
  const text = env.PIPES_HISTORY_MAX_MB;
  if (text === undefined || text === "") return { maxRuns: HISTORY_MAX_RUNS, maxBytes: HISTORY_MAX_BYTES, maxRunBytes: HISTORY_MAX_RUN_BYTES };
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb <= 0) throw new UserError(`PIPES_HISTORY_MAX_MB=${text}: expected a size in MB above 0, e.g. 500`);
  const maxBytes = Math.round(mb * 1024 * 1024);
  return { maxRuns: HISTORY_MAX_RUNS, maxBytes, maxRunBytes: Math.floor(maxBytes / 4) };
}

/** `.pipes/runs` beside the definitions file. */
export const historyDir = (defsFile: string): string => join(dirname(defsFile), ".pipes", "runs");

/** History is on unless `--no-history` or `PIPES_HISTORY=0` (or `false`, `off`). */
export function historyEnabled(flag: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (flag === false) return false;
  return !["0", "false", "off", "no"].includes((env.PIPES_HISTORY ?? "").toLowerCase());
}

/**
 * A name that sorts by start time, to the millisecond: `20241202T185937.123Z-<run id>.ndjson` (two runs a CI
 * script starts within one second must not be ordered by their random ids: `last` is the newest).
 */
export function runFileName(runId: string, startedAt: string): string {
  return `${startedAt.replace(/[-:]/g, "")}-${runId}.ndjson`;
}
