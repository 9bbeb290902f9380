/**
 * How many invocations a run keeps in flight: `--concurrency` at most, halved when Lambda throttles (the
 * function's or the account's concurrency is used up, so starting more only adds throttled calls and backoff),
 * and grown back by one for each cap-full of invocations that end, as TCP's congestion window (AIMD). A burst
 * of throttles from one moment cuts once. Pure.
 */
const CUT_AT_MOST_EVERY_MS = 1000;

export class AdaptiveCap {
  private cap: number;
  private lastCut = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.cap = max;
  }

  get value(): number {
    return Math.max(1, Math.floor(this.cap));
  }

  throttled(): void {
    const t = this.now();
    if (t - this.lastCut < CUT_AT_MOST_EVERY_MS) return;
    this.lastCut = t;
    this.cap = Math.max(1, Math.floor(this.cap / 2));
  }

  /** An invocation ended (however it ended). */
  ended(): void {
    this.cap = Math.min(this.max, this.cap + 1 / this.cap);
  }
}
