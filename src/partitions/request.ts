/** What `--partition`, `--partition-range` and `--all-partitions` ask for. Pure, and light: the CLI loads it at start. */

/** What a run asks for. */
export type PartitionRequest =
  | { kind: "key"; key: string }
  | { kind: "range"; start: string; end: string }
  | { kind: "all" }
  /** The newest partition: what `pipes dev` runs. */
  | { kind: "last" };

/** Dagster's CLI range syntax: `START...END`. */
export function parseRange(text: string): { start: string; end: string } | null {
  const at = text.indexOf("...");
  if (at <= 0 || at + 3 >= text.length) return null;
  return { start: text.slice(0, at), end: text.slice(at + 3) };
}

/** The flag that asks for it, as typed: `--partition K`, `--partition-range A...B`, `--all-partitions`. */
export function requestFlag(request: PartitionRequest): string {
  return request.kind === "key" ? `--partition ${request.key}` : request.kind === "range" ? `--partition-range ${request.start}...${request.end}` : "--all-partitions";
}

/** For messages and history: `2024-01-01`, `2024-01-01...2024-01-10`, `all`, `last`. */
export function describeRequest(request: PartitionRequest): string {
  return request.kind === "key" ? request.key : request.kind === "range" ? `${request.start}...${request.end}` : request.kind;
}
