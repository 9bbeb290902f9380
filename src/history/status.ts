/** What has materialized, folded from run history (oldest run first). Pure. */
import type { RunEvent } from "../run/events.js";
import { getOrCreate } from "../util/maps.js";

export interface AssetStatus {
  asset: string;
  last: { runId: string; at: string; dataVersion: string | null; partition: string | null } | null;
  /** Partitions that have materialized in some run. */
  materialized: Set<string>;
  /** Partitions whose latest attempt failed or was skipped, and that have not materialized since. */
  failed: Set<string>;
}

export function foldStatus(runs: Array<{ events: RunEvent[] }>): Map<string, AssetStatus> {
  const statuses = new Map<string, AssetStatus>();
  const of = (asset: string) => getOrCreate(statuses, asset, () => ({ asset, last: null, materialized: new Set<string>(), failed: new Set<string>() }));
  for (const { events } of runs) {
    const runId = events[0]?.type === "run-start" ? events[0].runId : "";
    const versions = new Map<string, string | null>();
    for (const event of events) {
      if (event.type === "materialization" && event.assetKey === event.asset) versions.set(`${event.asset}\0${event.partition ?? ""}`, event.dataVersion);
      if (event.type !== "asset-end") continue;
      const status = of(event.asset);
      const partition = event.partition ?? null;
      if (event.status === "materialized") {
        const dataVersion = versions.get(`${event.asset}\0${partition ?? ""}`) ?? null;
        status.last = { runId, at: event.endedAt, dataVersion, partition };
        if (partition !== null) {
          status.materialized.add(partition);
          status.failed.delete(partition);
        }
      } else if (partition !== null && (event.status === "failed" || event.status === "skipped") && !status.materialized.has(partition)) {
        status.failed.add(partition);
      }
    }
  }
  return statuses;
}

export interface StatusRow {
  asset: string;
  last: AssetStatus["last"];
  /** For a partitioned asset: of its partitions now, how many have materialized, and which have not. */
  partitions: { total: number; materialized: number; missing: string[]; failed: string[] } | null;
}

/** One row per asset, in the order given; `keys` null for an unpartitioned asset. */
export function statusRows(assets: Array<{ key: string; keys: string[] | null }>, statuses: Map<string, AssetStatus>): StatusRow[] {
  return assets.map(({ key, keys }) => {
    const status = statuses.get(key);
    const last = status?.last ?? null;
    if (!keys) return { asset: key, last, partitions: null };
    const done = expand(status?.materialized ?? new Set(), keys);
    const failed = expand(status?.failed ?? new Set(), keys);
    const missing = keys.filter((k) => !done.has(k));
    return { asset: key, last, partitions: { total: keys.length, materialized: keys.length - missing.length, missing, failed: missing.filter((k) => failed.has(k)) } };
  });
}

/** Partition labels as keys: a single run's `start...end` stands for every key from start to end. */
function expand(labels: Set<string>, keys: string[]): Set<string> {
  const out = new Set<string>();
  for (const label of labels) {
    const [start, end] = label.split("...");
    const from = end === undefined ? -1 : keys.indexOf(start!);
    if (end === undefined || from < 0) out.add(label);
    else for (let i = from; i < keys.length && keys[i - 1] !== end; i++) out.add(keys[i]!);
  }
  return out;
}

/** Keys in their definition's order, briefly: runs of neighbours as `first...last`, at most `max` items. */
export function briefKeys(subset: string[], order: string[], max = 5): string {
  const position = new Map(order.map((k, i) => [k, i]));
  const runs: string[][] = [];
  for (const key of subset) {
    const run = runs.at(-1);
    if (run && position.get(key) === position.get(run.at(-1)!)! + 1) run.push(key);
    else runs.push([key]);
  }
  const items = runs.map((r) => (r.length === 1 ? r[0]! : `${r[0]}...${r.at(-1)}`));
  return items.length > max ? `${items.slice(0, max).join(", ")}, … ${items.length - max} more` : items.join(", ");
}
