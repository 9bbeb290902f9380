/**
 * A worker's memory: its peak, for REPORT's Max Memory Used, and a watch that tells when it has grown past its
 * function's memory, invocation or not (a handler can leave work running that grows it after it answered).
 */
import { processMemory } from "./proc-memory.js";

const POLL_MS = 50;

export class MemoryWatch {
  private timer: NodeJS.Timeout | undefined;
  private peakMb = 0;
  private reported = false;

  constructor(
    private readonly pid: () => number | undefined,
    private readonly limitMb: number,
    private readonly onExceeded: () => void,
  ) {}

  /** Polls /proc until stop(); a watch already running goes on. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      const memory = processMemory(this.pid());
      if (!memory) return;
      this.peakMb = Math.max(this.peakMb, memory.peakMb);
      if (memory.rssMb > this.limitMb) this.onExceeded();
    }, POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The peak the worker measured itself with its answer: exact, and cheaper than reading /proc. */
  report(mb: number): void {
    this.peakMb = Math.max(this.peakMb, mb);
    this.reported = true;
  }

  /**
   * The peak so far in whole MB, for an invocation's REPORT. /proc is read when the worker did not report it with
   * a successful answer (it failed, crashed or answered over HTTP without it).
   */
  takePeak(answered: boolean): number {
    if (!this.reported || !answered) {
      const memory = processMemory(this.pid());
      if (memory) this.peakMb = Math.max(this.peakMb, memory.peakMb);
    }
    this.reported = false;
    return Math.max(1, Math.round(this.peakMb));
  }
}
