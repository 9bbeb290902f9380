// Stopping the emulator while an invocation runs: it must not wait for the function's timeout.
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { alive, client, fn, waitUntil } from "../helpers/emulator.js";
import { InvokeCommand } from "@aws-sdk/client-lambda";

describe("stopping", () => {
  it("close() during a 30 s invocation ends it at once: no wait for the timeout, no worker left", async () => {
    const emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler", { timeoutSeconds: 30 })] });
    const lambda = client(emulator, 1);
    const ends: string[] = [];
    emulator.events.on("invocation-end", (end) => ends.push(end.status));
    const call = lambda.send(new InvokeCommand({ FunctionName: "sleep", Payload: Buffer.from('{"ms": 20000}') })).then(
      () => "answered",
      () => "failed",
    );
    await waitUntil(() => emulator.workerPids().length === 1);
    await new Promise((r) => setTimeout(r, 200));
    const pids = emulator.workerPids();
    const started = Date.now();
    await emulator.close();
    const settled = await Promise.race([call, new Promise((r) => setTimeout(() => r("still waiting"), 2000))]);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(settled).not.toBe("still waiting");
    // The invocation is ended (and reported), not left to its timer.
    expect(ends).toEqual(["crash"]);
    expect(pids.filter(alive)).toEqual([]);
    lambda.destroy();
  });
});

describe("a worker wedged between invocations", () => {
  it("the next invocation still ends within its timeout (Sandbox.Timedout), and the one after runs on a fresh worker", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    await withEmulator([fn("wedge", "node/wedge.handler", { timeoutSeconds: 1, concurrency: 1 })], async (_emulator, lambda) => {
      const first = await invoke(lambda, "wedge", { wedge: true });
      expect(first.functionError).toBeUndefined();
      const second = await Promise.race([invoke(lambda, "wedge", {}), new Promise<"no answer">((r) => setTimeout(() => r("no answer"), 5000))]);
      expect(second).not.toBe("no answer");
      if (second === "no answer") return;
      expect(second.payload.errorType).toBe("Sandbox.Timedout");
      expect(second.payload.errorMessage).toMatch(/Task timed out after 1\.00 seconds/);
      const third = await invoke(lambda, "wedge", {});
      expect(third.functionError).toBeUndefined();
      expect(third.payload.pid).not.toBe(first.payload.pid);
    });
  });
});

describe("leftovers of a killed run", () => {
  it("a start removes the code folders of emulators whose process is gone, and keeps those of live ones", async () => {
    const { mkdirSync, writeFileSync, existsSync } = await import("node:fs");
    const { spawnSync } = await import("node:child_process");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid!; // exited: its pid is free
    const abandoned = join(tmpdir(), `pipes-emulator-test-dead-${process.pid}`);
    const inUse = join(tmpdir(), `pipes-emulator-test-live-${process.pid}`);
    for (const [dir, pid] of [[abandoned, dead], [inUse, process.pid]] as const) {
      mkdirSync(join(dir, "fn-1"), { recursive: true });
      writeFileSync(join(dir, "owner.pid"), String(pid));
    }
    const emulator = await startEmulator({});
    await emulator.close();
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(inUse)).toBe(true);
    (await import("node:fs")).rmSync(inUse, { recursive: true, force: true });
  });
});

describe("output between invocations", () => {
  it("appears after the next START line, and an idle worker's output is bounded", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    await withEmulator([fn("chatter", "node/chatter.handler", { concurrency: 1 })], async (_emulator, lambda) => {
      await invoke(lambda, "chatter", { chatter: true });
      await new Promise((r) => setTimeout(r, 500)); // about 10,000 lines written while idle
      const next = await invoke(lambda, "chatter", {}, { LogType: "Tail" });
      const { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
      const logs = new CloudWatchLogsClient({ endpoint: _emulator.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      const start = (await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/chatter", filterPattern: `"START RequestId: ${next.requestId}"` }))).events![0]!;
      const events = (await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/chatter", logStreamName: start.logStreamName!, startFromHead: true, limit: 10000 }))).events!;
      const messages = events.map((e) => e.message!);
      const startAt = messages.indexOf(start.message!);
      const endAt = messages.indexOf(`END RequestId: ${next.requestId}`);
      const between = messages.slice(startAt + 1, endAt);
      // The idle output is in this invocation's log, after its START, bounded, with what was dropped said.
      expect(between.filter((m) => m.includes("tick ")).length).toBeGreaterThanOrEqual(1000);
      expect(between.filter((m) => m.includes("tick ")).length).toBeLessThanOrEqual(1200);
      expect(between.some((m) => /pipes emulator: \d+ more lines written between invocations were dropped/.test(m))).toBe(true);
      // Nothing written while idle sits between the previous invocation's REPORT and this START.
      const previousReport = messages.findLastIndex((m, i) => i < startAt && m.startsWith("REPORT "));
      expect(messages.slice(previousReport + 1, startAt)).toEqual([]);
      logs.destroy();
    });
  });
});

describe("a sandbox that dies while idle", () => {
  it("does not take the next invocation down with it: a fresh sandbox runs it", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    await withEmulator([fn("late", "node/dies-late.handler", { concurrency: 1 })], async (_emulator, lambda) => {
      const first = await invoke(lambda, "late", { dieLate: true });
      expect(first.functionError).toBeUndefined();
      await new Promise((r) => setTimeout(r, 50)); // the worker is idle, busy on its own, about to exit
      const second = await invoke(lambda, "late", {});
      expect(second.functionError, JSON.stringify(second.payload)).toBeUndefined();
      expect(second.payload.pid).not.toBe(first.payload.pid);
    });
  });
});
