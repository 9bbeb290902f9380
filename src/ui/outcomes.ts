/**
 * What the page says about each asset's last attempt and its failures, folded from the run history (oldest run
 * first). Pure. A failure is shown where it happened: the graph's node, the asset page's first section.
 */
import type { RunEvent, StepStatus } from "../run/events.js";

/**
 * The event types these folds read over the whole history (run-start and run-end always are). Not the logs: most
 * of a big run's lines are logs, which the reader then skips unparsed; `LOG_TYPES` are read for one run only.
 */
export const OUTCOME_TYPES: ReadonlySet<RunEvent["type"]> = new Set(["asset-end", "error", "check", "materialization"]);
export const LOG_TYPES: ReadonlySet<RunEvent["type"]> = new Set([...OUTCOME_TYPES, "log", "output"]);

export interface LastOutcome {
  status: StepStatus;
  runId: string;
  at: string;
  partition: string | null;
  /** The first line of the step's first error (`Type: message`), or the step's reason (skipped, interrupted). */
  summary: string | null;
  /** The asset's checks that failed in that step. */
  failedChecks: string[];
}

export interface Attempt {
  runId: string;
  startedAt: string;
  endedAt: string;
  partition: string | null;
  status: StepStatus;
  durationMs: number;
  reason: string | null;
  dataVersion: string | null;
  /** `headline`: `Type: message`, its first line (a message that starts with its type is not prefixed again). */
  error: { errorType: string; message: string; trace: string[]; headline: string } | null;
  /** The step's log lines before its error, the last LOG_LINES of them. */
  logs: string[];
  failedChecks: string[];
}

/** Log lines kept with a failed attempt: enough to see what led to the error, not a whole log. */
const LOG_LINES = 30;

/** Every attempt (asset-end) of each asset, with its error and the logs before it. */
export function foldAttempts(runs: Array<{ events: RunEvent[] }>, only?: string): Map<string, Attempt[]> {
  const attempts = new Map<string, Attempt[]>();
  for (const { events } of runs) {
    const start = events[0];
    if (start?.type !== "run-start") continue;
    const steps = new Map<string, { error: Attempt["error"]; logs: string[]; failedChecks: string[]; dataVersion: string | null }>();
    for (const event of events) {
      if (!("asset" in event) || typeof event.asset !== "string" || (only !== undefined && event.asset !== only)) continue;
      const id = `${event.asset}\0${"partition" in event ? (event.partition ?? "") : ""}`;
      const step = steps.get(id) ?? { error: null, logs: [], failedChecks: [], dataVersion: null };
      steps.set(id, step);
      if (event.type === "log" || event.type === "output") {
        if (step.error) continue;
        step.logs.push(event.type === "log" ? `${event.level} ${event.message}` : event.text);
        if (step.logs.length > LOG_LINES) step.logs.shift();
      } else if (event.type === "error") {
        step.error ??= { errorType: event.errorType, message: event.message, trace: event.trace, headline: headline(event.errorType, event.message) };
      } else if (event.type === "check" && !event.passed && event.assetKey === event.asset) {
        step.failedChecks.push(event.checkName);
      } else if (event.type === "materialization" && event.assetKey === event.asset) {
        step.dataVersion = event.dataVersion;
      } else if (event.type === "asset-end") {
        const list = attempts.get(event.asset) ?? [];
        attempts.set(event.asset, list);
        list.push({
          runId: start.runId,
          startedAt: start.startedAt,
          endedAt: event.endedAt,
          partition: event.partition ?? null,
          status: event.status,
          durationMs: event.durationMs,
          reason: event.reason,
          dataVersion: step.dataVersion,
          error: step.error,
          logs: step.error ? step.logs : [],
          failedChecks: step.failedChecks,
        });
        steps.delete(id);
      }
    }
  }
  return attempts;
}

/** The last attempt of each asset, briefly, for the graph. */
export function lastOutcomes(attempts: Map<string, Attempt[]>): Map<string, LastOutcome> {
  const out = new Map<string, LastOutcome>();
  for (const [asset, list] of attempts) {
    const last = list.at(-1);
    if (!last) continue;
    const summary = last.error ? last.error.headline : last.status === "materialized" ? null : last.reason;
    out.set(asset, { status: last.status, runId: last.runId, at: last.endedAt, partition: last.partition, summary, failedChecks: last.failedChecks });
  }
  return out;
}

/** A pipes `closed` exception's message already starts with its type (`Error: kaboom`): not `Error: Error: kaboom`. */
function headline(errorType: string, message: string): string {
  const text = message.startsWith(`${errorType}:`) ? message : `${errorType}: ${message}`;
  return text.split("\n")[0]!;
}
