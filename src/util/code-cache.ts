/**
 * require() of one large CommonJS file (the bundled AWS SDK, scripts/build-cli.mjs) with a V8 code cache of its
 * own. Node's compile cache (22.1+) keeps a module's code as compiled before it first runs, so every function
 * compiled lazily while it runs is compiled again at each start, and Node 20 has no such cache at all. Here the
 * cache is written when the process exits, after the run compiled what it needed: loading the SDK and creating a
 * Lambda client took ~56 → ~27 ms on Node 20 and ~53 → ~37 ms on Node 24 (issue 29 §1).
 * The cache lives in the user's cache folder (never a shared temp folder: V8 runs its bytecode as it finds it),
 * one file per Node.js version and bundle; NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's own.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import vm from "node:vm";
import { userCacheDir } from "./user-cache.js";

/** Node's own wrapper of a CommonJS file, so the file sees what require() would give it. */
const WRAP = ["(function (exports, require, module, __filename, __dirname) { ", "\n});"] as const;

export function requireWithCodeCache(file: string, env: NodeJS.ProcessEnv = process.env): unknown {
  const source = readFileSync(file, "utf8");
  const cacheFile = env.NODE_DISABLE_COMPILE_CACHE === "1" ? null : cachePath(file, env);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile);
  } catch {
    // none yet: this run writes it
  }
  const script = new vm.Script(WRAP[0] + source + WRAP[1], {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // The SDK imports a few node: modules with import() (the EC2 metadata client); Node 20.12+ has this constant.
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ?? ((specifier: string) => import(specifier)),
  } as vm.ScriptOptions);
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once("exit", () => writeCache(script, cacheFile));
  const module = new Module(file) as Module & { filename: string; loaded: boolean };
  module.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file));
  module.loaded = true;
  return module.exports;
}

/** One cache file per Node.js version (V8 rejects another's) and per bundle (its path and build). */
function cachePath(file: string, env: NodeJS.ProcessEnv): string {
  const { size, mtimeMs } = statSync(file);
  const key = createHash("sha256").update(`${file}\0${size}\0${mtimeMs}`).digest("hex").slice(0, 16);
  return join(userCacheDir(env), "code-cache", `${process.version}-${process.arch}-${key}.bin`);
}

/** Best effort: a cache that cannot be written only means the next start compiles again. */
function writeCache(script: vm.Script, cacheFile: string): void {
  try {
    mkdirSync(dirname(cacheFile), { recursive: true, mode: 0o700 });
    const partial = `${cacheFile}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, cacheFile); // whole or not at all, when two runs write at once
  } catch {
    // read-only home, full disk: nothing to tell the user
  }
}
