/**
 * Warm workers per function: an idle one is reused, a new one is started while the function is below its
 * concurrency, and beyond that a synchronous call is throttled (an Event call waits for a free worker).
 */
import type { RegisteredFunction } from "./registry.js";
import { poolKey } from "./versions.js";
import { Reaper } from "./reaper.js";
import type { SandboxSupport } from "./sandbox.js";
import type { InvokeRequest, Outcome } from "./invocation.js";
import { Worker } from "./worker.js";
import { getOrCreate } from "../util/maps.js";
import { isPythonRuntime } from "../facts/lambda.js";
import type { DependencyLayout } from "./dependencies.js";
import { type IdleLimits, IdleSandboxes } from "./idle-sandboxes.js";

const sameLayout = (a: DependencyLayout | null, b: DependencyLayout | null) => JSON.stringify(a) === JSON.stringify(b);

interface FunctionPool {
  all: Set<Worker>;
  idle: Worker[];
  waiters: Array<() => void>;
}

export class Pools {
  private readonly pools = new Map<string, FunctionPool>();
  private readonly byId = new Map<string, Worker>();
  /** Every worker whose process has not exited yet, taking invocations or not. */
  private readonly started = new Set<Worker>();
  private closed = false;
  private readonly reaper = new Reaper();
  /** The idle workers of all functions, bounded in number and idle time. */
  private readonly idle: IdleSandboxes<Worker>;

  constructor(
    /** Finds a pool's function by its key: `name` ($LATEST) or `name:N` (a published version). */
    private readonly registry: { get(key: string): RegisteredFunction | undefined },
    private readonly runtimeApi: () => string,
    private readonly onLog: (functionName: string, line: string, requestId: string | null, logStream: string) => void,
    private readonly sandbox: SandboxSupport,
    idleLimits: () => IdleLimits,
    /** A worker is gone (its code folder may be unused now). */
    private readonly onWorkerGone: () => void = () => undefined,
  ) {
    // The worker's own onGone takes it off its function's idle list.
    this.idle = new IdleSandboxes(idleLimits, (worker) => worker.kill());
  }

  /** The worker a Runtime API request comes from (its path carries the worker id). */
  worker(id: string): Worker | undefined {
    return this.byId.get(id);
  }

  /** Runs an invocation, or returns "throttled" when `wait` is false and the function is at its concurrency. */
  async invoke(
    name: string,
    request: InvokeRequest,
    wait: boolean,
    onStart: (cold: boolean) => void,
  ): Promise<Outcome | "throttled"> {
    const fn = this.registry.get(name);
    const dependencies = fn ? await this.prepare(fn) : null;
    let worker = await this.acquire(name, wait, dependencies);
    if (!worker) return "throttled";
    onStart(worker.fresh);
    for (;;) {
      let outcome: Outcome | "undelivered";
      try {
        outcome = await worker.invoke(request);
      } finally {
        this.release(worker);
      }
      if (outcome !== "undelivered") return outcome;
      // The sandbox died before it took the event (a crash left over from its previous invocation): the
      // invocation is not its to fail, so a fresh sandbox takes it.
      worker = (await this.acquire(name, true, dependencies))!;
    }
  }

  /** What a worker of `fn` needs before it starts; the dependency layout it runs with. */
  private async prepare(fn: RegisteredFunction): Promise<DependencyLayout | null> {
    if (isPythonRuntime(fn.runtime)) {
      const asking = this.sandbox.python.asking(fn.runtime);
      if (asking) await asking;
    } else {
      // Its runtime's Node.js, fetched on first need; one that cannot be had fails the call with what to do.
      await this.sandbox.node.prepare(fn.runtime);
    }
    // Built (or found in the cache) before a worker starts: its first invocation's init clock is not pip's.
    return this.sandbox.dependencies.prepare(fn);
  }

  private async acquire(name: string, wait: boolean, dependencies: DependencyLayout | null): Promise<Worker | undefined> {
    let worker = this.take(name, dependencies);
    while (!worker) {
      if (!wait) return undefined;
      await new Promise<void>((resolve) => this.pool(name).waiters.push(resolve));
      worker = this.take(name, dependencies);
    }
    return worker;
  }

  /**
   * Stops a function's workers: idle ones now, busy ones when their invocation ends (code or config changed).
   * True when the function had a pool, i.e. it ran since the emulator started.
   */
  retire(name: string): boolean {
    const pool = this.pools.get(name);
    if (!pool) return false;
    for (const worker of pool.idle.splice(0)) worker.kill();
    return true;
  }

