/**
 * What `pipes materialize --retry` runs again, from a recorded run (as `dbt retry` does): the same profile,
 * assets, partition request and extras, without the steps that materialized. Steps that failed, were skipped or
 * interrupted, and those a killed run never reached, run again; so does a step that materialized but failed a
 * blocking check (as dbt retry runs failed tests again), so its dependents never run on data that failed it. Pure.
 */
import type { PartitionRequest } from "../partitions/request.js";
import type { RunEvent, RunEventOf } from "../run/events.js";
import { stepId } from "../run/plan.js";

export interface RetryPlan {
  runId: string;
  profile: string;
  assets: string[];
  partitionRequest: PartitionRequest | null;
  singleRun: boolean;
  extras: Record<string, unknown>;
  /** The steps the retried run was itself limited to (it was a retry), else null: all it planned. */
  only: Set<string> | null;
  /** The steps it materialized: not run again. */
  done: Set<string>;
  /** Steps that ended any other way (failed, skipped, interrupted, or blocked by a check). */
  notDone: number;
  finished: boolean;
}

export function retryPlan(events: RunEvent[]): RetryPlan {
  const start = events[0] as RunEventOf<"run-start">;
  const done = new Set<string>();
  let notDone = 0;
  for (const event of events) {
    if (event.type !== "asset-end") continue;
    if (event.status === "materialized" && !event.blockedBy) done.add(stepId(event.asset, event.partition ?? null));
    else notDone++;
  }
  return {
    runId: start.runId,
    profile: start.profile,
    assets: start.assets,
    // An old run without a partition request passed `--partition KEY` to unpartitioned assets: keep it.
    partitionRequest: start.partitionRequest ?? (start.partition ? { kind: "key", key: start.partition } : null),
    singleRun: start.singleRun ?? false,
    extras: start.extras,
    only: start.onlySteps ? new Set(start.onlySteps) : null,
    done,
    notDone,
    finished: events.some((e) => e.type === "run-end"),
  };
}
