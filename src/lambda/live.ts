/**
 * Live logs of a running invocation. Invoke gives the request id only when it answers, so a running
 * invocation is matched to its log stream by elimination: the START lines of its function's group since the
 * call, less those of invocations this target has already seen end. While exactly one of this target's calls
 * to that function is waiting and exactly one START is unclaimed, they belong together; when it is ambiguous
 * (several calls to one function at once) nothing is shown live, and the log is still read whole at the end.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { LogsChannel } from "./logs-channel.js";
import { LogsUnavailable, logLocation, startLines, StreamCursor, type LogLocation } from "./log-stream.js";
import { platformMark } from "./log-reader.js";
import type { LambdaTarget } from "./target.js";
import { getOrCreate } from "../util/maps.js";
import { RecentSet } from "../util/recent-set.js";

const SEEN_LIMIT = 10_000;

interface Registry {
  followers: Set<LiveFollow>;
  /** Request ids of the invocations that ended most recently (at least the last SEEN_LIMIT / 2). */
  seen: RecentSet<string>;
}
const registries = new WeakMap<LogsChannel, Registry>();

function registry(channel: LogsChannel): Registry {
  return getOrCreate(registries, channel, () => ({ followers: new Set(), seen: new RecentSet(SEEN_LIMIT) }));
}

export class LiveFollow {
  /** Lines fed to `onLine`, from the START line on. */
  readonly shown: string[] = [];
  loc: LogLocation | undefined;
  cursor: StreamCursor | undefined;
  claimed: string | undefined;
  private stopped = false;
  /**
   * Cuts the wait between two polls short, so stopping never waits a poll interval (1 s on AWS). Made when
   * polling starts: most invocations end before that, and an abort builds an error with a stack (costly per call).
   */
  private pause: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Set once polling started; most invocations end before, and stop() then has nothing to wait for. */
  private polling: Promise<void> | undefined;
  private readonly registry: Registry;

  constructor(
    private readonly target: LambdaTarget,
    private readonly deployed: string,
    private readonly sentAt: number,
    private readonly onLine: (line: string) => void,
  ) {
    this.registry = registry(target.logs);
    this.registry.followers.add(this);
    const after = target.logs.pacing.liveAfterMs;
    if (after !== null) this.timer = setTimeout(() => (this.polling = this.poll()), after);
  }

  /** Stops following once Invoke answered; true when the lines shown are this request's. */
  async stop(requestId: string | null): Promise<boolean> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.pause?.abort();
    if (this.polling) await this.polling;
    this.registry.followers.delete(this);
    if (requestId) {
      this.registry.seen.add(requestId);
    }
    return this.claimed !== undefined && this.claimed === requestId;
  }

  private async poll(): Promise<void> {
    this.pause = new AbortController();
    const { signal } = this.pause;
    try {
      this.loc = await logLocation(this.target, this.deployed);
      while (!this.stopped) {
        if (!this.cursor) await this.claim(this.loc);
        if (this.cursor) this.feed(await this.cursor.read());
        if (this.stopped) break;
        await sleep(this.target.logs.pacing.pollMs, undefined, { signal }).catch(() => undefined);
      }
    } catch (error) {
      // Live lines are a courtesy: the final read (or the tail) still has everything.
      if (!(error instanceof LogsUnavailable)) throw error;
    }
  }

  private async claim(loc: LogLocation): Promise<void> {
    // Another call to the function waits unclaimed: which START is whose cannot be told, so nothing is asked. A
    // backfill (many calls to one function at once, each slower than liveAfterMs on a loaded machine) would
    // otherwise send a FilterLogEvents per call per poll, all for nothing, taking CPU from the invocations.
    if (this.ambiguous()) return;
    const starts = await startLines(this.target.logs, loc, this.sentAt);
    if (this.stopped || this.ambiguous()) return;
    const others = [...this.registry.followers].filter((f) => f !== this && f.deployed === this.deployed);
    const taken = new Set(others.map((f) => f.claimed));
    const free = starts.filter((s) => !this.registry.seen.has(s.requestId) && !taken.has(s.requestId));
    if (free.length !== 1) return;
    const start = free[0]!;
    this.claimed = start.requestId;
    this.cursor = new StreamCursor(this.target.logs, loc, start.stream, start.timestamp);
  }

  private ambiguous(): boolean {
    for (const f of this.registry.followers) if (f !== this && f.deployed === this.deployed && !f.claimed) return true;
    return false;
  }

  private feed(lines: string[]): void {
    for (const line of lines) {
      if (this.shown.length === 0) {
        const mark = platformMark(line);
        if (mark?.kind !== "start" || mark.requestId !== this.claimed) continue;
      }
      this.shown.push(line);
      this.onLine(line);
    }
  }
}

/**
 * The lines of `tail` not already among the `shown` lines: the longest end of `shown` that the tail starts with
 * is dropped (the tail's first line may be cut, so it need only end an earlier line).
 */
export function unshownTail(shown: readonly string[], tail: readonly string[], cut: boolean): string[] {
  const max = Math.min(shown.length, tail.length);
  for (let k = max; k > 0; k--) {
    const from = shown.length - k;
    let same = true;
    for (let i = 0; i < k && same; i++) {
      const a = shown[from + i]!;
      const b = tail[i]!;
      same = i === 0 && cut ? a.endsWith(b) : a === b;
    }
    if (same) return tail.slice(k);
  }
  return [...tail];
}
