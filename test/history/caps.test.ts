// The history's caps (100 runs / 200 MB, and a run file's own cap while it is written), and what they never do:
// prune a run in progress.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, runPipes, tempProject } from "../helpers/run-pipes.js";

const HISTORY = { PIPES_HISTORY: "1" };
const folders: string[] = [];
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project with a quick asset, a chatty one and one that waits for a file `go` (at most 60 s). */
function project(): { dir: string; runs: string } {
  const dir = tempProject({
    "defs.ts": `export default {
      assets: { quick: { function: "quick" }, chatty: { function: "chatty" }, slow: { function: "slow" } },
      functions: {
        quick: { handler: "./quick.handler" },
        chatty: { handler: "./chatty.handler" },
        slow: { handler: "./slow.handler", environment: { GO: (process.env.PIPES_TEST_DIR ?? ".") + "/go" }, timeout: 90 },
      },
    };\n`,
    "quick.mjs": "export const handler = async () => null;\n",
    "chatty.mjs": `export const handler = async () => { for (let i = 0; i < 4000; i++) console.log("line " + i + " " + "x".repeat(200)); return null; };\n`,
    "slow.mjs": `import { existsSync } from "node:fs";
      export const handler = async () => {
        for (let i = 0; i < 600 && !existsSync(process.env.GO); i++) await new Promise((r) => setTimeout(r, 100));
        return null;
      };\n`,
  });
  folders.push(dir);
  const runs = join(dir, ".pipes", "runs");
  mkdirSync(runs, { recursive: true });
  return { dir, runs };
}

/** A recorded run of one step, as far as readers need, named to sort at `stamp`. */
function fakeRun(runs: string, stamp: string, id: string): string {
  const name = `${stamp}-${id}.ndjson`;
  const start = { type: "run-start", runId: id, startedAt: "2000-01-01T00:00:00.000Z", file: "defs.ts", profile: "local", target: "emulator", assets: ["quick"], partition: null, steps: 1, stepsPerAsset: { quick: 1 }, extras: {} };
  writeFileSync(join(runs, name), `${JSON.stringify(start)}\n`);
  return name;
}

const ndjson = (runs: string) => readdirSync(runs).filter((f) => f.endsWith(".ndjson"));
const stamp = (year: number, i: number) => `${year}0101T000000.${String(i).padStart(3, "0")}Z`;

