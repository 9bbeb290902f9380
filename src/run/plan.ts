/**
 * The steps of a run: one invocation per asset × partition (or per asset with the whole range, `singleRun`),
 * each with the steps it waits for. A partitioned step waits for the same partition of a partitioned dependency
 * (per-partition ordering, no barrier between assets), for every step of a dependency it does not share
 * partitions with, and for the one step of an unpartitioned dependency. Pure.
 */
import type { Asset } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { resolveRequest, windowOf } from "../partitions/keys.js";
import { type PartitionRequest, requestFlag } from "../partitions/request.js";
import type { PipesPartitionRange } from "../protocol/context.js";
import type { TimeWindow } from "../partitions/time.js";
import { getOrCreate } from "../util/maps.js";

export interface Step {
  index: number;
  asset: Asset;
  /** What events and history call the step: its key, `start...end` for a single-run range, null unpartitioned. */
  partition: string | null;
  /** The context's partition_key: the key of a one-partition step (null for a range, as Dagster sends it). */
  partitionKey: string | null;
  range: PipesPartitionRange | null;
  window: TimeWindow | null;
  /** Indexes of the steps this one waits for. */
  deps: number[];
}

export interface PlanOptions {
  /** `--partition` / `--partition-range` / `--all-partitions`; null when none was given. */
  request: PartitionRequest | null;
  /** One invocation per asset with the whole range (Dagster's single-run backfill policy). */
  singleRun?: boolean;
  now: Date;
  /** Only these steps (`asset\0partition`, partition "" when none), and none of `done`: what `--retry` runs again. */
  only?: Set<string>;
  done?: Set<string>;
  file: string;
}

export const stepId = (asset: string, partition: string | null): string => `${asset}\0${partition ?? ""}`;

export function planSteps(assets: Asset[], options: PlanOptions): Step[] {
  const { request } = options;
  const partitioned = assets.filter((a) => a.partitions);
  if (partitioned.length === 0) {
    // `last` is pipes dev's default, which means nothing for unpartitioned assets.
    if (request && (request.kind === "range" || request.kind === "all")) {
      throw new UserError(`--${request.kind === "range" ? "partition-range" : "all-partitions"}: none of the selected assets (${assets.map((a) => a.key).join(", ")}) has partitions in ${options.file}`);
    }
    // No asset is partitioned: `--partition KEY` is passed to every asset as it is (the key is the user's).
    const key = request?.kind === "key" ? request.key : null;
    return keep(assets.map((asset, index) => ({ index, asset, partition: key, partitionKey: key, range: key ? { start: key, end: key } : null, window: null, deps: [] })), assets, options);
  }
  if (!request) {
    const named = partitioned.map((a) => a.key).join(", ");
    throw new UserError(`${named} ${partitioned.length > 1 ? "are" : "is"} partitioned: pass --partition KEY, --partition-range START...END or --all-partitions`);
  }
  const keysOf = new Map<string, string[]>();
  const problems: string[] = [];
  for (const asset of partitioned) {
    const resolved = resolveRequest(asset.partitions!, request, options.now);
    if ("error" in resolved) problems.push(`asset "${asset.key}" ${resolved.error}`);
    else keysOf.set(asset.key, resolved.keys);
  }
  if (problems.length) throw new UserError(`${requestFlag(request)} in ${options.file}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);

  const steps: Step[] = [];
  for (const asset of assets) {
    const keys = keysOf.get(asset.key);
    if (!keys) steps.push({ index: steps.length, asset, partition: null, partitionKey: null, range: null, window: null, deps: [] });
    else if (options.singleRun) {
      const range = { start: keys[0]!, end: keys[keys.length - 1]! };
      const single = keys.length === 1;
      const partition = single ? range.start : `${range.start}...${range.end}`;
      steps.push({ index: steps.length, asset, partition, partitionKey: single ? range.start : null, range, window: windowOf(asset.partitions!, range.start, range.end), deps: [] });
    } else {
      for (const key of keys) {
        steps.push({ index: steps.length, asset, partition: key, partitionKey: key, range: { start: key, end: key }, window: windowOf(asset.partitions!, key, key), deps: [] });
      }
    }
  }
  return keep(steps, assets, options);
}

/** Wires dependencies, then keeps `only` (and the dependencies among those kept). */
function keep(steps: Step[], assets: Asset[], options: PlanOptions): Step[] {
  const { only, done } = options;
  const kept = only || done ? steps.filter((s) => (!only || only.has(stepId(s.asset.key, s.partition))) && !done?.has(stepId(s.asset.key, s.partition))) : steps;
  const byAsset = new Map<string, Step[]>();
  for (const step of kept) getOrCreate(byAsset, step.asset.key, () => []).push(step);
  const selected = new Set(assets.map((a) => a.key));
  const result = kept.map((step, index) => ({ ...step, index }));
  const indexOf = new Map(kept.map((s, i) => [s, i]));
  const byPartition = new Map(kept.map((s) => [stepId(s.asset.key, s.partition), s]));
  for (const [i, step] of kept.entries()) {
    for (const dep of step.asset.deps) {
      if (!selected.has(dep)) continue;
      const upstream = byAsset.get(dep) ?? [];
      const same = step.asset.partitions && upstream[0]?.asset.partitions;
      if (same) {
        const match = byPartition.get(stepId(dep, step.partition));
        if (match) result[i]!.deps.push(indexOf.get(match)!);
      } else result[i]!.deps.push(...upstream.map((u) => indexOf.get(u)!));
    }
  }
  return result;
}
