/**
 * Partition keys of a definition and the keys a user's `--partition`, `--partition-range` or
 * `--all-partitions` stand for. Pure ("now" is an argument); errors are returned as text for the caller to say.
 */
import { describePartitions, type Partitions } from "./definition.js";
import type { PartitionRequest } from "./request.js";
import { keyWindow, timeIndexOf, timeKeyAt, timeKeys, timeKeysBetween, timeSpan, timeWindow, type TimeWindow } from "./time.js";

export function partitionKeys(p: Partitions, now: Date): string[] {
  return p.kind === "static" ? p.keys : timeKeys(p, now);
}

/**
 * A definition's keys without listing them: how many, the key at an index, the index of a key, a run of keys.
 * A time definition computes them (an hourly asset since 2019 has 60,000 keys; a command shows a few).
 */
export interface PartitionSpace {
  count: number;
  keyAt(index: number): string;
  indexOf(key: string): number | null;
  /** Keys `from`..`to`, inclusive. */
  between(from: number, to: number): string[];
}

export function partitionSpace(p: Partitions, now: Date): PartitionSpace {
  if (p.kind === "static") {
    const index = new Map(p.keys.map((k, i) => [k, i]));
    return { count: p.keys.length, keyAt: (i) => p.keys[i]!, indexOf: (key) => index.get(key) ?? null, between: (from, to) => p.keys.slice(from, to + 1) };
  }
  const span = timeSpan(p, now);
  return {
    count: span.count,
    keyAt: (i) => timeKeyAt(p, span, i),
    indexOf: (key) => timeIndexOf(p, span, key),
    between: (from, to) => timeKeysBetween(p, span, from, to),
  };
}

/** The keys of `p` a request selects, in order, or why it selects none. */
export function resolveRequest(p: Partitions, request: PartitionRequest, now: Date): { keys: string[] } | { error: string } {
  const space = partitionSpace(p, now);
  const last = space.count - 1;
  if (space.count === 0 && (request.kind === "all" || request.kind === "last")) return { error: `has no partitions yet (${describePartitions(p)})` };
  if (request.kind === "all") return { keys: space.between(0, last) };
  if (request.kind === "last") return { keys: [space.keyAt(last)] };
  const unknown = (key: string) => {
    const where = space.count ? `; its partitions run ${space.keyAt(0)}…${space.keyAt(last)} (${space.count})` : "";
    const shape = p.kind === "time" && !keyWindow(p, key) ? ` (a ${p.cadence} key looks like ${space.count ? space.keyAt(0) : "2024-01-01"})` : "";
    return `has no partition "${key}"${shape}${where}`;
  };
  if (request.kind === "key") return space.indexOf(request.key) !== null ? { keys: [request.key] } : { error: unknown(request.key) };
  const from = space.indexOf(request.start);
  const to = space.indexOf(request.end);
  if (from === null) return { error: unknown(request.start) };
  if (to === null) return { error: unknown(request.end) };
  if (to < from) return { error: `gets the range ${request.start}...${request.end}, which ends before it starts` };
  return { keys: space.between(from, to) };
}

/** `partition_time_window` for keys `first`..`last` of `p`, null for static partitions. */
export function windowOf(p: Partitions, first: string, last: string): TimeWindow | null {
  return p.kind === "time" ? timeWindow(p, first, last) : null;
}

/** For `pipes list`: kind, count, first..last. */
export function summarizePartitions(p: Partitions, now: Date): { kind: string; count: number; first: string | null; last: string | null } {
  const space = partitionSpace(p, now);
  const [first, last] = space.count ? [space.keyAt(0), space.keyAt(space.count - 1)] : [null, null];
  return { kind: p.kind === "static" ? "static" : p.cadence, count: space.count, first, last };
}