describe("history caps", () => {
  it("keeps 100 runs: a run started beside 100 others removes the oldest", async () => {
    const { dir, runs } = project();
    for (let i = 0; i < 100; i++) fakeRun(runs, stamp(2000, i), `fake${String(i).padStart(4, "0")}`);
    const run = await runPipes(["materialize", "quick"], { cwd: dir, env: HISTORY });
    expect(run.code, run.stderr).toBe(0);
    const kept = ndjson(runs);
    expect(kept).toHaveLength(100);
    expect(kept).not.toContain(`${stamp(2000, 0)}-fake0000.ndjson`);
    expect(kept).toContain(`${stamp(2000, 1)}-fake0001.ndjson`);
  }, 60_000);

  it("keeps 200 MB: of two older runs of 120 MB, the older is removed", async () => {
    const { dir, runs } = project();
    // Sparse files: their size is what pruning counts, nothing is written.
    const older = fakeRun(runs, stamp(2000, 0), "older");
    const newer = fakeRun(runs, stamp(2000, 1), "newer");
    truncateSync(join(runs, older), 120 * 1024 * 1024);
    truncateSync(join(runs, newer), 120 * 1024 * 1024);
    const run = await runPipes(["materialize", "quick"], { cwd: dir, env: HISTORY });
    expect(run.code, run.stderr).toBe(0);
    expect(ndjson(runs)).not.toContain(older);
    expect(ndjson(runs)).toContain(newer);
  }, 60_000);

  it("a chatty run's file stops growing at its cap: its steps are still recorded, a note says what was left out", async () => {
    const { dir, runs } = project();
    const env = { ...HISTORY, PIPES_HISTORY_MAX_MB: "0.4" }; // a run file's cap: 100 KB; the run logs 800 KB
    const run = await runPipes(["materialize", "chatty"], { cwd: dir, env });
    expect(run.code, run.stderr).toBe(0);
    const [file] = ndjson(runs);
    expect(statSync(join(runs, file!)).size).toBeLessThan(110 * 1024);
    const listed = await runPipes(["runs", "--json"], { cwd: dir, env });
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout).runs[0]).toMatchObject({ outcome: "ok", counts: { materialized: 1 } });
    const logs = await runPipes(["logs", "last"], { cwd: dir, env });
    expect(logs.code, logs.stderr).toBe(0);
    expect(logs.stderr).toBe("");
    expect(logs.stdout).toMatch(/this run's history reached 102 KB: its later log lines, output and custom messages are not recorded/);
    expect(logs.stdout).toMatch(/✔ 1 materialized/);
  }, 60_000);

  it("never prunes a run in progress, nor one younger than it; a killed run's marker is stale and goes", async () => {
    const { dir, runs } = project();
    const env = { ...process.env, ...HISTORY, NO_COLOR: "1", PIPES_TEST_DIR: dir };
    const slow = spawn(process.execPath, [BIN, "materialize", "slow"], { cwd: dir, env, stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => slow.on("exit", resolve));
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && ndjson(runs).length === 0) await new Promise((r) => setTimeout(r, 50));
      const [slowFile] = ndjson(runs);
      expect(slowFile).toBeDefined();
      // 100 quick runs after it (as files: they are newer), then one more: the slow run would be the one to go.
      for (let i = 0; i < 100; i++) fakeRun(runs, stamp(2099, i), `later${String(i).padStart(4, "0")}`);
      const quick = await runPipes(["materialize", "quick"], { cwd: dir, env: HISTORY });
      expect(quick.code, quick.stderr).toBe(0);
      expect(ndjson(runs)).toContain(slowFile);
      expect(ndjson(runs)).toHaveLength(102);

      writeFileSync(join(dir, "go"), "");
      expect(await exited).toBe(0);
      const logs = await runPipes(["logs", slowFile!.replace(/^[^-]+-/, "").slice(0, 8)], { cwd: dir, env: HISTORY });
      expect(logs.code, logs.stderr).toBe(0);
      expect(logs.stdout).toMatch(/✔ 1 materialized/);
      expect(readdirSync(runs).filter((f) => f.endsWith(".running"))).toEqual([]);
    } finally {
      slow.kill("SIGKILL");
    }

    // A run killed with SIGKILL leaves its marker: its process is gone, so it protects nothing.
    // `go` goes first: were it still there, the run could end by itself before the kill (a loaded machine polls
    // late), and an exit listener added after the exit would wait forever.
    rmSync(join(dir, "go"));
    const killed = spawn(process.execPath, [BIN, "materialize", "slow"], { cwd: dir, env, stdio: "ignore" });
    const killedExit = new Promise((resolve) => killed.on("exit", resolve));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !readdirSync(runs).some((f) => f.endsWith(".running"))) await new Promise((r) => setTimeout(r, 50));
    expect(killed.exitCode, "the run to kill ended by itself").toBeNull();
    killed.kill("SIGKILL");
    await killedExit;
    writeFileSync(join(dir, "go"), ""); // a handler its emulator left behind ends too
    await new Promise((r) => setTimeout(r, 500));
    const marker = readdirSync(runs).find((f) => f.endsWith(".running"))!;
    expect(JSON.parse(readFileSync(join(runs, marker), "utf8")).pid).toBe(killed.pid);
    const after = await runPipes(["materialize", "quick"], { cwd: dir, env: HISTORY });
    expect(after.code, after.stderr).toBe(0);
    expect(existsSync(join(runs, marker))).toBe(false);
    // The killed run, and the runs before it, are older than the run that starts: over the cap, they go.
    expect(ndjson(runs)).toHaveLength(101);
  }, 120_000);
});
