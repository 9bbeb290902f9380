/**
 * Whether a line of a run file is an event the readers can use: a damaged or hand-edited file must never reach
 * a reporter or a fold with a missing field (`null`, `{"type":"run-end"}`). Each event type has the fields it
 * has had since history was first recorded; fields added later (checks, costs, timestamps of invocation-start)
 * are optional but, when present, of their type. Pure.
 */
import type { RunEvent } from "../run/events.js";

/** s string, n number, b boolean, o object, S string[], C four counts; `?` optional, `|` null allowed. */
type Kind = string;

const STEP = { asset: "s", partition: "?s|" } as const;

const FIELDS: Record<RunEvent["type"], Record<string, Kind>> = {
  "run-start": {
    runId: "s",
    startedAt: "s",
    file: "s",
    profile: "s",
    target: "s",
    assets: "S",
    partition: "s|",
    partitionRequest: "?o|",
    singleRun: "?b",
    retryOf: "?s|",
    onlySteps: "?S|",
    steps: "n",
    stepsPerAsset: "o",
    extras: "o",
  },
  "run-end": {
    runId: "s",
    ok: "b",
    materialized: "S",
    failed: "S",
    skipped: "S",
    interrupted: "S",
    counts: "C",
    throttles: "n",
    durationMs: "n",
    checks: "?C",
    failedChecks: "?S",
    costUsd: "?n|",
  },
  "invocation-start": { ...STEP, functionName: "s", startedAt: "?s" },
  throttled: { ...STEP, functionName: "s", attempt: "n", delayMs: "n", message: "s" },
  "invocation-end": { ...STEP, functionName: "s", requestId: "s|", ok: "b", durationMs: "n", costUsd: "?n|" },
  log: { ...STEP, level: "s", message: "s" },
  materialization: { ...STEP, assetKey: "s", dataVersion: "s|", metadata: "o", implicit: "b" },
  check: { ...STEP, assetKey: "s", checkName: "s", passed: "b", severity: "s", metadata: "o" },
  "custom-message": { ...STEP, payload: "any" },
  output: { ...STEP, text: "s", level: "s|" },
  warning: { asset: "s|", partition: "?s|", message: "s" },
  note: { asset: "s|", partition: "?s|", message: "s" },
  error: { asset: "s|", partition: "?s|", source: "s", errorType: "s", message: "s", trace: "S" },
  "asset-end": { ...STEP, status: "s", durationMs: "n", reason: "s|", endedAt: "s", checks: "?C" },
};

export const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.keys(FIELDS));

const STATUSES = new Set(["materialized", "failed", "skipped", "interrupted"]);
const PARTITION_KINDS = new Set(["key", "range", "all", "last"]);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === "string");
const isCounts = (v: unknown): boolean => isObject(v) && Object.values(v).length >= 4 && Object.values(v).every((n) => typeof n === "number");

function fits(value: unknown, kind: Kind): boolean {
  const optional = kind.startsWith("?");
  const base = kind.replace("?", "");
  if (value === undefined) return optional || base === "any";
  if (value === null) return base.endsWith("|");
  switch (base.replace("|", "")) {
    case "s":
      return typeof value === "string";
    case "n":
      return typeof value === "number";
    case "b":
      return typeof value === "boolean";
    case "o":
      return isObject(value);
    case "S":
      return isStrings(value);
    case "C":
      return isCounts(value);
    default:
      return true;
  }
}

/** The value as an event, or null when it is not one (unknown type, a field missing or of another type). */
export function asRunEvent(value: unknown): RunEvent | null {
  if (!isObject(value) || typeof value.type !== "string" || !Object.hasOwn(FIELDS, value.type)) return null;
  const fields = FIELDS[value.type as RunEvent["type"]];
  for (const [name, kind] of Object.entries(fields)) if (!fits(value[name], kind)) return null;
  if (value.type === "asset-end" && !STATUSES.has(value.status as string)) return null;
  if (value.type === "run-end" && !["materialized", "failed", "skipped", "interrupted"].every((k) => typeof (value.counts as Record<string, unknown>)[k] === "number")) return null;
  if (value.type === "run-start") {
    const request = value.partitionRequest as Record<string, unknown> | null | undefined;
    if (request && !PARTITION_KINDS.has(request.kind as string)) return null;
    if (!Object.values(value.stepsPerAsset as object).every((n) => typeof n === "number")) return null;
  }
  return value as RunEvent;
}
