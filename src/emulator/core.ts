/**
 * The emulator's state behind the HTTP routes: the function registry, the worker pools, deployed code
 * folders, and the events the embedder listens to.
 */
import { EventEmitter } from "node:events";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { unpackZip } from "./unzip.js";
import type { EmulatorEvents } from "./events.js";
import { Pools } from "./pool.js";
import { createCodeDir } from "./code-dir.js";
import { PythonResolver, type PythonEnvironment } from "./python.js";
import { TaskRoots } from "./task-root.js";
import { LogStore } from "./logs/store.js";
import { describeCode, logGroupName, Registry, type FunctionSpec, type RegisteredFunction } from "./registry.js";
import type { InvokeRequest, Outcome } from "./worker.js";
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  isRuntime,
  MEMORY_MAX_MB,
  MEMORY_MIN_MB,
  NODE_RUNTIMES,
  PYTHON_RUNTIMES,
  TIMEOUT_MAX_SECONDS,
  TIMEOUT_MIN_SECONDS,
} from "../lambda/facts.js";


export class EmulatorCore {
  readonly registry = new Registry();
  readonly events = new EventEmitter<EmulatorEvents>();
  readonly pools: Pools;
  /** Where uploaded zips are unpacked, one folder per upload; removed on close. */
  private readonly codeDir = createCodeDir();
  private uploads = 0;
  /** Event invocations accepted (202) and not yet ended: what a stop would drop. */
  eventsInFlight = 0;

  readonly logs: LogStore;

  /** `hostEnv`: the user's environment, where the Python interpreter is looked up (never the sandbox's). */
  constructor(runtimeApi: () => string, logRetentionBytes?: number, hostEnv?: PythonEnvironment) {
    this.logs = new LogStore(logRetentionBytes);
    this.pools = new Pools(
      this.registry,
      runtimeApi,
      (functionName, line, requestId, logStream) => {
        this.logs.append(logGroupName(functionName), logStream, line);
        this.events.emit("log", { functionName, requestId, logStream, line });
      },
      {
        taskRoots: new TaskRoots(this.codeDir),
        python: new PythonResolver(hostEnv),
        warn: (message) => this.events.emit("warning", { message }),
      },
    );
  }

  /** Registers (or replaces) a function whose code is already on disk, e.g. from a definitions file. */
  register(spec: FunctionSpec): RegisteredFunction {
    const fn = this.registry.put(spec);
    this.pools.retire(spec.name);
    return fn;
  }

  async invoke(name: string, request: InvokeRequest, wait: boolean): Promise<Outcome | "throttled"> {
    const outcome = await this.pools.invoke(name, request, wait, (cold) =>
      this.events.emit("invocation-start", {
        functionName: name,
        requestId: request.requestId,
        invocationType: request.invocationType,
        cold,
      }),
    );
    if (outcome !== "throttled") this.events.emit("invocation-end", outcome.end);
    return outcome;
  }

  /** CreateFunction / UpdateFunctionCode: unpacks the zip and (re)registers; a string is the error. */
  deploy(name: string, zip: Buffer, settings: Record<string, unknown>): RegisteredFunction | string {
    const existing = this.registry.get(name);
    const merged = mergeSettings(existing, name, settings);
    if (typeof merged === "string") return merged;
    const root = join(this.codeDir, `${name}-${++this.uploads}`);
    // Names are checked at the API; this keeps the code folder inside the emulator's whatever a caller passes.
    if (dirname(root) !== this.codeDir) return "Invalid function name";
    const problem = unpackZip(zip, root);
    if (problem) {
      rmSync(root, { recursive: true, force: true });
      return problem;
    }
    const fn = this.registry.put({ ...merged, codeRoot: root }, describeCode(zip, ""));
    this.pools.retire(name);
    return fn;
  }

  /** UpdateFunctionConfiguration: Environment.Variables replaces the whole set, as on AWS. */
  configure(name: string, settings: Record<string, unknown>): RegisteredFunction | string {
    const existing = this.registry.get(name)!;
    const merged = mergeSettings(existing, name, settings);
    if (typeof merged === "string") return merged;
    const fn = this.registry.put(merged, { codeSha256: existing.codeSha256, codeSize: existing.codeSize });
    this.pools.retire(name);
    return fn;
  }

  deleteFunction(name: string): void {
    this.registry.delete(name);
    this.pools.retire(name);
  }

  async close(): Promise<void> {
    await this.pools.closeAll();
    rmSync(this.codeDir, { recursive: true, force: true });
  }
}

/** Lambda's rules for Environment.Variables: names `[a-zA-Z][a-zA-Z0-9_]+`, string values, 4 KB in all. */
function invalidEnvironment(variables: unknown): string | null {
  if (variables === undefined || variables === null) return null;
  if (typeof variables !== "object" || Array.isArray(variables)) return "Environment.Variables must be a map of strings";
  let size = 0;
  for (const [name, value] of Object.entries(variables)) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name)) {
      return `1 validation error detected: Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]`;
    }
    if (typeof value !== "string" || value.includes("\0")) return `Environment variable ${name} must be a string without NUL characters`;
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return size > 4096 ? `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${size}` : null;
}

/** The API's settings (Runtime, Handler, MemorySize, ...) over an existing function's; a string is the error. */
function mergeSettings(existing: RegisteredFunction | undefined, name: string, s: Record<string, unknown>): FunctionSpec | string {
  const spec: FunctionSpec = existing
    ? { ...existing }
    : { name, handler: "", runtime: "", codeRoot: "", memoryMb: DEFAULT_MEMORY_MB, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, environment: {}, concurrency: 10 };
  if (typeof s.Runtime === "string") spec.runtime = s.Runtime;
  if (typeof s.Handler === "string") spec.handler = s.Handler;
  if (typeof s.Description === "string") spec.description = s.Description;
  if (typeof s.Role === "string") spec.role = s.Role;
  if (s.MemorySize !== undefined) spec.memoryMb = Number(s.MemorySize);
  if (s.Timeout !== undefined) spec.timeoutSeconds = Number(s.Timeout);
  const variables = (s.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
  if (s.Environment !== undefined) {
    const problem = invalidEnvironment(variables);
    if (problem) return problem;
    spec.environment = { ...(variables ?? {}) };
  }
  if (!isRuntime(spec.runtime)) {
    return `Value ${spec.runtime} at 'runtime' failed to satisfy constraint: the emulator runs ${NODE_RUNTIMES[0]}–${NODE_RUNTIMES.at(-1)} and ${PYTHON_RUNTIMES[0]}–${PYTHON_RUNTIMES.at(-1)}`;
  }
  if (!Number.isInteger(spec.memoryMb) || spec.memoryMb < MEMORY_MIN_MB || spec.memoryMb > MEMORY_MAX_MB) {
    return `Value ${spec.memoryMb} at 'memorySize' failed to satisfy constraint: Member must have value between ${MEMORY_MIN_MB} and ${MEMORY_MAX_MB}`;
  }
  if (!Number.isInteger(spec.timeoutSeconds) || spec.timeoutSeconds < TIMEOUT_MIN_SECONDS || spec.timeoutSeconds > TIMEOUT_MAX_SECONDS) {
    return `Value ${spec.timeoutSeconds} at 'timeout' failed to satisfy constraint: Member must have value between ${TIMEOUT_MIN_SECONDS} and ${TIMEOUT_MAX_SECONDS}`;
  }
  return spec;
}
