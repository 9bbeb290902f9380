// A crash (a bug in pipes) prints its stack for a bug report: the CLI runs from an esbuild bundle, and its frames
// must name the sources (src/…/file.ts:line:column), not dist/cli-bundle/main.cjs.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT } from "../helpers/run-pipes.js";

describe("a crash's stack", () => {
  it("names the source files and lines of the bundled CLI", () => {
    // The bundle users run (bin/pipes.js imports it), in a process of its own (vitest would map the stack itself),
    // with a stdout that fails as a bug would.
    const script = `
      const { requireWithCodeCache } = await import(${JSON.stringify(pathToFileURL(join(ROOT, "dist/cli-bundle/boot.js")).href)});
      const { main } = requireWithCodeCache(${JSON.stringify(join(ROOT, "dist/cli-bundle/main.cjs"))});
      const stdout = { write() { throw new TypeError("simulated: stdout is gone"); } };
      const stderr = { write(text) { process.stdout.write(text); return true; } };
      process.exitCode = await main(["list", "-f", ${JSON.stringify(join(FIXTURES, "orders/defs.ts"))}], { cwd: ${JSON.stringify(ROOT)}, env: { ...process.env, NO_COLOR: "1" }, stdout, stderr, exitCode: 0 });`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain("pipes crashed, which is a bug in pipes");
    expect(r.stdout).toContain("TypeError: simulated: stdout is gone");
    // Before: "at Command.<anonymous> (/…/dist/cli-bundle/main.cjs:11583:21)".
    // (commander is bundled too: esbuild names its class _Command, whose frames map to commander's own files.)
    expect(r.stdout).toMatch(/at _?Command\.<anonymous> \(src\/cli\/list\.ts:\d+:\d+\)/);
    expect(r.stdout).toMatch(/at async main \(src\/cli\/main\.ts:\d+:\d+\)/);
    expect(r.stdout).not.toContain("cli-bundle");
  });
});
