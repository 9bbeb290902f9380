/**
 * The built requirements.txt of a definitions-file Python function, as `pipes deploy-handler` puts them in its
 * zip (src/deploy/python-deps.ts, the same cache folder): built before the function's first invocation, by the
 * pip of the interpreter that runs it, and put on its sys.path after its folder. A deployed zip carries its own,
 * so functions created through the API get none.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildDependencies, dependenciesDir, REQUIREMENTS_FILE } from "../deploy/python-deps.js";
import { isPythonRuntime } from "../facts/lambda.js";
import type { HandlerBuilds } from "./builds.js";
import type { PythonResolver } from "./python.js";
import type { RegisteredFunction } from "./registry.js";

/**
 * Where a worker finds its function's packages (Python), the folder its bundled TypeScript handler runs from
 * (Node.js, builds.ts), or why it cannot start (and, for Node.js, the runtime's error type for it).
 */
export type DependencyLayout = { dir: string } | { error: string; errorType?: string } | { codeRoot: string };

export class FunctionDependencies {
  /** Builds by cache folder, running or done; a failed one is forgotten, so the next invocation tries again. */
  private readonly builds = new Map<string, Promise<DependencyLayout>>();
  private readonly stop = new AbortController();
  /**
   * Each requirements.txt's cache folder, with the file's stat when it was read: every invocation asks, and one
   * whose file is unchanged (or still absent) is answered from here without reading it again.
   */
  private readonly seen = new Map<string, { stamp: string; dir: string }>();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly python: PythonResolver,
    private readonly tell: { warn(message: string): void; note(message: string): void },
    private readonly handlerBuilds: HandlerBuilds,
  ) {}

  /** The function's layout, built first if need be; null when it has nothing to build. Never throws. */
  async prepare(fn: RegisteredFunction): Promise<DependencyLayout | null> {
    if (fn.bundle && !isPythonRuntime(fn.runtime)) return this.handlerBuilds.prepare({ ...fn, bundle: fn.bundle });
    if (!fn.requirements || !isPythonRuntime(fn.runtime)) return null;
    const file = join(fn.codeRoot, REQUIREMENTS_FILE);
    // No exception for a missing file: most functions have none, and a throw per invocation showed in profiles.
    const stat = statSync(file, { throwIfNoEntry: false, bigint: true });
    if (!stat) return null; // no requirements.txt (now): nothing to build
    const request = { file, runtime: fn.runtime, architecture: fn.requirements.architecture, env: this.env };
    // The folder depends on the runtime and architecture too: they are part of the key.
    const key = `${file}\0${fn.runtime}\0${fn.requirements.architecture}`;
    const stamp = `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
    let dir = this.seen.get(key)?.stamp === stamp ? this.seen.get(key)!.dir : undefined;
    if (dir === undefined) {
      let text: Buffer;
      try {
        text = readFileSync(file);
      } catch {
        return null; // gone since the stat
      }
      dir = dependenciesDir(request, text);
      this.seen.set(key, { stamp, dir });
    }
    let build = this.builds.get(dir);
    if (!build) {
      build = this.build(fn, { ...request, python: () => this.interpreter(fn.runtime) });
      this.builds.set(dir, build);
      void build.then((layout) => "error" in layout && this.builds.delete(dir));
    }
    return build;
  }

  /** Ends the pip runs still going (the emulator stops). */
  close(): void {
    this.stop.abort();
  }

  private async build(fn: RegisteredFunction, request: Parameters<typeof buildDependencies>[0]): Promise<DependencyLayout> {
    try {
      const built = await buildDependencies({ ...request, signal: this.stop.signal }, (b) =>
        this.tell.note(`${fn.name}: building ${b.file} with pip for Lambda's ${b.runtime} (${b.platform}), once, into ${b.dir}`),
      );
      return { dir: built.dir };
    } catch (error) {
      // It travels to the worker as an argument: bounded well below Linux's 128 KB for one.
      return { error: (error as Error).message.slice(0, 16_384) };
    }
  }

  /** The interpreter the function's workers run on; its warning (another Python version) said here, once. */
  private interpreter(runtime: string): string {
    const choice = this.python.choose(runtime);
    if (choice.warning) this.tell.warn(choice.warning);
    return choice.command;
  }
}
