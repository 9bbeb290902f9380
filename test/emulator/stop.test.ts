// Stopping the emulator while an invocation runs: it must not wait for the function's timeout.
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { alive, client, fn, waitUntil } from "../helpers/emulator.js";
import { leftAfter } from "../helpers/procs.js";
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
    const started = Date.now();
    const left = await leftAfter(() => emulator.close());
    // "At once": well within the 20 s the invocation would take (the bound is loose for a loaded machine).
    const settled = await Promise.race([call, new Promise((r) => setTimeout(() => r("still waiting"), 10_000))]);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(settled).not.toBe("still waiting");
    // The invocation is ended (and reported), not left to its timer.
    expect(ends).toEqual(["crash"]);
    expect(left).toEqual([]);
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
      await new Promise((r) => setTimeout(r, 500)); // 5,500 lines written after the answer, before the freeze
      const next = await invoke(lambda, "chatter", {}, { LogType: "Tail" });
      const { CloudWatchLogsClient, FilterLogEventsCommand, GetLogEventsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
      const logs = new CloudWatchLogsClient({ endpoint: _emulator.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      const start = (await logs.send(new FilterLogEventsCommand({ logGroupName: "/aws/lambda/chatter", filterPattern: `"START RequestId: ${next.requestId}"` }))).events![0]!;
      const events = (await logs.send(new GetLogEventsCommand({ logGroupName: "/aws/lambda/chatter", logStreamName: start.logStreamName!, startFromHead: true, limit: 10000 }))).events!;
      const messages = events.map((e) => e.message!);
      const startAt = messages.indexOf(start.message!);
      const endAt = messages.indexOf(`END RequestId: ${next.requestId}`);
      const between = messages.slice(startAt + 1, endAt);
      // The output is in this invocation's log, after its START: console lines with this invocation's request id,
      // at most 1,000 of them with what was dropped said, and raw writes as written.
      const ticks = between.filter((m) => m.includes("\tINFO\ttick "));
      expect(ticks).toHaveLength(1000);
      expect(ticks.every((m) => m.split("\t")[1] === next.requestId)).toBe(true);
      // Every raw write is in the log once, in order: those the pipe delivered before the first invocation's END (a
      // loaded machine can) in its log, the rest after this START; none is lost.
      const raw = Array.from({ length: 500 }, (_, i) => `raw ${i}`);
      expect(messages.filter((m) => /^raw \d+$/.test(m))).toEqual(raw);
      const rawBetween = between.filter((m) => /^raw \d+$/.test(m));
      expect(rawBetween).toEqual(raw.slice(raw.length - rawBetween.length));
      expect(between.filter((m) => /^pipes emulator: 4000 more lines written between invocations were dropped/.test(m))).toHaveLength(1);
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

describe("a promise a handler leaves rejected", () => {
  it("fails the invocation it belongs to with Runtime.UnhandledPromiseRejection, and the next one runs on a fresh sandbox", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    await withEmulator([fn("rejects", "node/rejects-late.handler", { concurrency: 1 })], async (_emulator, lambda) => {
      const first = await invoke(lambda, "rejects", { rejectLate: true }, { LogType: "Tail" });
      expect(first.functionError).toBe("Unhandled");
      expect(first.payload).toMatchObject({
        errorType: "Runtime.UnhandledPromiseRejection",
        errorMessage: "Error: late",
        reason: { errorType: "Error", errorMessage: "late" },
        promise: {},
      });
      expect(first.payload.trace[0]).toBe("Runtime.UnhandledPromiseRejection: Error: late");
      expect(first.log.join("\n")).toMatch(/\tERROR\tUnhandled Promise Rejection \t\{"errorType":"Runtime\.UnhandledPromiseRejection"/);
      const second = await invoke(lambda, "rejects", {});
      expect(second.functionError, JSON.stringify(second.payload)).toBeUndefined();
    });
  });
});

describe("an idle sandbox", () => {
  it("is frozen: a timer its handler left runs only during invocations, and uses no CPU in between", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    const { readFileSync } = await import("node:fs");
    const cpuTicks = (pid: number) => {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return Number(fields[11]) + Number(fields[12]); // utime + stime
    };
    await withEmulator([fn("frozen", "node/frozen.handler", { concurrency: 1 })], async (emulator, lambda) => {
      await invoke(lambda, "frozen", {});
      const during = (await invoke(lambda, "frozen", { waitMs: 300 })).payload.ticks;
      expect(during).toBeGreaterThan(10); // the timer runs while an invocation does
      const [pid] = emulator.workerPids();
      const cpuBefore = cpuTicks(pid!);
      await new Promise((r) => setTimeout(r, 1000));
      expect(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[0]).toBe("T"); // stopped
      expect(cpuTicks(pid!) - cpuBefore).toBe(0);
      const after = (await invoke(lambda, "frozen", {})).payload.ticks;
      expect(after - during).toBeLessThan(10); // a second idle at 100 ticks a second would have added ~100
    });
  });

  it("is frozen as a whole: a child its handler left running stops too, even in a session of its own, and dies with it", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    const { readFileSync } = await import("node:fs");
    const state = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[0];
    const children: number[] = [];
    await withEmulator([fn("spawns", "node/spawns.handler", { concurrency: 1 })], async (_emulator, lambda) => {
      for (const detached of [false, true]) children.push((await invoke(lambda, "spawns", { detached })).payload.pid);
      await waitUntil(() => children.every((pid) => state(pid) === "T"), 5000);
    });
    // Reparented to init when the worker went, which reaps them in its own time.
    await waitUntil(() => !children.some(alive), 5000);
  });

  it("writes what its timers log after the next START, with that invocation's request id", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    await withEmulator([fn("frozen", "node/frozen.handler", { concurrency: 1 })], async (_emulator, lambda) => {
      const first = await invoke(lambda, "frozen", { log: true });
      await new Promise((r) => setTimeout(r, 100)); // the 20 ms timer is due while the sandbox is frozen
      const second = await invoke(lambda, "frozen", { waitMs: 50 }, { LogType: "Tail" });
      expect(first.log.join("\n")).not.toContain("from the timer");
      const line = second.log.find((l) => l.includes("from the timer"));
      expect(line).toMatch(new RegExp(`^\\S+\\t${second.requestId}\\tINFO\\tfrom the timer$`));
    });
  });
});

describe("a sandbox that grows after it answered", () => {
  it("is stopped once past its memory, though no invocation runs, and the next invocation gets a fresh one", async () => {
    const { withEmulator, invoke } = await import("../helpers/emulator.js");
    await withEmulator([fn("grows", "node/grows-late.handler", { memoryMb: 128, concurrency: 1 })], async (emulator, lambda) => {
      const first = await invoke(lambda, "grows", { grow: true });
      expect(first.functionError).toBeUndefined();
      // Growing 800 MB a second, it would pass 128 MB within a fraction of a second and reach GBs in 5 s.
      await waitUntil(() => !alive(first.payload.pid), 3000);
      expect(emulator.workerPids()).toEqual([]);
      const second = await invoke(lambda, "grows", {});
      expect(second.functionError).toBeUndefined();
      expect(second.payload.pid).not.toBe(first.payload.pid);
    });
  });
});
