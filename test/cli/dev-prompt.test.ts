import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BIN, copyFixture, ROOT, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const execFileAsync = promisify(execFile);

/** The partitions fixture, whose handler records each call's pipes context in state/calls.ndjson. */
function project(defs?: string) {
  const dir = tempDir("pipes-dev-prompt-");
  copyFixture("partitions", dir);
  if (defs) writeFileSync(join(dir, "defs.ts"), defs);
  const state = tempDir("pipes-dev-state-");
  const calls = () =>
    readFileSync(join(state, "calls.ndjson"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { asset: string; context: { partition_key: string | null; extras: Record<string, unknown> } });
  return { dir, state, calls, env: { PIPES_FIXTURE_STATE: state, PIPES_HISTORY: "0" } };
}

describe("pipes dev's prompt speaks materialize", () => {
  it("takes materialize's flags; a scripted session exits 0, 2 after an invalid command, 1 after a failed run", async () => {
    const p = project();
    const ok = await runPipes(["dev"], { cwd: p.dir, env: p.env, input: "events --partition 2024-01-05\nregions --partition eu --extra n=3 --extra 'note=a b'\nq\n" });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/── run 1 · events --partition 2024-01-05/);
    expect(p.calls().map((c) => [c.asset, c.context.partition_key, c.context.extras])).toEqual([
      ["events", "2024-01-05", {}],
      ["regions", "eu", { n: 3, note: "a b" }],
    ]);

    const invalid = await runPipes(["dev"], { cwd: p.dir, env: p.env, input: "events --partiton 2024-01-05\nevents --partition 2024-01-06\nq\n" });
    expect(invalid.stdout).toMatch(/unknown option '--partiton' \(Did you mean --partition\?/);
    expect(invalid.stdout).toMatch(/✔ 1 materialized/); // the session goes on after it
    expect(invalid.code).toBe(2);
    // r re-runs the last command that ran, not a typo after it (before: r repeated "Unknown asset").
    const rerun = await runPipes(["dev"], { cwd: p.dir, env: p.env, input: "events --partition 2024-01-09\nnope\nr\nq\n" });
    expect(rerun.stdout).toMatch(/── run 2 · events --partition 2024-01-09/);
    expect(rerun.stdout.match(/Unknown asset "nope"/g)).toHaveLength(1);
    const unknown = await runPipes(["dev"], { cwd: p.dir, env: p.env, input: "nope\n" });
    expect(unknown.stdout).toMatch(/Unknown asset "nope"/);
    expect(unknown.code).toBe(2);

    writeFileSync(join(p.state, "fail-events-2024-01-07"), "");
    const failed = await runPipes(["dev"], { cwd: p.dir, env: p.env, input: "events --partition 2024-01-07\nevents --partition 2024-01-08\n" });
    expect(failed.stdout).toMatch(/asked to fail events 2024-01-07/);
    expect(failed.code).toBe(1);
  });

  it("on a terminal: Tab completes, Ctrl-C during a slow run comes back to the prompt and the next command runs; Ctrl-C at the prompt quits", async () => {
    const p = project(`import { defineDefinitions } from "pipes";
const state = process.env.PIPES_FIXTURE_STATE ?? "";
export default defineDefinitions({
  assets: {
    slow: { function: "record", partitions: ["only"], event: { asset: "slow", sleepMs: 5000 } },
    events: { function: "record", partitions: { type: "daily", start: "2024-01-01", end: "2024-01-11" }, event: { asset: "events" } },
  },
  functions: { record: { handler: "./handlers/record.handler", environment: { PIPES_FIXTURE_STATE: state } } },
  profiles: { local: { lambda: { emulator: true } } },
});
`);
    const spec = {
      command: [process.execPath, BIN, "dev"],
      cwd: p.dir,
      steps: [
        { until: "pipes \u203a " },
        { type: "slow\r" },
        { wait: 2.5 }, // the invocation has started (a worker starts in well under a second)
        { mark: "interrupt" },
        { type: "\u0003" },
        { until: "back at the prompt", timeout: 8 },
        { mark: "prompt" },
        { type: "ev" },
        { wait: 0.3 },
        { type: "\t" },
        { wait: 0.3 },
        { type: " --partition 2024-01-0" },
        { wait: 0.3 },
        { type: "\t" },
        { wait: 0.3 },
        { type: "\t" },
        { wait: 0.5 },
        { type: "9\r" },
        { until: "1 materialized", timeout: 8 },
        { wait: 0.5 },
        { type: "\u0003" },
        { until: "pipes dev stopped.", timeout: 8 },
        { exit: 10 },
      ],
    };
    const { CI: _ci, GITHUB_ACTIONS: _gha, ...env } = process.env;
    const { stdout } = await execFileAsync("python3", [join(ROOT, "test/helpers/pty-run.py"), JSON.stringify(spec)], { env: { ...env, ...p.env, NO_COLOR: "1" }, cwd: p.dir, maxBuffer: 64 << 20 });
    const { output, marks, exit } = JSON.parse(stdout) as { output: string; marks: Record<string, number>; exit: number | null };
    expect(output).toContain("⊘ interrupting the run");
    // Back at the prompt well before the 5 s handler would have ended (the bound is loose for a loaded machine).
    expect(marks.prompt! - marks.interrupt!).toBeLessThan(3);
    expect(output).toMatch(/slow +interrupted|interrupted/);
    // Tab completed the asset name and listed the partition keys
    expect(output).toMatch(/pipes › events --partition 2024-01-0/);
    expect(output).toMatch(/2024-01-01 +2024-01-02/);
    expect(p.calls().map((c) => [c.asset, c.context.partition_key])).toEqual([
      ["slow", "only"],
      ["events", "2024-01-09"],
    ]);
    expect(exit).toBe(0);
  });
});
