// pipes on a terminal that reports no size: a pseudo-terminal nobody sized (`script -qec "pipes …"` in CI, a
// container's pty) says 0 × 0. The spinner must still draw in a bounded way, and the run end as it does elsewhere.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN, FIXTURES, ROOT } from "../helpers/run-pipes.js";

const execFileAsync = promisify(execFile);

/** Runs `pipes` on a pty of the given size, as a person would (not CI); waits up to 20 s for it to end by itself. */
async function onTerminal(args: string[], size: [number, number]) {
  const spec = { command: [process.execPath, BIN, ...args], size, steps: [{ exit: 20 }] };
  const { CI: _ci, GITHUB_ACTIONS: _gha, ...env } = process.env;
  const { stdout } = await execFileAsync("python3", [join(ROOT, "test/helpers/pty-run.py"), JSON.stringify(spec)], {
    env: { ...env, NO_COLOR: "1", PIPES_HISTORY: "0" },
    maxBuffer: 256 << 20,
  });
  return JSON.parse(stdout) as { output: string; exit: number | null };
}

describe("pipes materialize on a terminal", () => {
  it.each([
    ["an unsized one (0 × 0)", [0, 0] as [number, number]],
    ["a sized one (40 × 120)", [40, 120] as [number, number]],
  ])("on %s, ends by itself with its summary and a bounded output", async (_name, size) => {
    const { output, exit } = await onTerminal(["materialize", "-f", join(FIXTURES, "noop/node-only.ts"), "noop"], size);
    // Before the fix: ora counted the lines to clear as width / 0 = Infinity, wrote "clear a line" forever in one
    // synchronous loop (tens of MB a second) and never handled Ctrl-C: the run did not end within the 20 s.
    expect(exit, output.slice(0, 2000)).toBe(0);
    expect(output).toContain("1 materialized");
    expect(output.length).toBeLessThan(20_000);
  });
});

describe("pipes dev on an unsized terminal", () => {
  it("keeps its prompt, runs an asset and quits", async () => {
    const spec = {
      command: [process.execPath, BIN, "dev", "-f", join(FIXTURES, "noop/node-only.ts")],
      size: [0, 0],
      steps: [{ until: "pipes \u203a ", timeout: 20 }, { type: "noop\r" }, { until: "1 materialized", timeout: 20 }, { wait: 0.3 }, { type: "q\r" }, { exit: 20 }],
    };
    const { CI: _ci, GITHUB_ACTIONS: _gha, ...env } = process.env;
    const { stdout } = await execFileAsync("python3", [join(ROOT, "test/helpers/pty-run.py"), JSON.stringify(spec)], { env: { ...env, NO_COLOR: "1", PIPES_HISTORY: "0" } });
    const { output, exit } = JSON.parse(stdout) as { output: string; exit: number | null };
    expect(exit, output.slice(-2000)).toBe(0);
    expect(output).toContain("1 materialized");
    expect(output).toContain("pipes dev stopped.");
  });
});
