// Ctrl-C while an invocation runs: the run ends within a couple of seconds, the asset is reported as
// interrupted (not as a service error), and no worker process is left.
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { alive, waitUntil, workerPids } from "../helpers/emulator.js";
import { FIXTURES, startPipes, tempProject, type Running } from "../helpers/run-pipes.js";

const LOGS = join(FIXTURES, "logs/defs.ts");
let running: Running | undefined;
afterEach(() => {
  running?.child.kill("SIGKILL");
  running = undefined;
});

/** Waits until the busy function's worker runs (its invocation is in flight), then a moment more. */
async function inFlight(pipes: Running): Promise<number[]> {
  await waitUntil(() => workerPids(pipes.child.pid!).length > 0, 20_000);
  await new Promise((r) => setTimeout(r, 500));
  return workerPids(pipes.child.pid!);
}

describe("Ctrl-C during a run", () => {
  it("a backfill: its last progress line counts the steps as interrupted, none still running", async () => {
    const dir = tempProject({
      "defs.ts": `export default { assets: { wide: { function: "wait", partitions: ["p1", "p2", "p3", "p4", "p5", "p6"] } }, functions: { wait: { handler: "./wait.handler", timeout: 60 } } };\n`,
      "wait.mjs": "export const handler = async () => { await new Promise((r) => setTimeout(r, 30_000)); return null; };\n",
    });
    running = startPipes(["materialize", "wide", "--all-partitions", "--concurrency", "6"], { cwd: dir });
    await waitUntil(() => workerPids(running!.child.pid!).length === 6, 30_000);
    running.child.kill("SIGINT");
    const { code } = await running.exited;
    expect(code).toBe(130);
    const lines = running.output().split("\n").filter((l) => l.includes("wide "));
    expect(lines.at(-1)).toMatch(/6\/6 .*6 interrupted/);
    expect(lines.at(-1)).not.toMatch(/running/);
    // Its bar and mark say stopped, not done: before, the bar was 20 full cells and the mark a ✖ as for a failure.
    expect(lines.at(-1)).toMatch(/^⊘ wide +▒{20} /);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it("pipes materialize: exit 130 at once, the assets reported as interrupted, no worker left", async () => {
    running = startPipes(["materialize", "-f", LOGS, "busy", "slow"]);
    const workers = await inFlight(running);
    const sent = Date.now();
    running.child.kill("SIGINT");
    const { code } = await running.exited;
    expect(Date.now() - sent).toBeLessThan(8_000); // at once: the functions had 10 s or more to run (loose for a loaded machine)
    expect(code).toBe(130);
    const out = running.output();
    expect(out).toMatch(/⊘ busy\n {2}interrupted: the run was stopped before it ended/);
    expect(out).toMatch(/✖ 2 interrupted \((busy, slow|slow, busy)\)/);
    expect(out).not.toMatch(/service error|ECONNREFUSED|socket hang up/);
    await waitUntil(() => workers.every((pid) => !alive(pid)), 3000);
  });

  it("pipes dev: the run is interrupted, the session ends cleanly at once, no prompt after it, no worker left", async () => {
    running = startPipes(["dev", "-f", LOGS]);
    await running.waitFor(/watching/);
    running.child.stdin.write("busy\n");
    const workers = await inFlight(running);
    const mark = running.output().length;
    const sent = Date.now();
    running.child.kill("SIGINT");
    const { code } = await running.exited;
    expect(Date.now() - sent).toBeLessThan(8_000); // at once: the functions had 10 s or more to run (loose for a loaded machine)
    expect(code).toBe(0);
    const after = running.output().slice(mark);
    expect(after).toMatch(/⊘ busy\n {2}interrupted/);
    expect(after).toMatch(/pipes dev stopped\.\n$/);
    expect(after).not.toMatch(/service error|ECONNREFUSED|── run 2/);
    await waitUntil(() => workers.every((pid) => !alive(pid)), 3000);
  });
});

describe("SIGTERM during a run", () => {
  it("pipes materialize: SIGTERM stops it as Ctrl-C does: exit 130, interrupted, no worker process left (/proc)", async () => {
    running = startPipes(["materialize", "-f", LOGS, "busy"]);
    const workers = await inFlight(running);
    running.child.kill("SIGTERM");
    const exit = await running.exited;
    expect(exit).toEqual({ code: 130, signal: null });
    expect(running.output()).toMatch(/⊘ busy\n {2}interrupted/);
    await waitUntil(() => workers.every((pid) => !existsSync(`/proc/${pid}`)), 5000);
  });
});
