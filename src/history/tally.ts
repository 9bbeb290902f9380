/**
 * What a run's step events add up to: outcomes (with the labels, as a run-end lists them), check results,
 * throttles and cost. For a run that has no run-end (killed), and for a replay of part of a run. Pure.
 */
import { addChecks } from "../run/checks.js";
import { type CheckCounts, noChecks, RUN_END_LISTED, type RunEvent, type StepCounts, stepLabel } from "../run/events.js";

export interface Tally {
  counts: StepCounts;
  listed: Record<keyof StepCounts, string[]>;
  checks: CheckCounts;
  throttles: number;
  /** null when no invocation had a cost (runs recorded before costs were counted). */
  costUsd: number | null;
}

export function tally(events: RunEvent[]): Tally {
  const t: Tally = {
    counts: { materialized: 0, failed: 0, skipped: 0, interrupted: 0 },
    listed: { materialized: [], failed: [], skipped: [], interrupted: [] },
    checks: noChecks(),
    throttles: 0,
    costUsd: null,
  };
  for (const e of events) {
    if (e.type === "throttled") t.throttles++;
    if (e.type === "invocation-end" && typeof e.costUsd === "number") t.costUsd = (t.costUsd ?? 0) + e.costUsd;
    if (e.type !== "asset-end") continue;
    t.counts[e.status]++;
    if (t.listed[e.status].length < RUN_END_LISTED) t.listed[e.status].push(stepLabel(e.asset, e.partition));
    // Runs recorded before checks were counted have none in asset-end.
    if (e.checks) addChecks(t.checks, e.checks);
  }
  return t;
}
