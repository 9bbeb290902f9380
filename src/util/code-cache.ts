/**
 * require() of one large CommonJS file (the bundled CLI and the bundled AWS SDK, scripts/build-cli.mjs) with a V8
 * code cache of its own. Node's compile cache (22.1+) keeps a module's code as compiled before it first runs, so
 * every function compiled lazily while it runs is compiled again at each start, and Node 20 has no such cache at
 * all. Here the cache is written when the process exits, after the run compiled what it needed: loading the SDK
 * and creating a Lambda client took ~56 → ~27 ms on Node 20 and ~53 → ~37 ms on Node 24 (issue 29 §1).
 * The cache lives in the user's cache folder (never a shared temp folder: V8 runs its bytecode as it finds it),
 * one file per bundle, `variant` (the command: each compiles other functions), Node.js version and build; a new
 * build's file replaces the old one's. NODE_DISABLE_COMPILE_CACHE=1 turns it off, as it does Node's own.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import vm from "node:vm";
import { userCacheDir } from "./user-cache.js";

/**
 * Node's own wrapper of a CommonJS file, so the file sees what require() would give it, and `__imp_`: the build
 * rewrote each import() of the file to it (same length, so its source map holds). Node 20 loses a compiled
 * script's import() callback when the script comes from cached data (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and
 * its USE_MAIN_CONTEXT_DEFAULT_LOADER is experimental, with a warning; this function is an ES module's own import().
 */
const WRAP = ["(function (exports, require, module, __filename, __dirname, __imp_) { ", "\n});"] as const;
const importer = (specifier: string): Promise<unknown> => import(specifier);

export function requireWithCodeCache(file: string, options: { variant?: string; env?: NodeJS.ProcessEnv } = {}): unknown {
  const env = options.env ?? process.env;
  const source = readFileSync(file, "utf8");
  const cacheFile = env.NODE_DISABLE_COMPILE_CACHE === "1" ? null : cachePath(file, options.variant ?? "", env);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = readFileSync(cacheFile.path);
  } catch {
    // none yet: this run writes it
  }
  const script = new vm.Script(WRAP[0] + source + WRAP[1], { filename: file, ...(cachedData ? { cachedData } : {}) });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) process.once("exit", () => writeCache(script, cacheFile));
  const module = new Module(file) as Module & { filename: string; loaded: boolean };
  module.filename = file;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, dirname(file), importer);
  module.loaded = true;
  return module.exports;
}

/** Caches kept at most: ~0.2–1.1 MB each, one per bundle × command × Node.js version × install. */
const MAX_FILES = 200;

interface CacheFile {
  path: string;
  /** The name's part shared by every build of this bundle, variant and Node.js version (V8 rejects another's). */
  prefix: string;
}

function cachePath(file: string, variant: string, env: NodeJS.ProcessEnv): CacheFile {
  const { size, mtimeMs } = statSync(file);
  const place = createHash("sha256").update(file).digest("hex").slice(0, 12);
  const build = createHash("sha256").update(`${size}\0${mtimeMs}`).digest("hex").slice(0, 12);
  const safeVariant = /^[a-z][a-z-]{0,30}$/.test(variant) ? variant : "other";
  const prefix = `${basename(file)}-${place}-${safeVariant}-${process.version}-${process.arch}-`;
  return { path: join(userCacheDir(env), "code-cache", `${prefix}${build}.bin`), prefix };
}

/** Best effort: a cache that cannot be written only means the next start compiles again. */
function writeCache(script: vm.Script, { path, prefix }: CacheFile): void {
  try {
    const dir = dirname(path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const present = readdirSync(dir);
    for (const old of present) if (old.startsWith(prefix) && old !== basename(path)) rmSync(join(dir, old), { force: true });
    if (present.length >= MAX_FILES) return; // every mistyped command is a variant: the folder stays bounded
    const partial = `${path}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData());
    renameSync(partial, path); // whole or not at all, when two runs write at once
  } catch {
    // read-only home, full disk: nothing to tell the user
  }
}
