/**
 * The code cache the CLI and the bundled AWS SDK run from (src/util/code-cache.ts), each run a process of its own
 * as bin/pipes.js is: written after the first run, used (not rewritten) by the next, and import() works from code
 * that came from the cache (Node 20 loses vm's import() callback there: the bundles call __imp_ instead).
 */
import { spawnSync } from "node:child_process";
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const LOADER = pathToFileURL(join(ROOT, "dist/util/code-cache.js")).href; // as built (npm run build)

/** Runs `file` through requireWithCodeCache in a fresh node, as bin/pipes.js does; its printed result. */
function run(file: string, cacheHome: string, env: Record<string, string> = {}): string {
  const script = `
    const { requireWithCodeCache } = await import(${JSON.stringify(LOADER)});
    const loaded = requireWithCodeCache(${JSON.stringify(file)}, { variant: "list" });
    console.log(loaded.answer, await loaded.importPath());`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", XDG_CACHE_HOME: cacheHome, NODE_DISABLE_COMPILE_CACHE: "", ...env },
  });
  expect(r.stderr).toBe("");
  return r.stdout.trim();
}

describe("the code cache", () => {
  it("is written by the first run and used by the next, whose import() still works", () => {
    const dir = tempDir("pipes-code-cache-");
    const file = join(dir, "bundle.cjs");
    writeFileSync(file, 'module.exports = { answer: 42, importPath: () => __imp_("node:path").then((m) => typeof m.join) };\n');
    const cacheHome = join(dir, "cache");
    expect(run(file, cacheHome)).toBe("42 function");
    const caches = readdirSync(join(cacheHome, "pipes", "code-cache"));
    expect(caches).toEqual([expect.stringMatching(/^bundle\.cjs-[0-9a-f]+-list-v\d+\.\d+\.\d+-/)]);
    const written = statSync(join(cacheHome, "pipes", "code-cache", caches[0]!)).mtimeMs;
    expect(run(file, cacheHome)).toBe("42 function");
    expect(statSync(join(cacheHome, "pipes", "code-cache", caches[0]!)).mtimeMs).toBe(written); // accepted, not rewritten
  });

  it("NODE_DISABLE_COMPILE_CACHE=1 turns it off", () => {
    const dir = tempDir("pipes-code-cache-");
    const file = join(dir, "bundle.cjs");
    writeFileSync(file, 'module.exports = { answer: 7, importPath: () => __imp_("node:path").then((m) => typeof m.join) };\n');
    expect(run(file, join(dir, "cache"), { NODE_DISABLE_COMPILE_CACHE: "1" })).toBe("7 function");
    expect(() => readdirSync(join(dir, "cache", "pipes", "code-cache"))).toThrow();
  });
});
