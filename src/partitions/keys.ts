/**
 * Partition keys of a definition and the keys a user's `--partition`, `--partition-range` or
 * `--all-partitions` stand for. Pure ("now" is an argument); errors are returned as text for the caller to say.
 */
import { describePartitions, type Partitions } from "./definition.js";
import type { PartitionRequest } from "./request.js";
import { keyWindow, timeKeys, timeWindow, type TimeWindow } from "./time.js";

export function partitionKeys(p: Partitions, now: Date): string[] {
  return p.kind === "static" ? p.keys : timeKeys(p, now);
}

/** The keys of `p` a request selects, in order, or why it selects none. */
export function resolveRequest(p: Partitions, request: PartitionRequest, now: Date): { keys: string[] } | { error: string } {
  const keys = partitionKeys(p, now);
  if (keys.length === 0 && (request.kind === "all" || request.kind === "last")) return { error: `has no partitions yet (${describePartitions(p)})` };
  if (request.kind === "all") return { keys };
  if (request.kind === "last") return { keys: keys.slice(-1) };
  const unknown = (key: string) => {
    const where = keys.length ? `; its partitions run ${keys[0]}…${keys[keys.length - 1]} (${keys.length})` : "";
    const shape = p.kind === "time" && !keyWindow(p, key) ? ` (a ${p.cadence} key looks like ${keys[0] ?? "2024-01-01"})` : "";
    return `has no partition "${key}"${shape}${where}`;
  };
  const index = new Map(keys.map((k, i) => [k, i]));
  if (request.kind === "key") return index.has(request.key) ? { keys: [request.key] } : { error: unknown(request.key) };
  const from = index.get(request.start);
  const to = index.get(request.end);
  if (from === undefined) return { error: unknown(request.start) };
  if (to === undefined) return { error: unknown(request.end) };
  if (to < from) return { error: `the range ${request.start}...${request.end} ends before it starts` };
  return { keys: keys.slice(from, to + 1) };
}

/** `partition_time_window` for keys `first`..`last` of `p`, null for static partitions. */
export function windowOf(p: Partitions, first: string, last: string): TimeWindow | null {
  return p.kind === "time" ? timeWindow(p, first, last) : null;
}

/** For `pipes list`: kind, count, first..last. */
export function summarizePartitions(p: Partitions, now: Date): { kind: string; count: number; first: string | null; last: string | null } {
  const keys = partitionKeys(p, now);
  return { kind: p.kind === "static" ? "static" : p.cadence, count: keys.length, first: keys[0] ?? null, last: keys[keys.length - 1] ?? null };
}

