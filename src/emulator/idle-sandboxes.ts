/**
 * Warm sandboxes waiting for an invocation, across all functions: at most `max` of them (the least recently used
 * goes first), and none idle longer than `idleMs`, as Lambda reclaims an idle execution environment. Without a
 * bound, 150 functions invoked once each would keep 150 frozen processes (~1 GB) for as long as the emulator runs.
 */

/** Idle sandboxes kept at most, across functions (PIPES_MAX_IDLE_SANDBOXES). */
export const DEFAULT_MAX_IDLE_SANDBOXES = 32;
/** How long a sandbox may wait for an invocation before it is stopped (PIPES_IDLE_SANDBOX_SECONDS). */
export const DEFAULT_IDLE_SANDBOX_SECONDS = 600;

export interface IdleLimits {
  max: number;
  idleMs: number;
}

/** The limits from the user's environment; a value that is not a whole number in range is named and ignored. */
export function idleLimits(env: NodeJS.ProcessEnv, warn: (message: string) => void): IdleLimits {
  const read = (name: string, fallback: number, min: number) => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (Number.isInteger(value) && value >= min) return value;
    warn(`${name}=${raw.slice(0, 40)} is not a whole number of at least ${min}; using ${fallback}`);
    return fallback;
  };
  return {
    max: read("PIPES_MAX_IDLE_SANDBOXES", DEFAULT_MAX_IDLE_SANDBOXES, 0),
    idleMs: read("PIPES_IDLE_SANDBOX_SECONDS", DEFAULT_IDLE_SANDBOX_SECONDS, 1) * 1000,
  };
}

export class IdleSandboxes<T> {
  /** Insertion order is idle order: the first entry has waited longest. */
  private readonly since = new Map<T, number>();
  private timer: NodeJS.Timeout | undefined;

  private known: IdleLimits | undefined;

  constructor(
    /** Read at the first idle sandbox, when the embedder listens to the warnings a bad value gives. */
    private readonly readLimits: () => IdleLimits,
    /** Stops a sandbox that has to go (it is no longer listed here). */
    private readonly evict: (sandbox: T) => void,
  ) {}

  /** The sandbox is now idle: the least recently used one goes if there are too many. */
  add(sandbox: T): void {
    this.since.delete(sandbox);
    this.since.set(sandbox, Date.now());
    while (this.since.size > this.limits.max) this.drop(this.since.keys().next().value as T);
    this.schedule();
  }

  /**
   * Taken for an invocation, or gone. The timer stays when none is left: it finds nothing old enough then, and a
   * busy sandbox is taken and given back once per invocation, which would otherwise set and clear a timer each time.
   */
  remove(sandbox: T): void {
    this.since.delete(sandbox);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private get limits(): IdleLimits {
    this.known ??= this.readLimits();
    return this.known;
  }

  private drop(sandbox: T): void {
    this.since.delete(sandbox);
    this.evict(sandbox);
  }

  /** One timer, for the sandbox that has waited longest. */
  private schedule(): void {
    if (this.timer || this.since.size === 0) return;
    const oldest = this.since.values().next().value as number;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const cutoff = Date.now() - this.limits.idleMs;
      for (const [sandbox, at] of this.since) {
        if (at > cutoff) break;
        this.drop(sandbox);
      }
      this.schedule();
    }, Math.max(0, oldest + this.limits.idleMs - Date.now()));
    // An idle sandbox must not keep an embedder's process alive.
    this.timer.unref();
  }
}
