import { describe, expect, it } from "vitest";
import { StepScheduler } from "../../src/run/scheduler.js";

/** Takes every step that is ready now. */
function drain(scheduler: StepScheduler): number[] {
  const ready: number[] = [];
  for (let index = scheduler.next(); index !== undefined; index = scheduler.next()) ready.push(index);
  return ready;
}

describe("StepScheduler", () => {
  it("starts steps without dependencies in plan order, and a step only once all its dependencies ended", () => {
    // 0, 1: roots; 2 after 0 and 1; 3 after 2.
    const scheduler = new StepScheduler([{ deps: [] }, { deps: [] }, { deps: [0, 1] }, { deps: [2] }]);
    expect(drain(scheduler)).toEqual([0, 1]);
    scheduler.ended(1);
    expect(scheduler.next()).toBeUndefined();
    scheduler.ended(0);
    expect(drain(scheduler)).toEqual([2]);
    scheduler.ended(2);
    expect(drain(scheduler)).toEqual([3]);
  });

  it("runs a partition's dependent before roots that are still waiting, so each chain flows through", () => {
    // upstream days 0..3, then their dependents 4..7 (4 after 0, 5 after 1, ...), as plan.ts orders them.
    const steps = [...Array.from({ length: 4 }, () => ({ deps: [] as number[] })), ...Array.from({ length: 4 }, (_, i) => ({ deps: [i] }))];
    const scheduler = new StepScheduler(steps);
    expect(scheduler.next()).toBe(0);
    expect(scheduler.next()).toBe(1);
    scheduler.ended(0);
    // day 0's dependent goes before day 2's upstream
    expect(scheduler.next()).toBe(4);
    expect(scheduler.next()).toBe(2);
  });

  it("counts a dependency listed twice twice, and never hands out a step twice", () => {
    const scheduler = new StepScheduler([{ deps: [] }, { deps: [0, 0] }]);
    expect(drain(scheduler)).toEqual([0]);
    scheduler.ended(0);
    expect(drain(scheduler)).toEqual([1]);
    scheduler.ended(1);
    expect(scheduler.next()).toBeUndefined();
  });
});
