/**
 * The emulator's state behind the HTTP routes: the function registry, the worker pools, deployed code
 * folders, and the events the embedder listens to.
 */
import { EventEmitter } from "node:events";
import { rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { unpackZip } from "./unzip.js";
import { combinedSizeProblem, LayerStore } from "./layer-store.js";
import type { EmulatorEvents } from "./events.js";
import { EventQueue } from "./event-queue.js";
import { Pools } from "./pool.js";
import { createCodeDir } from "./code-dir.js";
import { debuggerPorts } from "./debugger.js";
import { PythonResolver } from "./python.js";
import { NodeResolver } from "./node.js";
import { FunctionDependencies } from "./dependencies.js";
import { TaskRoots } from "./task-root.js";
import { userCacheDir } from "../util/user-cache.js";
import { HandlerBuilds } from "./builds.js";
import { idleLimits } from "./idle-sandboxes.js";
import { RetiredCode } from "./retired-code.js";
import { LogStore } from "./logs/store.js";
import { describeCode, logGroupName, Registry, type FunctionSpec, type RegisteredFunction } from "./registry.js";
import type { InvokeRequest, Outcome } from "./invocation.js";
import { mergeSettings, type ApiError } from "./settings.js";
import { calendarToday } from "../util/clock.js";
import { Versions, type QualifierError } from "./versions.js";


export class EmulatorCore {
  readonly registry = new Registry();
  /** Published versions and aliases (versions.ts). */
  readonly versions = new Versions();
  readonly events = new EventEmitter<EmulatorEvents>();
  readonly pools: Pools;
  /** Where uploaded zips are unpacked, one folder per upload; removed on close. */
  private readonly codeDir = createCodeDir();
  /** Layers published to the emulator (PublishLayerVersion), unpacked under the same folder. */
  readonly layerStore = new LayerStore(join(this.codeDir, "layers"));
  private uploads = 0;
  /** Functions whose upload is being unpacked. */
  private readonly deploying = new Set<string>();
  /** Replaced uploads, removed once no worker runs from them. */
  private readonly codeFolders: RetiredCode;
  /** Event invocations accepted (202) and not yet ended: what a stop would drop. */
  eventsInFlight = 0;
  /** The bytes those Event invocations hold, bounded per function and in total. */
  readonly eventQueue = new EventQueue();

  readonly logs: LogStore;
  private readonly python: PythonResolver;
  private readonly dependencies: FunctionDependencies;

  /**
   * `hostEnv`: the user's environment, where the Python and Node.js interpreters are looked up and pip runs with
   * (never the sandbox's).
   */
  constructor(
    runtimeApi: () => string,
    logRetentionBytes?: number,
    private readonly hostEnv: NodeJS.ProcessEnv = process.env,
    inspectPort?: number,
  ) {
    this.logs = new LogStore(logRetentionBytes);
    this.python = new PythonResolver(hostEnv);
    const warn = (message: string) => this.events.emit("warning", { message });
    const note = (message: string) => this.events.emit("note", { message });
    this.dependencies = new FunctionDependencies(hostEnv, this.python, { warn, note }, new HandlerBuilds(join(this.codeDir, "builds")));
    this.pools = new Pools(
      // Pools are keyed `name` ($LATEST) or `name:N` (a version): each version has its own warm sandboxes.
      { get: (key) => this.lookup(key) },
      runtimeApi,
      (functionName, line, requestId, logStream) => {
        this.logs.append(this.registry.get(functionName)?.logging?.logGroup ?? logGroupName(functionName), logStream, line);
        this.events.emit("log", { functionName, requestId, logStream, line });
      },
      {
        taskRoots: new TaskRoots(this.codeDir, join(userCacheDir(hostEnv), "sdk-forwarders")),
        python: this.python,
        node: new NodeResolver(hostEnv, { warn, note }),
        dependencies: this.dependencies,
        warn,
        note,
        inspect: inspectPort === undefined ? null : debuggerPorts(inspectPort),
      },
      () => idleLimits(hostEnv, warn),
      () => this.codeFolders.sweep(),
    );
    // A version shares its code folder with $LATEST until $LATEST's code is replaced: kept while either uses it.
    this.codeFolders = new RetiredCode(
      this.codeDir,
      (root) => this.pools.runsFrom(root) || this.versions.uses(root) || this.registry.list().some((fn) => fn.codeRoot === root),
    );
  }

  /** Starts asking the Python interpreters these runtimes would use, so no invocation waits for that. */
  warmPython(runtimes: string[]): void {
    if (runtimes.length > 0) this.python.warm(runtimes);
  }

  /** Registers (or replaces) a function whose code is already on disk, e.g. from a definitions file. */
  register(spec: FunctionSpec): RegisteredFunction {
    const fn = this.registry.put(spec);
    this.pools.retire(spec.name);
    return fn;
  }

  /** A function's `$LATEST` by `name`, or a published version by `name:N`. */
  lookup(key: string): RegisteredFunction | undefined {
    const [name, version] = key.split(":");
    return version === undefined ? this.registry.get(name!) : this.versions.version(name!, version);
  }

  /** `key`: the function's name, or `name:N` for a published version (versions.ts, poolKey). */
  async invoke(key: string, request: InvokeRequest, wait: boolean): Promise<Outcome | "throttled"> {
    const name = key.split(":")[0]!;
    const outcome = await this.pools.invoke(key, request, wait, (cold) =>
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

  /**
   * CreateFunction / UpdateFunctionCode: unpacks the zip (in a thread) and (re)registers, or says what is wrong.
   * One upload per function at a time: another meanwhile is refused, as AWS refuses an update while one is in
   * progress (ResourceConflictException, 409).
   */
  async deploy(name: string, zip: Buffer, settings: Record<string, unknown>): Promise<RegisteredFunction | ApiError> {
    const existing = this.registry.get(name);
    if (this.deploying.has(name)) {
      const message = existing ? `The operation cannot be performed at this time. An update is in progress for resource: ${existing.arn}` : `Function already exist: ${name}`;
      return { errorType: "ResourceConflictException", message };
    }
    const attached = this.layerStore.attach(settings.Layers);
    if (attached && "errorType" in attached) return attached;
    const merged = mergeSettings(existing, name, settings, calendarToday(this.hostEnv));
    if ("errorType" in merged) return merged;
    const root = join(this.codeDir, `${name}-${++this.uploads}`);
    // Names are checked at the API; this keeps the code folder inside the emulator's whatever a caller passes.
    if (dirname(root) !== this.codeDir) return { errorType: "ValidationException", message: "Invalid function name" };
    this.deploying.add(name);
    try {
      const problem = await unpackZip(zip, root);
      if (problem) {
        await this.codeFolders.drop(root);
        return { errorType: "InvalidParameterValueException", message: problem };
      }
      // The zip holds its packages (deploy-handler built them in) and its bundle: nothing is built for it, as on
      // Lambda — a definitions-file function updated with a zip runs the zip, not its sources any more.
      const { requirements: _built, bundle: _bundled, ...spec } = merged;
      const tooLarge = combinedSizeProblem(root, (attached ?? spec).layerVersions);
      if (tooLarge) {
        await this.codeFolders.drop(root);
        return tooLarge;
      }
      const fn = this.registry.put({ ...spec, ...attached, codeRoot: root }, describeCode(zip, ""));
      this.pools.retire(name);
      if (existing) this.codeFolders.retire(existing.codeRoot);
      return fn;
    } finally {
      this.deploying.delete(name);
    }
  }

  /** UpdateFunctionConfiguration: Environment.Variables replaces the whole set, as on AWS. */
  configure(name: string, settings: Record<string, unknown>): RegisteredFunction | ApiError {
    const existing = this.registry.get(name)!;
    const attached = this.layerStore.attach(settings.Layers);
    if (attached && "errorType" in attached) return attached;
    const merged = mergeSettings(existing, name, settings, calendarToday(this.hostEnv));
    if ("errorType" in merged) return merged;
    const tooLarge = combinedSizeProblem(existing.codeRoot, attached?.layerVersions);
    if (tooLarge) return tooLarge;
    const fn = this.registry.put({ ...merged, ...attached }, { codeSha256: existing.codeSha256, codeSize: existing.codeSize });
    this.pools.retire(name);
    return fn;
  }

  deleteFunction(name: string): void {
    const fn = this.registry.get(name);
    this.registry.delete(name);
    this.pools.retire(name);
    for (const version of this.versions.deleteFunction(name)) this.dropVersion(version);
    if (fn) this.codeFolders.retire(fn.codeRoot);
  }

  /** DeleteFunction with a qualifier: that version goes (its sandboxes, its code once unused); null when done. */
  deleteVersion(name: string, qualifier: string): QualifierError | null {
    const gone = this.versions.deleteVersion(name, qualifier);
    if ("status" in gone) return gone;
    this.dropVersion(gone);
    return null;
  }

  private dropVersion(version: RegisteredFunction): void {
    this.pools.retire(`${version.name}:${version.version}`);
    this.codeFolders.retire(version.codeRoot);
  }

  async close(): Promise<void> {
    this.dependencies.close();
    await Promise.all([this.pools.closeAll(), this.python.close()]);
    rmSync(this.codeDir, { recursive: true, force: true });
  }
}