  /**
   * Starts a worker of the function now and keeps it idle, unless one is idle already: its process start and
   * init then overlap whatever comes before the next invocation (pipes dev: the rest of the save, the run's
   * setup) instead of following it. Its first invocation is still a cold start (Init Duration), as on Lambda.
   * A worker that cannot start is left to the next invocation, which reports why.
   */
  async prewarm(name: string): Promise<void> {
    const fn = this.registry.get(name);
    if (!fn || this.closed) return;
    const dependencies = await this.prepare(fn).catch(() => undefined);
    const pool = this.pool(name);
    // Registered again, or a worker came meanwhile: what is idle now is what the next invocation wants.
    if (dependencies === undefined || this.closed || this.registry.get(name) !== fn || pool.idle.length > 0 || pool.all.size >= fn.concurrency) return;
    let worker: Worker;
    try {
      worker = this.spawn(fn, pool, dependencies);
    } catch {
      return;
    }
    this.release(worker);
  }

  /** Kills every worker and resolves once their processes have exited. */
  async closeAll(): Promise<void> {
    this.closed = true;
    this.idle.stop();
    // Those already stopped (retired, timed out) may still be exiting: a stop waits for them too.
    const workers = [...this.started];
    for (const worker of workers) worker.kill();
    for (const pool of this.pools.values()) for (const wake of pool.waiters.splice(0)) wake();
    await Promise.all(workers.map((w) => w.exited()));
    await this.reaper.close();
  }

  /** Whether a live worker runs from this code folder. */
  runsFrom(codeRoot: string): boolean {
    for (const worker of this.byId.values()) if (worker.alive && worker.fn.codeRoot === codeRoot) return true;
    return false;
  }

  /** Process ids of the live workers. */
  pids(): number[] {
    return [...this.byId.values()].flatMap((w) => (w.pid === undefined ? [] : [w.pid]));
  }

  private pool(name: string): FunctionPool {
    return getOrCreate(this.pools, name, () => ({ all: new Set(), idle: [], waiters: [] }));
  }

  private take(name: string, dependencies: DependencyLayout | null): Worker | undefined {
    if (this.closed) throw new Error("the emulator is shutting down");
    const fn = this.registry.get(name);
    if (!fn) throw new Error(`function ${name} is not registered`);
    const pool = this.pool(name);
    while (pool.idle.length > 0) {
      const worker = pool.idle.pop()!;
      this.idle.remove(worker);
      // A changed requirements.txt was built into another folder: a worker on the old one goes.
      if (worker.alive && worker.generation === fn.generation && sameLayout(worker.dependencies, dependencies)) return worker;
      worker.kill();
    }
    return pool.all.size < fn.concurrency ? this.spawn(fn, pool, dependencies) : undefined;
  }

  private spawn(fn: RegisteredFunction, pool: FunctionPool, dependencies: DependencyLayout | null): Worker {
    let pid: number | undefined;
    const worker = new Worker(fn, this.runtimeApi(), dependencies, {
      onLog: (line, requestId, logStream) => this.onLog(fn.name, line, requestId, logStream),
      sandbox: this.sandbox,
      onGone: (gone) => {
        if (pid !== undefined) this.reaper.forget(pid);
        pool.all.delete(gone);
        this.byId.delete(gone.id);
        const index = pool.idle.indexOf(gone);
        if (index >= 0) pool.idle.splice(index, 1);
        this.idle.remove(gone);
        pool.waiters.shift()?.();
        this.onWorkerGone();
      },
    });
    pool.all.add(worker);
    this.byId.set(worker.id, worker);
    this.started.add(worker);
    try {
      worker.start();
      pid = worker.pid;
      if (pid !== undefined) this.reaper.watch(pid, worker.mark);
      void worker.exited().then(() => this.started.delete(worker));
    } catch (error) {
      worker.kill();
      this.started.delete(worker);
      throw error;
    }
    return worker;
  }

  private release(worker: Worker): void {
    const pool = this.pool(poolKey(worker.fn));
    const current = this.registry.get(poolKey(worker.fn));
    if (!worker.alive) return;
    if (!current || current.generation !== worker.generation) {
      worker.kill();
      return;
    }
    pool.idle.push(worker);
    // Past the bound the least recently used idle worker (of any function) is stopped.
    this.idle.add(worker);
    pool.waiters.shift()?.();
  }
}
