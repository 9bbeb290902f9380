/**
 * A recorded run's events for one asset (and partition), for `pipes logs <run> <asset>`: its run-start and
 * run-end say what is left, so the replay's header and summary speak of the steps shown, not of the whole run.
 * Pure.
 */
import { checksFail, type RunEvent, type RunEventOf, stepLabel } from "../run/events.js";
import { tally } from "./tally.js";

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
  const { counts, listed, checks, throttles, costUsd } = tally(kept);
  const labels = new Set(ends.map((e) => stepLabel(e.asset, e.partition)));
  const failOnChecks = end.failOnChecks ?? "error";
  return {
    ...end,
    ...listed,
    counts,
    checks,
    failedChecks: (end.failedChecks ?? []).filter((f) => labels.has(f.slice(0, f.lastIndexOf(":")))),
    throttles,
    costUsd: costUsd ?? 0,
    ok: counts.failed + counts.skipped + counts.interrupted === 0 && !checksFail(checks, failOnChecks),
  };
}
