/**
 * One sandbox: a child process running a runtime bootstrap that talks to the emulator through the Lambda
 * Runtime API. It runs one invocation at a time and stays warm between them, as a Lambda sandbox does.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import type { Socket } from "node:net";
import { dirname } from "node:path";
import type { ProcessTree } from "./process-tree.js";
import { readOutput, spawnSandbox } from "./sandbox-process.js";
import { exitFailure, exitReason, failurePayload, timeoutFailure, type Failure } from "./failures.js";
import { startLine } from "./log-format.js";
import { type Active, closingLines, errorTypeOf, type InvokeRequest, newActive, nextTraceId, type Outcome, outcomeOf } from "./invocation.js";
import { MemoryWatch } from "./memory-watch.js";
import type { RegisteredFunction } from "./registry.js";
import { bootstrapCommand, sandboxEnvironment, type SandboxSupport } from "./sandbox.js";
import { debuggerPortTaken, inspectorUrl, withDebugger } from "./debugger.js";
import { HeldOutput } from "./held-output.js";
import type { DependencyLayout } from "./dependencies.js";
import { Freezer } from "./freezer.js";
import { LogShaper } from "./logs/json-format.js";
import { INIT_TIMEOUT_MS, isPythonRuntime, MAX_RESPONSE_BYTES } from "../facts/lambda.js";
import { type EventSink, type NextEvent, serveChannel } from "./runtime-api.js";

/** How long to wait for a worker's output fence after its result; covers a process that closed its stdout. */
const FENCE_WAIT_MS = 1000;
/** How long an exited worker's pipes are read before its exit is handled without what they still hold. */
const PIPES_DRAIN_MS = 1000;

export interface WorkerHooks {
  /** Every line the sandbox logs, as it happens, with its log stream (one per sandbox, as on Lambda). */
  onLog(line: string, requestId: string | null, logStream: string): void;
  /** The worker can take no more invocations (exited, killed, or replaced). */
  onGone(worker: Worker): void;
  sandbox: SandboxSupport;
}

export class Worker {
  /** The worker's Runtime API path (`/w/<id>/...`): unguessable, so no other local process can take its events. */
  readonly id = randomBytes(16).toString("hex");
  readonly generation: number;
  /** Named as Lambda names a sandbox's stream: `YYYY/MM/DD/[$LATEST]<32 hex>`. */
  readonly logStream = `${new Date().toISOString().slice(0, 10).replace(/-/g, "/")}/[$LATEST]${randomBytes(16).toString("hex")}`;
  /** In its environment alone: finds its processes that left its process group (process-tree.ts). */
  readonly mark = `AWS_LAMBDA_LOG_STREAM_NAME=${this.logStream}`;
  private child: ChildProcess | undefined;
  /** The worker and every process its handler started (process-tree.ts). */
  private tree: ProcessTree | undefined;
  private readonly fence = `~~pipes-fence-${randomBytes(12).toString("hex")}~~`;
  private waitingNext: EventSink | undefined;
  /** Ends the output streams' unterminated lines, as a fence does (sandbox-process.ts). */
  private cutOutput: () => void = () => undefined;
  private channel: Socket | undefined;
  private active: Active | undefined;
  private spawnedAt = 0;
  private initDurationMs: number | null = null;
  private invocations = 0;
  private initError: { payload: Buffer; errorType: string } | undefined;
  private readonly held = new HeldOutput();
  /** LoggingConfig: JSON records and level filtering (logs/json-format.ts). */
  private readonly shape: LogShaper;
  /** Peak memory for REPORT; past the function's memory the sandbox is stopped, invocation or not. */
  private readonly memory: MemoryWatch;
  /** Stops it while it waits for its next event, as Lambda freezes an idle sandbox (freezer.ts). */
  private readonly freezer = new Freezer(
    () => (this.dead ? undefined : this.tree),
    // A debugger talks to the process between invocations too.
    () => !this.inspecting && !this.dead && !this.active && this.waitingNext !== undefined,
    () => this.memory.stop(),
  );
  /** Started with a debugger (`--inspect`): never frozen, and its timeouts wait while one is attached. */
  private inspecting = false;
  private debuggerAttached = false;
  /** Ended by the emulator (close, timeout, memory, retire), not by itself. */
  private killed = false;
  private dead = false;
  private readonly exitedPromise: Promise<void>;
  private markExited!: () => void;

