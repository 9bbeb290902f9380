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
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
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

  /**
   * `codeDir` is the emulator's own folder: uploads live there already, task roots go in `codeDir/tasks`.
   * `sharedDir`: where the SDK's forwarding packages are kept for every emulator (see provideSdk).
   */
  constructor(
    private readonly codeDir: string,
    private readonly sharedDir?: string,
  ) {}

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

  /**
   * `codeDir/node_modules/@aws-sdk`: one forwarding package per installed @aws-sdk package. They are the same for
   * every emulator of this install, so they are written once into `sharedDir` (the user's cache) and each
   * emulator links to them: ~18 packages × 3 files written before the first worker could start cost ~10 ms of a
   * cold `pipes materialize` (issue 29 §1). Without a usable `sharedDir`, they are written into codeDir.
   */
  private provideSdk(): void {
    if (this.sdkReady) return;
    this.sdkReady = true;
    const scope = runtimeSdkScope();
    if (!scope) return;
    const names = readdirSync(scope).sort();
    const modules = join(this.codeDir, "node_modules");
    if (existsSync(join(modules, "@aws-sdk"))) return;
    mkdirSync(modules, { recursive: true });
    const shared = this.sharedDir && sharedForwarders(this.sharedDir, scope, names);
    if (shared) symlinkSync(join(shared, "@aws-sdk"), join(modules, "@aws-sdk"));
    else writeForwarders(join(modules, "@aws-sdk"), scope, names);
  }
}

/**
 * The forwarders of `scope`'s packages under `root/<key>/@aws-sdk`, written there first if need be (whole, by a
 * rename, when two emulators start at once); the key changes with the install's place, packages and versions.
 * Undefined when they cannot be written.
 */
function sharedForwarders(root: string, scope: string, names: string[]): string | undefined {
  const versions = names.map((name) => {
    try {
      return `${name}@${statSync(join(scope, name, "package.json")).mtimeMs}`;
    } catch {
      return name;
    }
  });
  const dir = join(root, createHash("sha256").update(`${scope}\0${versions.join("\0")}`).digest("hex").slice(0, 16));
  if (existsSync(dir)) return dir;
  const partial = `${dir}.${process.pid}.tmp`;
  try {
    writeForwarders(join(partial, "@aws-sdk"), scope, names);
    renameSync(partial, dir);
    return dir;
  } catch {
    rmSync(partial, { recursive: true, force: true });
    return existsSync(dir) ? dir : undefined; // another emulator's rename won
  }
}

/** `dir/<name>`: a package that points at `scope/<name>`, so its own dependencies resolve where it is installed. */
function writeForwarders(dir: string, scope: string, names: string[]): void {
  for (const name of names) {
    const real = join(scope, name);
    let entry: string;
    try {
      entry = requireCjs.resolve(real);
    } catch {
      continue; // not a package with an entry point
    }
    const shim = join(dir, name);
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
