import { describe, expect, it } from "vitest";
import type { Asset } from "../../src/defs/normalized.js";
import { throttleDelay } from "../../src/lambda/throttle.js";
import { validatePartitions } from "../../src/partitions/definition.js";
import { planSteps, stepId } from "../../src/run/plan.js";

const daily = validatePartitions({ type: "daily", start: "2024-01-01", end: "2024-01-04" }, () => {})!;
const asset = (key: string, deps: string[] = [], partitions: Asset["partitions"] = null) => ({ key, deps, partitions }) as unknown as Asset;
const now = new Date("2024-06-01T00:00:00Z");
const labels = (steps: ReturnType<typeof planSteps>) => steps.map((s) => `${s.asset.key}[${s.partition ?? ""}]<${s.deps.map((d) => `${steps[d]!.asset.key}[${steps[d]!.partition ?? ""}]`).join(",")}>`);

describe("the steps of a run", () => {
  const graph = [asset("setup"), asset("events", ["setup"], daily), asset("totals", ["events"], daily), asset("report", ["totals"])];

  it("a step per asset × partition, each after the same partition upstream; unpartitioned steps wait for every partition", () => {
    expect(labels(planSteps(graph, { request: { kind: "all" }, now, file: "defs.ts" }))).toEqual([
      "setup[]<>",
      "events[2024-01-01]<setup[]>",
      "events[2024-01-02]<setup[]>",
      "events[2024-01-03]<setup[]>",
      "totals[2024-01-01]<events[2024-01-01]>",
      "totals[2024-01-02]<events[2024-01-02]>",
      "totals[2024-01-03]<events[2024-01-03]>",
      "report[]<totals[2024-01-01],totals[2024-01-02],totals[2024-01-03]>",
    ]);
  });

  it("single run: one step per partitioned asset with the range", () => {
    const steps = planSteps(graph.slice(1, 3), { request: { kind: "range", start: "2024-01-02", end: "2024-01-03" }, singleRun: true, now, file: "defs.ts" });
    expect(labels(steps)).toEqual(["events[2024-01-02...2024-01-03]<>", "totals[2024-01-02...2024-01-03]<events[2024-01-02...2024-01-03]>"]);
    expect(steps[0]!.partitionKey).toBeNull();
    expect(steps[0]!.window).toEqual({ start: "2024-01-02T00:00:00+00:00", end: "2024-01-04T00:00:00+00:00" });
  });

  it("--retry: only the steps asked for, none that are done, dependencies among those kept", () => {
    const done = new Set([stepId("setup", null), stepId("events", "2024-01-01"), stepId("events", "2024-01-03")]);
    expect(labels(planSteps(graph.slice(0, 3), { request: { kind: "all" }, done, now, file: "defs.ts" }))).toEqual([
      "events[2024-01-02]<>",
      "totals[2024-01-01]<>",
      "totals[2024-01-02]<events[2024-01-02]>",
      "totals[2024-01-03]<>",
    ]);
  });

  it("pipes dev's newest-partition default leaves unpartitioned assets as they are (it used to be refused)", () => {
    expect(labels(planSteps([asset("a"), asset("b", ["a"])], { request: { kind: "last" }, now, file: "defs.ts" }))).toEqual(["a[]<>", "b[]<a[]>"]);
    expect(labels(planSteps(graph.slice(1, 2), { request: { kind: "last" }, now, file: "defs.ts" }))).toEqual(["events[2024-01-03]<>"]);
  });

  it("partitioned assets need a request; a range on unpartitioned ones is refused, naming them", () => {
    expect(() => planSteps(graph.slice(1, 2), { request: null, now, file: "defs.ts" })).toThrow(/events is partitioned: pass --partition KEY/);
    expect(() => planSteps([asset("a")], { request: { kind: "all" }, now, file: "defs.ts" })).toThrow(/--all-partitions: none of the selected assets \(a\) has partitions in defs\.ts/);
    expect(() => planSteps(graph.slice(1, 2), { request: { kind: "key", key: "2025-01-01" }, now, file: "defs.ts" })).toThrow(/asset "events"/);
  });
});

describe("throttle backoff", () => {
  it("grows exponentially with full jitter, within its bounds", () => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const low = throttleDelay(attempt, () => 0);
      const high = throttleDelay(attempt, () => 0.999999);
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(10_000);
      if (attempt > 1) expect(high).toBeGreaterThanOrEqual(throttleDelay(attempt - 1, () => 0.999999));
    }
    expect(throttleDelay(10, () => 0.999999)).toBeGreaterThan(5_000);
  });
});
