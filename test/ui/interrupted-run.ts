import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Running, startPipes } from "../helpers/run-pipes.js";

/**
 * A run of the project's `slow` asset, stopped with Ctrl-C once its history says the invocation is under way: an
 * interrupted run. The process joins `running` (the test's to clean up); resolves to the run's short id.
 */
export async function interruptedRun(cwd: string, env: Record<string, string>, running: Running[]): Promise<string> {
  const r = startPipes(["materialize", "slow"], { cwd, env });
  running.push(r);
  const [, runId] = await r.waitFor(/run ([0-9a-f]{8})/, 30_000);
  const deadline = Date.now() + 30_000;
  const started = () => readdirSync(join(cwd, ".pipes", "runs")).some((f) => f.includes(runId!) && readFileSync(join(cwd, ".pipes", "runs", f), "utf8").includes('"invocation-start"'));
  while (!started()) {
    if (Date.now() > deadline) throw new Error(`run ${runId} never started its invocation`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  r.child.kill("SIGINT");
  await r.exited;
  return runId!;
}
