// A run's DAGSTER_PIPES_CONTEXT params, written from each asset's shared text, are byte for byte what encoding the
// whole context gives (Python reads that one: test/protocol/params.test.ts), for every kind of step a run makes.
import { describe, expect, it } from "vitest";
import type { Asset } from "../../src/defs/normalized.js";
import { validatePartitions } from "../../src/partitions/definition.js";
import { encodeParam } from "../../src/protocol/params.js";
import { ContextParams } from "../../src/run/context-params.js";
import { planSteps } from "../../src/run/plan.js";
import { stepContext } from "../../src/run/step-context.js";

const now = new Date("2024-06-01T00:00:00Z");
const asset = (key: string, deps: string[], partitions: Asset["partitions"], codeVersion?: string) =>
  ({ key, deps, partitions, checks: [], ...(codeVersion ? { codeVersion } : {}) }) as unknown as Asset;
const daily = validatePartitions({ type: "daily", start: "2024-01-01", end: "2024-01-06", timezone: "Europe/Paris" }, () => {})!;
const hourly = validatePartitions({ type: "hourly", start: "2024-03-30T22:00", end: "2024-03-31T04:00", timezone: "Europe/Paris" }, () => {})!;
const odd = validatePartitions(["eu", 'a "quoted" key', "back\\slash", "café ☕ 😀", "tab\there", "null", "\u0001partition_key\u0001"], () => {})!;
const graph = [
  asset("setup", [], null),
  asset("events", ["setup"], daily, "v2"),
  asset("hours", [], hourly),
  asset("regions/raw", ["setup"], odd),
];
const extras = { sample: 0.25, tag: "caf\u00e9", tiny: 1e-5, nested: { list: [1, "two", null] }, ctl: "a\tb\u007f" };

/** Each step's param from one ContextParams, as a run makes them, against encoding its whole context. */
function compare(steps: ReturnType<typeof planSteps>, runExtras: Record<string, unknown>) {
  const params = new ContextParams();
  for (const step of steps) {
    const context = stepContext(step, "3f2b1c9e-0000-4000-8000-000000000001", runExtras);
    expect(params.param(step.asset.key, context), `${step.asset.key} ${step.partition}`).toBe(encodeParam({ data: context }));
  }
  return steps.length;
}

describe("the context params of a run's steps", () => {
  it("are encodeParam of each step's whole context: unpartitioned, daily and hourly windows (a DST change), odd static keys", () => {
    expect(compare(planSteps(graph, { request: { kind: "all" }, now, file: "defs.ts" }), extras)).toBeGreaterThan(15);
  });

  it("for single-run ranges and a single partition key", () => {
    compare(planSteps(graph.slice(0, 2), { request: { kind: "range", start: "2024-01-02", end: "2024-01-04" }, singleRun: true, now, file: "defs.ts" }), {});
    compare(planSteps(graph.slice(0, 2), { request: { kind: "key", key: "2024-01-03" }, now, file: "defs.ts" }), {});
  });

  it("when the extras hold a mark's text (that asset's params are then encoded whole)", () => {
    compare(planSteps(graph, { request: { kind: "all" }, now, file: "defs.ts" }), { ...extras, trap: "\u0001partition_key_range\u0001" });
  });
});
