/**
 * Between invocations nothing runs in a Lambda sandbox: its timers wait, it uses no CPU and cannot grow. A
 * worker and every process its handler started (process-tree.ts) are stopped (SIGSTOP) only while it waits for its next event, so no request of its own is cut in half,
 * and FREEZE_AFTER_MS after it began to wait, unless an invocation came first; it is continued (SIGCONT) once
 * the next event is on its socket.
 */

import type { ProcessTree } from "./process-tree.js";

/**
 * In a burst (a backfill) a sandbox is reused sooner than this, and is spared the two signals of a freeze and a
 * thaw: at 8 in flight on 2 cores each of 8 sandboxes is reused every 5–6 ms, where a 5 ms wait froze half of
 * them and the signals took a sixth of the emulator's time (bench/emulator.js). What it writes meanwhile is held
 * for the next invocation's log, as Lambda shows it.
 */
const FREEZE_AFTER_MS = 20;

export class Freezer {
  private frozen = false;
  private timer: NodeJS.Timeout | undefined;
  /** The processes stopped outside the worker's group, continued with it. */
  private stopped: number[] = [];

  /** `mayFreeze`: the worker is alive, idle and waiting for its next event (and has no debugger attached). */
  constructor(
    private readonly tree: () => ProcessTree | undefined,
    private readonly mayFreeze: () => boolean,
    private readonly beforeFreeze: () => void,
  ) {}

  schedule(): void {
    if (this.timer || this.frozen || !this.mayFreeze()) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.freezeNow();
    }, FREEZE_AFTER_MS);
    this.timer.unref();
  }

  thaw(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tree = this.tree();
    if (!this.frozen || tree === undefined) return;
    this.frozen = false;
    // The group first: the worker resumes with the event on its socket, its children with it.
    send(-tree.leader, "SIGCONT");
    for (const pid of this.stopped.splice(0)) send(pid, "SIGCONT");
  }

  private freezeNow(): void {
    const tree = this.tree();
    if (this.frozen || tree === undefined || !this.mayFreeze()) return;
    this.beforeFreeze();
    this.stopped = tree.signal("SIGSTOP");
    this.frozen = true;
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone: its exit event follows
  }
}
