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
const isCounts = (v: unknown): boolean => {
  if (!isObject(v)) return false;
  const counts = Object.values(v);
  return counts.length >= 4 && counts.every((n) => typeof n === "number");
};

/** A field's test, made once from its kind: each line of a big run is checked, so the kind is not re-read per value. */
function testOf(kind: Kind): (value: unknown) => boolean {
  const optional = kind.startsWith("?");
  const base = kind.replace("?", "");
  const nullable = base.endsWith("|");
  const type: (value: unknown) => boolean = (() => {
    switch (base.replace("|", "")) {
      case "s":
        return (v: unknown) => typeof v === "string";
      case "n":
        return (v: unknown) => typeof v === "number";
      case "b":
        return (v: unknown) => typeof v === "boolean";
      case "o":
        return isObject;
      case "S":
        return isStrings;
      case "C":
        return isCounts;
      default:
        return () => true;
    }
  })();
  const absent = optional || base === "any";
  return (value) => (value === undefined ? absent : value === null ? nullable : type(value));
}

/** Each type's fields as [name, test] pairs. */
const TESTS = new Map(Object.entries(FIELDS).map(([type, fields]) => [type, Object.entries(fields).map(([name, kind]) => [name, testOf(kind)] as const)]));

/** The value as an event, or null when it is not one (unknown type, a field missing or of another type). */
export function asRunEvent(value: unknown): RunEvent | null {
  if (!isObject(value) || typeof value.type !== "string") return null;
  const tests = TESTS.get(value.type);
  if (!tests) return null;
  for (const [name, test] of tests) if (!test(value[name])) return null;
  if (value.type === "asset-end" && !STATUSES.has(value.status as string)) return null;
  if (value.type === "run-end" && !["materialized", "failed", "skipped", "interrupted"].every((k) => typeof (value.counts as Record<string, unknown>)[k] === "number")) return null;
  if (value.type === "run-start") {
    const request = value.partitionRequest as Record<string, unknown> | null | undefined;
    if (request && !PARTITION_KINDS.has(request.kind as string)) return null;
    if (!Object.values(value.stepsPerAsset as object).every((n) => typeof n === "number")) return null;
  }
  return value as RunEvent;
}
