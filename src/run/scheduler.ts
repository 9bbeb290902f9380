/**
 * Which step of a run starts next. A step is ready once every step it depends on has ended. A step freed by a
 * dependency's end goes before the steps that were ready from the start, so each partition's chain runs through
 * (day 1's dependent runs while day 9's upstream waits) instead of every upstream partition first; among each
 * kind, plan order. A waiting step costs a counter, not a pending promise: memory stays flat in a long backfill.
 * Pure.
 */
export class StepScheduler {
  /** Per step: how many of its dependencies have not ended. */
  private readonly unmet: Int32Array;
  /** Per step: the steps that wait for it (one entry per dependency entry, so duplicates count alike). */
  private readonly dependents: number[][];
  private freed: number[] = [];
  private freedHead = 0;
  /** Steps with no dependencies are taken in plan order from here. */
  private nextRoot = 0;

  constructor(private readonly steps: ReadonlyArray<{ deps: readonly number[] }>) {
    this.unmet = new Int32Array(steps.length);
    this.dependents = steps.map(() => []);
    for (const [index, step] of steps.entries()) {
      this.unmet[index] = step.deps.length;
      for (const dep of step.deps) this.dependents[dep]!.push(index);
    }
  }

  /** The next step that may start, or undefined when none is ready now. */
  next(): number | undefined {
    if (this.freedHead < this.freed.length) {
      const index = this.freed[this.freedHead++]!;
      if (this.freedHead === this.freed.length) {
        this.freed = [];
        this.freedHead = 0;
      }
      return index;
    }
    while (this.nextRoot < this.steps.length) {
      const index = this.nextRoot++;
      if (this.steps[index]!.deps.length === 0) return index;
    }
    return undefined;
  }

  /** Step `index` has ended (however it ended): the steps waiting for it come closer to ready. */
  ended(index: number): void {
    for (const dependent of this.dependents[index]!) {
      if (--this.unmet[dependent]! === 0) this.freed.push(dependent);
    }
  }
}
