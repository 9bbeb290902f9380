/**
 * A recorded run's events for one asset (and partition), for `pipes logs <run> <asset>`: its run-start and
 * run-end say what is left, so the replay's header and summary speak of the steps shown, not of the whole run.
 * Pure.
 */
import { addChecks } from "../run/checks.js";
import { checksFail, noChecks, type RunEvent, type RunEventOf, type StepCounts, stepLabel } from "../run/events.js";

/** Labels kept per outcome in the summary, as a run keeps them. */
const LISTED = 100;

export function filterEvents(events: RunEvent[], asset: string | undefined, partition: string | undefined): RunEvent[] {
  if (asset === undefined && partition === undefined) return events;
  const keep = (e: RunEvent) => e.type === "run-start" || e.type === "run-end" || ((asset === undefined || e.asset === asset) && (partition === undefined || e.partition === partition));
  const kept = events.filter(keep);
  const ends = kept.filter((e): e is RunEventOf<"asset-end"> => e.type === "asset-end");
  return kept.map((event) => {
    if (event.type === "run-start") {
      const perAsset: Record<string, number> = {};
      for (const s of ends) perAsset[s.asset] = (perAsset[s.asset] ?? 0) + 1;
      return { ...event, assets: event.assets.filter((a) => asset === undefined || a === asset), steps: ends.length, stepsPerAsset: perAsset };
    }
    if (event.type === "run-end") return runEndOf(event, kept, ends);
    return event;
  });
}

function runEndOf(end: RunEventOf<"run-end">, kept: RunEvent[], ends: Array<RunEventOf<"asset-end">>): RunEventOf<"run-end"> {
  const counts: StepCounts = { materialized: 0, failed: 0, skipped: 0, interrupted: 0 };
  const listed: Record<keyof StepCounts, string[]> = { materialized: [], failed: [], skipped: [], interrupted: [] };
  const checks = noChecks();
  for (const e of ends) {
    counts[e.status]++;
    if (listed[e.status].length < LISTED) listed[e.status].push(stepLabel(e.asset, e.partition));
    // Runs recorded before checks were counted have none in asset-end.
    if (e.checks) addChecks(checks, e.checks);
  }
  const labels = new Set(ends.map((e) => stepLabel(e.asset, e.partition)));
  const failOnChecks = end.failOnChecks ?? "error";
  return {
    ...end,
    ...listed,
    counts,
    checks,
    failedChecks: (end.failedChecks ?? []).filter((f) => labels.has(f.slice(0, f.lastIndexOf(":")))),
    throttles: kept.filter((e) => e.type === "throttled").length,
    costUsd: kept.reduce((sum, e) => sum + (e.type === "invocation-end" ? (e.costUsd ?? 0) : 0), 0),
    ok: counts.failed + counts.skipped + counts.interrupted === 0 && !checksFail(checks, failOnChecks),
  };
}
