import { describe, expect, it } from "vitest";
import { fn, invoke, waitUntil, withEmulator } from "../helpers/emulator.js";

// pipes dev restarts a function when its code changes: the fresh worker is started then, not by the next
// invocation, so that invocation does not wait for a process to start (issue 29 §4).
describe("restart", () => {
  it("starts a fresh worker of a function that ran, and its next invocation takes it, as a cold start", () =>
    withEmulator([fn("sleep", "node/sleep.handler")], async (emulator, lambda) => {
      const first = await invoke(lambda, "sleep");
      emulator.restart("sleep");
      // With no invocation in flight, a worker other than the first is started.
      await waitUntil(() => emulator.workerPids().some((pid) => pid !== first.payload.pid));
      const fresh = emulator.workerPids().filter((pid) => pid !== first.payload.pid);
      expect(fresh).toHaveLength(1);
      const next = await invoke(lambda, "sleep");
      expect(next.payload.pid).toBe(fresh[0]);
      expect(next.log.find((l) => l.startsWith("REPORT"))).toMatch(/Init Duration/);
    }));

  it("starts nothing for a function that has not run", () =>
    withEmulator([fn("sleep", "node/sleep.handler"), fn("other", "node/sleep.handler")], async (emulator, lambda) => {
      await invoke(lambda, "other");
      const before = emulator.workerPids();
      emulator.restart("sleep");
      // The restart of a function that ran is the marker: once its worker is up, the first restart had its turn.
      emulator.restart("other");
      await waitUntil(() => emulator.workerPids().some((pid) => !before.includes(pid)));
      expect(emulator.workerPids()).toHaveLength(1);
    }));
});
