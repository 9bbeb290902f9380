/** Where run history lives and how much of it is kept: one source of truth for both. */
import { dirname, join } from "node:path";

/** Runs kept per project, and their size in all; the oldest go first when a run starts. */
export const HISTORY_MAX_RUNS = 100;
export const HISTORY_MAX_BYTES = 200 * 1024 * 1024;

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