  constructor(
    readonly fn: RegisteredFunction,
    private readonly runtimeApi: string,
    /** Its function's built requirements.txt (dependencies.ts); null when it has none. */
    readonly dependencies: DependencyLayout | null,
    private readonly hooks: WorkerHooks,
  ) {
    this.generation = fn.generation;
    this.shape = new LogShaper(fn.logging);
    this.memory = new MemoryWatch(() => this.child?.pid, fn.memoryMb, () => this.outOfMemory());
    this.exitedPromise = new Promise((resolve) => (this.markExited = resolve));
  }

  /** Resolves once the process has exited (at once if it never started). */
  exited(): Promise<void> {
    return this.child ? this.exitedPromise : Promise.resolve();
  }

  get busy(): boolean {
    return this.active !== undefined;
  }

  get pid(): number | undefined {
    return this.dead ? undefined : this.child?.pid;
  }

  /** Has not run an invocation yet: the next one is a cold start. */
  get fresh(): boolean {
    return this.invocations === 0;
  }

  get alive(): boolean {
    return !this.dead;
  }

  start(): void {
    const python = isPythonRuntime(this.fn.runtime) ? this.hooks.sandbox.python.choose(this.fn.runtime) : undefined;
    if (python?.warning) this.hooks.sandbox.warn(python.warning);
    if (python?.note) this.hooks.sandbox.note(python.note);
    // Python workers still get the host's Node.js first on PATH, as before.
    const node = python ? { command: process.execPath } : this.hooks.sandbox.node.choose(this.fn.runtime);
    const { command, args: bootstrapArgs } = bootstrapCommand(this.fn, this.fence, python?.command ?? node.command, this.dependencies);
    const args = this.debuggerArgs(bootstrapArgs, python?.command);
    // A bundled TypeScript handler runs from its build (builds.ts), anything else from its own folder.
    const codeRoot = this.dependencies && "codeRoot" in this.dependencies ? this.dependencies.codeRoot : this.fn.codeRoot;
    const taskRoot = python ? this.fn.codeRoot : this.hooks.sandbox.taskRoots.create(this.id, codeRoot);
    const env = sandboxEnvironment(this.fn, `${this.runtimeApi}/w/${this.id}`, this.logStream, taskRoot, dirname(node.command));
    this.spawnedAt = performance.now();
    const { child, tree } = spawnSandbox(command, args, taskRoot, env, this.mark);
    this.child = child;
    this.tree = tree;
    this.channel = child.stdio[3] as Socket;
    serveChannel(this, this.channel);
    this.cutOutput = readOutput(child, this.fence, (line) => this.addLine(line), () => this.fenceSeen());
    child.on("error", (error) => {
      this.addLine(`pipes emulator: could not start ${command}: ${error.message}`);
      this.markExited();
      this.processExited(null, null, error.message);
    });
    child.on("exit", (code, signal) => {
      // A sandbox whose runtime exited is gone as a whole, with what its handler left running.
      this.tree?.kill();
      this.hooks.sandbox.taskRoots.remove(this.id);
      // What it wrote just before it exited (an init error on the channel, its last lines) may still be in the
      // pipes: the exit is only handled once they are read, which the tree's kill bounds; a pipe some escaped
      // process holds open is waited for a moment only.
      const settle = () => {
        clearTimeout(bound);
        this.markExited();
        this.processExited(code, signal);
      };
      const bound = setTimeout(() => {
        child.off("close", settle);
        settle();
      }, PIPES_DRAIN_MS);
      child.once("close", settle);
    });
  }

