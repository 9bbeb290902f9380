/**
 * What a function's code can import, as on Lambda: its own folder (the zip) and the runtime's modules, never the
 * node_modules of the folders above it. A function from a definitions file lives in the user's project, where
 * Node.js would walk up to the project's node_modules and find packages the zip will not have. So each Node.js
 * worker runs in a task root of its own inside the emulator's folder: the function folder's top-level entries
 * linked (workers run with --preserve-symlinks, so imports resolve from the link, not from the project), and above
 * it only the runtime's AWS SDK for JavaScript v3, which Lambda's Node.js runtimes provide: the @aws-sdk packages
 * installed beside pipes (where a user's project installs them too), each behind a small package that points at
 * the real one, so its own dependencies resolve where it is installed.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { requireCjs } from "../util/cjs.js";

/** The @aws-sdk folder that pipes' own clients come from, or undefined if it cannot be found. */
export function runtimeSdkScope(): string | undefined {
  try {
    const entry = requireCjs.resolve("@aws-sdk/client-lambda");
    const marker = `${sep}node_modules${sep}@aws-sdk${sep}`;
    return entry.slice(0, entry.lastIndexOf(marker) + marker.length - 1);
  } catch {
    return undefined;
  }
}

export class TaskRoots {
  private sdkReady = false;

  /** `codeDir` is the emulator's own folder: uploads live there already, task roots go in `codeDir/tasks`. */
  constructor(private readonly codeDir: string) {}

  /** The folder a worker runs its function from (its LAMBDA_TASK_ROOT). */
  create(workerId: string, codeRoot: string): string {
    this.provideSdk();
    if (codeRoot.startsWith(this.codeDir + sep)) return codeRoot; // an upload: nothing above it but the SDK
    const root = join(this.codeDir, "tasks", workerId);
    mkdirSync(root, { recursive: true });
    for (const entry of readdirSync(codeRoot)) symlinkSync(join(codeRoot, entry), join(root, entry));
    return root;
  }

  remove(workerId: string): void {
    // rmSync removes the links, never what they point to.
    rmSync(join(this.codeDir, "tasks", workerId), { recursive: true, force: true });
  }

  /** `codeDir/node_modules/@aws-sdk/<name>`: one forwarding package per installed @aws-sdk package. */
  private provideSdk(): void {
    if (this.sdkReady) return;
    this.sdkReady = true;
    const scope = runtimeSdkScope();
    if (!scope) return;
    for (const name of readdirSync(scope)) {
      const real = join(scope, name);
      let entry: string;
      try {
        entry = requireCjs.resolve(real);
      } catch {
        continue; // not a package with an entry point
      }
      const shim = join(this.codeDir, "node_modules", "@aws-sdk", name);
      if (existsSync(shim)) continue;
      mkdirSync(shim, { recursive: true });
      writeFileSync(
        join(shim, "package.json"),
        JSON.stringify({ name: `@aws-sdk/${name}`, exports: { import: "./index.mjs", require: "./index.cjs" }, pipesForwardsTo: dirname(entry) }),
      );
      writeFileSync(join(shim, "index.cjs"), `module.exports = require(${JSON.stringify(entry)});\n`);
      const url = JSON.stringify(pathToFileURL(entry).href);
      writeFileSync(join(shim, "index.mjs"), `export * from ${url};\nexport { default } from ${url};\n`);
    }
  }
}
