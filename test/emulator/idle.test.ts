// Idle sandboxes are bounded across functions (least recently used first) and reaped after an idle time, as
// Lambda reclaims idle execution environments; counted in the OS process table, not the emulator's own list.
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { REAPER_MARK } from "../../src/emulator/reaper.js";
import { alive, client, fn, invoke, waitUntil } from "../helpers/emulator.js";
import { descendants, leftAfter } from "../helpers/procs.js";

/** This test process's workers: its children other than the reaper. */
const workers = () => descendants(process.pid).filter((p) => !p.command.includes(REAPER_MARK) && p.state !== "Z");

async function withLimits(env: Record<string, string>, count: number, body: (lambda: ReturnType<typeof client>) => Promise<void>) {
  const functions = Array.from({ length: count }, (_, i) => fn(`f${i}`, "node/sleep.handler", { concurrency: 1 }));
  const emulator = await startEmulator({ functions, hostEnv: { ...process.env, ...env } });
  const lambda = client(emulator);
  try {
    await body(lambda);
  } finally {
    lambda.destroy();
    expect(await leftAfter(() => emulator.close())).toEqual([]);
  }
}

describe("idle sandboxes", () => {
  it("are at most PIPES_MAX_IDLE_SANDBOXES across functions: the least recently used goes first, and comes back cold", async () => {
    await withLimits({ PIPES_MAX_IDLE_SANDBOXES: "2" }, 5, async (lambda) => {
      const pids: number[] = [];
      for (let i = 0; i < 5; i++) pids.push((await invoke(lambda, `f${i}`)).payload.pid);
      // The two used last are the ones kept.
      await waitUntil(() => workers().length <= 2 && !pids.slice(0, 3).some(alive), 10_000);
      expect(pids.slice(3).every(alive)).toBe(true);
      const again = await invoke(lambda, "f0");
      expect(again.functionError).toBeUndefined();
      expect(again.log.join("\n")).toContain("Init Duration"); // a cold start
      expect((await invoke(lambda, "f4")).payload.pid).toBe(pids[4]); // still warm
    });
  });

  it("a bad PIPES_MAX_IDLE_SANDBOXES is named in a warning and the default used", async () => {
    const emulator = await startEmulator({ functions: [fn("f0", "node/sleep.handler")], hostEnv: { ...process.env, PIPES_MAX_IDLE_SANDBOXES: "lots" } });
    const warnings: string[] = [];
    emulator.events.on("warning", ({ message }) => warnings.push(message));
    const lambda = client(emulator);
    try {
      expect((await invoke(lambda, "f0")).functionError).toBeUndefined();
      expect(warnings).toEqual(["PIPES_MAX_IDLE_SANDBOXES=lots is not a whole number of at least 0; using 32"]);
    } finally {
      lambda.destroy();
      await emulator.close();
    }
  });

  it("are stopped after PIPES_IDLE_SANDBOX_SECONDS without an invocation", async () => {
    await withLimits({ PIPES_IDLE_SANDBOX_SECONDS: "1" }, 3, async (lambda) => {
      for (let i = 0; i < 3; i++) await invoke(lambda, `f${i}`);
      expect(workers().length).toBeGreaterThanOrEqual(1);
      await waitUntil(() => workers().length === 0, 10_000);
      expect((await invoke(lambda, "f1")).functionError).toBeUndefined();
    });
  });
});