  /**
   * Runs one invocation; the worker must be free. Resolves when the invocation ended, however it ended, or with
   * "undelivered" when the process died (of an earlier invocation's doing) before it took this one's event.
   */
  invoke(request: InvokeRequest): Promise<Outcome | "undelivered"> {
    return new Promise((resolve) => {
      const cold = this.invocations++ === 0;
      this.active = newActive(request, cold, resolve);
      for (const line of this.shape.platform(startLine(request.requestId, this.fn.version), { cold, functionName: this.fn.name })) this.platformLine(this.active, line);
      // A Lambda sandbox is frozen between invocations: what it wrote meanwhile appears once it is thawed, after
      // the next START line, in that invocation's log (and its log stream) with that invocation's request id.
      for (const line of this.held.take()) this.platformLine(this.active, line);
      // Until the runtime asks for the event, the init phase runs on its own 10 s clock. A warm worker that is not
      // asking (still busy with work its handler left running) is on the invocation's own clock from now on.
      if (cold) this.active.timer = setTimeout(() => this.timedOut(INIT_TIMEOUT_MS / 1000), INIT_TIMEOUT_MS);
      else if (!this.waitingNext) this.armTimeout(this.active);
      if (this.initError) this.finishWithInitError();
      else if (this.waitingNext) this.deliver();
      // Thawed after the event is on its socket, so it is there when the sandbox resumes.
      this.freezer.thaw();
    });
  }

  // --- Runtime API, called by the server for this worker's requests ---

  next(sink: EventSink, initEndedAt?: number): void {
    if (this.initDurationMs === null) {
      const now = performance.now();
      // Read late when this thread was busy (a worker started ahead, while the CLI loads the SDK): the runtime's own
      // clock says when init ended, bounded by now (the same machine's clock; never more than what we saw).
      const ended = initEndedAt === undefined ? now : Math.min(now, Math.max(this.spawnedAt, initEndedAt - performance.timeOrigin));
      this.initDurationMs = ended - this.spawnedAt;
    }
    this.waitingNext = sink;
    if (this.active && !this.active.delivered) this.deliver();
    else if (!this.active) this.freezer.schedule();
  }

  /** The handler's result; "too-large" when it passed Lambda's 6 MB response limit. */
  response(requestId: string, body: Buffer | "too-large", drained: boolean): boolean {
    const active = this.current(requestId);
    if (!active) return false;
    if (drained) active.drained = true;
    if (body === "too-large") {
      const error = { errorType: "Function.ResponseSizeTooLarge", errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).` };
      this.settle({ status: "error", payload: Buffer.from(JSON.stringify(error)), errorType: error.errorType });
    } else {
      this.settle({ status: "success", payload: body.length ? body : Buffer.from("null"), errorType: null });
    }
    return true;
  }

  /**
   * The handler's error. It may also come after a response the invocation has not been answered with yet (its
   * output fences are still to come): a promise the handler left rejected, which fails the invocation.
   */
  error(requestId: string, body: Buffer, headerType: string | undefined, drained: boolean): boolean {
    const late = this.active?.request.requestId === requestId && this.active.result?.status === "success";
    const active = late ? this.active : this.current(requestId);
    if (!active) return false;
    if (drained) active.drained = true;
    const errorType = errorTypeOf(body) ?? headerType ?? "Unknown";
    this.settle({ status: "error", payload: body, errorType });
    return true;
  }

  /** The peak resident memory the worker measured itself (a cheaper and exact source than polling /proc). */
  reportPeakMemory(mb: number): void {
    this.memory.report(mb);
  }

  initFailed(body: Buffer, headerType: string | undefined): void {
    this.initDurationMs ??= performance.now() - this.spawnedAt;
    this.initError = { payload: body, errorType: errorTypeOf(body) ?? headerType ?? "Runtime.Unknown" };
    if (this.active) this.finishWithInitError();
  }

  /** An HTTP wait for the next event ended unanswered (its connection closed). */
  nextAbandoned(sink: EventSink): void {
    if (this.waitingNext === sink) this.waitingNext = undefined;
  }

  /** Something other than the Runtime API came over the channel: the sandbox cannot be trusted to go on. */
  channelBroken(reason: string): void {
    this.addLine(`pipes emulator: the worker's Runtime API channel carried ${reason}; the sandbox is stopped`);
    this.kill();
  }

  kill(): void {
    if (this.dead) return;
    this.killed = true;
    // SIGKILL ends frozen processes too. Without a tree (never started) there is nothing to end.
    this.tree?.kill();
    this.markDead();
  }

  // --- internals ---

  /** With `--inspect` (see debugger.ts); the plain arguments otherwise. */
  private debuggerArgs(args: string[], python: string | undefined): string[] {
    const ports = this.hooks.sandbox.inspect;
    if (!ports) return args;
    const launch = withDebugger(this.fn.name, args, python, ports);
    this.inspecting = launch.inspecting;
    this.debuggerAttached = launch.attached;
    if (launch.note) this.hooks.sandbox.note(launch.note);
    if (launch.warning) this.hooks.sandbox.warn(launch.warning);
    return launch.args;
  }

  private current(requestId: string): Active | undefined {
    const active = this.active;
    return active && active.request.requestId === requestId && !active.result ? active : undefined;
  }

  private deliver(): void {
    const active = this.active!;
    const sink = this.waitingNext!;
    this.waitingNext = undefined;
    active.delivered = true;
    // Duration counts from the handoff of the event; a cold start's init is reported apart.
    active.started = performance.now();
    if (active.cold || active.deadline === undefined) this.armTimeout(active);
    const deadline = active.deadline!;
    this.memory.start();
    const event: NextEvent = {
      requestId: active.request.requestId,
      deadlineMs: deadline,
      functionArn: active.request.invokedFunctionArn ?? this.fn.arn,
      traceId: nextTraceId(),
      clientContext: active.request.clientContext,
    };
    sink.send(event, active.request.payload);
  }

  /** Starts the invocation's timeout clock (replacing the init clock of a cold start). */
  private armTimeout(active: Active): void {
    const timeoutMs = this.fn.timeoutSeconds * 1000;
    active.deadline = Date.now() + timeoutMs;
    clearTimeout(active.timer);
    active.timer = setTimeout(() => this.timedOut(this.fn.timeoutSeconds), timeoutMs);
  }

  private addLine(line: string): void {
    if (this.inspecting && line.startsWith("Debugger attached.")) this.debuggerAttached = true;
    const url = this.inspecting ? inspectorUrl(line) : null;
    if (url) this.hooks.sandbox.note(`${this.fn.name}: a debugger can attach at ${url} (chrome://inspect, VS Code "Attach to Node Process")`);
    if (this.inspecting && debuggerPortTaken(line)) {
      this.hooks.sandbox.warn(`${this.fn.name}: its debugger's port is taken by another process (a debugger still attached elsewhere?): start pipes dev with --inspect and a free port`);
    }
    const shaped = this.shape.application(line);
    if (shaped === null) return; // below the function's ApplicationLogLevel
    line = shaped;
    const active = this.active;
    if (active) {
      this.platformLine(active, line);
    } else {
      this.held.hold(line);
    }
  }

  /** A line of the invocation's log, told to the embedder as it happens. */
  private platformLine(active: Active, line: string): void {
    active.lines.push(line);
    this.hooks.onLog(line, active.request.requestId, this.logStream);
  }

  private settle(result: NonNullable<Active["result"]>): void {
    const active = this.active!;
    active.result = result;
    clearTimeout(active.timer);
    clearTimeout(active.fenceTimer);
    // The memory watch goes on until the sandbox is frozen: work its handler left running may still grow it.
    if (active.fencesSeen >= 2) this.finish();
    else if (active.drained) setImmediate(() => this.outputRead(active));
    else active.fenceTimer = setTimeout(() => this.finish(), FENCE_WAIT_MS);
  }

  /**
   * The runtime wrote no fences: everything the sandbox wrote before it answered was in its stdout and stderr
   * pipes by then (none of it queued in the runtime), and is read by now. This runs after the I/O callbacks of the
   * event-loop turn that read the answer: a pipe holding bytes is readable, so the poll that saw the answer saw it
   * too (or an earlier one did), and its read callback split what it held into lines (at most a socket buffer's
   * worth, which one callback reads whole). What a fence would do is done here: an unterminated last line is
   * ended, and nothing more is awaited. Saves the runtime two writes and the emulator two reads per invocation.
   */
  private outputRead(active: Active): void {
    if (this.active !== active || !active.result) return; // ended meanwhile (exit, a late error already finished it)
    this.cutOutput();
    active.fencesSeen = 2;
    this.finish();
  }

  private fenceSeen(): void {
    const active = this.active;
    if (!active) return;
    active.fencesSeen++;
    if (active.result && active.fencesSeen >= 2) this.finish();
  }

  private finish(extraStatus?: string): void {
    const active = this.active;
    if (!active?.result) return;
    clearTimeout(active.fenceTimer);
    clearTimeout(active.timer);
    this.active = undefined;
    const facts = {
      functionName: this.fn.name,
      memoryMb: this.fn.memoryMb,
      durationMs: performance.now() - active.started,
      maxMemoryMb: this.memory.takePeak(active.result.status === "success"),
      initDurationMs: active.cold ? this.initDurationMs : null,
      reportStatus: extraStatus,
    };
    const status = extraStatus ?? (active.result.status === "success" ? "success" : "error");
    for (const line of closingLines(active, facts)) for (const shaped of this.shape.platform(line, { status })) this.platformLine(active, shaped);
    this.freezer.schedule(); // if it already waits for its next event
    active.resolve(outcomeOf(active, facts));
  }

  private timedOut(seconds: number): void {
    const active = this.active;
    if (!active || active.result) return;
    if (this.debuggerAttached) return; // stopped at a breakpoint is not a timeout
    this.kill();
    this.fail(active, timeoutFailure(active.request.requestId, seconds), "timeout");
  }

  /** Ends the invocation with a platform failure: its log lines, its error payload, REPORT's status. */
  private fail(active: Active, failure: Failure, reportStatus: string): void {
    for (const line of failure.logLines) this.platformLine(active, line);
    active.result = { status: failure.status, payload: failurePayload(failure), errorType: failure.errorType };
    this.finish(reportStatus);
  }

  private finishWithInitError(): void {
    const active = this.active!;
    const init = this.initError!;
    active.result = { status: "init-error", payload: init.payload, errorType: init.errorType };
    this.finish("error");
  }

  private outOfMemory(): void {
    const active = this.active;
    // Grown past its memory after it answered: the sandbox goes, and the next invocation gets a fresh one.
    if (!active || active.result) return this.kill();
    this.kill();
    this.fail(active, exitFailure(active.request.requestId, exitReason(null, "SIGKILL"), true), "error");
  }

  private processExited(code: number | null, signal: NodeJS.Signals | null, spawnError?: string): void {
    this.memory.stop();
    const active = this.active;
    this.markDead();
    // Killed or not, an invocation still open ends now: its timer must not keep it (and the process) waiting.
    // (finish() clears `active`, so one still here was never answered: a kill by close() or retire() leaves one.)
    if (!active) return;
    if (this.initError) return this.finishWithInitError();
    if (!active.delivered && !active.cold && !active.result && !this.killed) {
      clearTimeout(active.timer);
      this.active = undefined;
      return active.resolve("undelivered");
    }
    if (active.result) return this.finish();
    // A Node heap exhausted by --max-old-space-size is Lambda's out-of-memory, not a plain crash.
    const outOfMemory = /JavaScript heap out of memory|MemoryError/.test(active.lines.join("\n"));
    this.fail(active, exitFailure(active.request.requestId, spawnError ?? exitReason(code, signal), outOfMemory), "error");
  }

  private markDead(): void {
    if (this.dead) return;
    this.dead = true;
    this.waitingNext?.cancel();
    this.waitingNext = undefined;
    this.channel?.destroy();
    this.hooks.onGone(this);
  }
}
