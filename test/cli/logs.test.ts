// The CloudWatch Logs channel end to end: whole logs past the 4 KB tail, live lines, unbuffered messages
// that survive a timeout, and a clear fallback when the logs cannot be read.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/run/events.js";
import { FIXTURES, runPipes, startPipes } from "../helpers/run-pipes.js";

const LOGS = join(FIXTURES, "logs/defs.ts");

async function events(args: string[], env: Record<string, string> = {}) {
  const r = await runPipes(["materialize", "-f", LOGS, ...args, "--json"], { env });
  const list = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
  return { code: r.code, events: list, stderr: r.stderr };
}
const ofType = <T extends RunEvent["type"]>(list: RunEvent[], type: T) => list.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

describe("messages past the 4 KB tail, read whole from CloudWatch Logs", () => {
  it("a Node function with our library: all 2,000 logs and the materialization with its metadata", async () => {
    const { code, events: list, stderr } = await events(["many"]);
    expect(code, stderr).toBe(0);
    const logs = ofType(list, "log");
    expect(logs).toHaveLength(2000);
    expect(logs.map((l) => l.message.split(" ")[1])).toEqual(Array.from({ length: 2000 }, (_, i) => String(i + 1)));
    const [m] = ofType(list, "materialization");
    expect(m).toMatchObject({ asset: "many", dataVersion: "v2000", implicit: false });
    expect(m!.metadata).toMatchObject({ steps: { type: "int", value: 2000 }, ratio: { type: "float", value: 0.5 } });
    expect(ofType(list, "warning")).toEqual([]);
    expect(ofType(list, "note").map((n) => n.message)).toEqual([expect.stringContaining("every message was read from CloudWatch Logs (/aws/lambda/many)")]);
  });

  it("a Python function writing the protocol lines itself, NaN and 3.0 included", async () => {
    const r = await runPipes(["materialize", "-f", LOGS, "many_py", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const list = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
    expect(ofType(list, "log")).toHaveLength(2000);
    expect(r.stdout).toContain('"mean":{"type":"float","value":"NaN","inferred":true}');
    expect(r.stdout).toContain('"whole":{"type":"float","value":3.0,"inferred":true}');
    expect(ofType(list, "materialization")[0]).toMatchObject({ dataVersion: "py2000", implicit: false });
  });

  it("the text view shows every line too, with the note", async () => {
    const r = await runPipes(["materialize", "-f", LOGS, "many_py"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("INFO     py step 1 of 2000");
    expect(r.stdout).toContain("INFO     py step 2000 of 2000");
    expect(r.stdout).toMatch(/mean +nan +\(float, inferred\)/);
    expect(r.stdout).toMatch(/whole +3\.0 +\(float, inferred\)/);
    expect(r.stdout).toContain("ℹ many_py: the log was longer than the 4,096 bytes Invoke returns");
  });
});

describe("unbuffered messages and live lines", () => {
  it("a function that times out after logging: its messages still show, then the timeout", async () => {
    const { code, events: list } = await events(["timeout"]);
    expect(code).toBe(1);
    expect(ofType(list, "log").map((l) => l.message)).toEqual(["started the long part"]);
    expect(ofType(list, "custom-message").map((c) => c.payload)).toEqual([{ progress: 0.5 }]);
    expect(ofType(list, "error")[0]).toMatchObject({ source: "function", errorType: "Sandbox.Timedout" });
    // With Dagster's buffered event nothing was written before the timeout: that is what the default fixes.
    const buffered = await events(["timeout", "--profile", "buffered"]);
    expect(ofType(buffered.events, "log")).toEqual([]);
  });

  it("--json: the first line of a long invocation arrives at least 1 s before run-end", async () => {
    const running = startPipes(["materialize", "-f", LOGS, "slow", "--json"]);
    const seen: Array<{ at: number; event: RunEvent }> = [];
    let buffer = "";
    running.child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      for (let nl = buffer.indexOf("\n"); nl >= 0; nl = buffer.indexOf("\n")) {
        seen.push({ at: Date.now(), event: JSON.parse(buffer.slice(0, nl)) as RunEvent });
        buffer = buffer.slice(nl + 1);
      }
    });
    const { code } = await running.exited;
    expect(code, running.output()).toBe(0);
    const at = (pred: (e: RunEvent) => boolean) => seen.find((s) => pred(s.event))?.at ?? Number.NaN;
    const first = at((e) => e.type === "log" && e.message === "first, before the sleep");
    const end = at((e) => e.type === "run-end");
    expect(end - first).toBeGreaterThanOrEqual(1000);
    // Each line once, in order, plain output included.
    const lines = seen.flatMap((s) => (s.event.type === "log" ? [s.event.message] : s.event.type === "output" ? [s.event.text] : []));
    expect(lines).toEqual(["first, before the sleep", "plain output before the sleep", "second, after the sleep"]);
    // Live lines come before the invocation ends.
    expect(first).toBeLessThan(at((e) => e.type === "invocation-end"));
  });
});

describe("when the logs cannot be read", () => {
  let emulator: ReturnType<typeof startPipes> | undefined;
  let denier: Server | undefined;
  afterAll(async () => {
    emulator?.child.kill("SIGINT");
    await emulator?.exited;
    await new Promise((r) => (denier ? denier.close(r) : r(undefined)));
  });

  it("falls back to the tail with a warning naming the cause and the missing permission, never a crash or hang", async () => {
    emulator = startPipes(["emulator", "-f", LOGS, "--port", "0"]);
    const url = (await emulator.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
    // What AWS answers a role without logs:FilterLogEvents (AWS itself cannot run here).
    denier = createServer((req, res) => {
      req.resume();
      const body = JSON.stringify({ __type: "AccessDeniedException", message: "User is not authorized to perform: logs:FilterLogEvents" });
      res.writeHead(400, { "Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": "AccessDeniedException" }).end(body);
    });
    await new Promise<void>((r) => denier!.listen(0, "127.0.0.1", r));
    const logsUrl = `http://127.0.0.1:${(denier.address() as AddressInfo).port}`;
    const started = Date.now();
    const denied = await events(["many", "--profile", "logs_elsewhere"], { PIPES_EMULATOR_URL: url, PIPES_LOGS_URL: logsUrl });
    expect(denied.code).toBe(0);
    const [warning] = ofType(denied.events, "warning");
    expect(warning!.message).toMatch(/could not be read from CloudWatch Logs \(reading \/aws\/lambda\/many was refused \(AccessDeniedException\); allow logs:FilterLogEvents and logs:GetLogEvents on \/aws\/lambda\/many\)/);
    expect(warning!.message).toContain("earlier pipes messages were lost");
    // The tail's messages are still shown: the last logs and the materialization.
    expect(ofType(denied.events, "log").at(-1)!.message).toMatch(/^step 2000 of 2000/);
    expect(ofType(denied.events, "materialization")[0]).toMatchObject({ dataVersion: "v2000" });

    const unreachable = await events(["many", "--profile", "logs_elsewhere"], { PIPES_EMULATOR_URL: url, PIPES_LOGS_URL: "http://127.0.0.1:9" });
    expect(unreachable.code).toBe(0);
    expect(ofType(unreachable.events, "warning")[0]!.message).toMatch(/could not be read from CloudWatch Logs \(reading \/aws\/lambda\/many failed: .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe("an endpoint that answers Invoke without a log (as serverless-offline does)", () => {
  let endpoint: Server | undefined;
  afterAll(() => new Promise((r) => (endpoint ? endpoint.close(r) : r(undefined))));

  it("warns that the function's messages cannot be read, instead of saying nothing or blaming a long log", async () => {
    let requestId: string | undefined;
    endpoint = createServer((req, res) => {
      req.resume();
      req.on("end", () => res.writeHead(200, { "Content-Type": "application/json", ...(requestId ? { "x-amzn-RequestId": requestId } : {}) }).end("null"));
    });
    await new Promise<void>((r) => endpoint!.listen(0, "127.0.0.1", r));
    const env = { PIPES_EMULATOR_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`, PIPES_LOGS_URL: "http://127.0.0.1:9" };

    const anonymous = await events(["many", "--profile", "logs_elsewhere"], env);
    expect(anonymous.code).toBe(0);
    expect(ofType(anonymous.events, "warning").map((w) => w.message)).toEqual([
      expect.stringMatching(/^many: http:\/\/127\.0\.0\.1:\d+ \(profile logs_elsewhere\) answered Invoke without the log it was asked for \(LogType Tail\), nor a request id .*are lost$/),
    ]);

    // With a request id the log is looked for in CloudWatch Logs; when that fails too, the warning says both.
    requestId = "7d3c2b1a-0000-4000-8000-000000000001";
    const named = await events(["many", "--profile", "logs_elsewhere"], env);
    expect(named.code).toBe(0);
    const [warning] = ofType(named.events, "warning");
    expect(warning!.message).toMatch(/without the log it was asked for \(LogType Tail\), the whole log could not be read from CloudWatch Logs either \(.*ECONNREFUSED.*\): the pipes messages the function wrote, if any, are lost$/);
    expect(warning!.message).not.toContain("longer than");
  });

  it("waits for its CloudWatch Logs once per run, not once per invocation", async () => {
    // This endpoint also answers the Logs API, with nothing: the log never shows up there.
    const asked: string[] = [];
    const quiet = createServer((req, res) => {
      asked.push(String(req.headers["x-amz-target"] ?? "").startsWith("Logs_") ? "logs" : req.url?.includes("/invocations") ? "invoke" : "other");
      req.resume();
      req.on("end", () => res.writeHead(200, { "Content-Type": "application/json", "x-amzn-RequestId": `r-${Math.random()}` }).end("{}"));
    });
    await new Promise<void>((r) => quiet.listen(0, "127.0.0.1", r));
    try {
      const r = await runPipes(["materialize", "-f", join(FIXTURES, "backfill/defs.ts"), "--profile", "bench", "wide", "--all-partitions", "--concurrency", "1", "--no-history", "--json"], {
        env: { PIPES_BENCH_ENDPOINT: `http://127.0.0.1:${(quiet.address() as AddressInfo).port}`, PIPES_BENCH_PARTITIONS: "4" },
      });
      expect(r.code).toBe(0);
      const warnings = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunEvent).filter((e) => e.type === "warning");
      expect(warnings.map((w) => (w as { message: string }).message)).toEqual([
        expect.stringMatching(/could not be read from CloudWatch Logs either \(CloudWatch Logs did not have the START line/),
        ...Array(3).fill(expect.stringMatching(/had no earlier invocation's log either \(not asked again\)/)),
      ]);
      // One wait for the log: CloudWatch Logs is asked after the first invocation only, never after the later three
      // (counted in requests, not seconds: a loaded machine makes times say nothing).
      const invokes = asked.flatMap((kind, i) => (kind === "invoke" ? [i] : []));
      expect(invokes).toHaveLength(4);
      expect(asked.slice(invokes[0]!, invokes[1]!)).toContain("logs");
      expect(asked.slice(invokes[1]!).filter((kind) => kind === "logs")).toEqual([]);
    } finally {
      await new Promise((r) => quiet.close(r));
    }
  });
});

describe("a backfill: many calls to one function at once", () => {
  it("asks CloudWatch Logs nothing while it cannot tell which running call a log is, however long the calls take", async () => {
    // Invoke answers once all 4 calls are in and the live following has started (it starts after 300 ms on a
    // loopback endpoint), with a whole log in the tail: nothing needs CloudWatch Logs. Counted in requests.
    const asked: string[] = [];
    /**
     * What was asked while all 4 calls were held (from the 4th's arrival to the answers): no one can tell then which
     * running call a log is. Before and after, a call alone may legitimately look (a loaded machine starts or reads
     * the calls apart: this failed once in CI when counted over the whole run).
     */
    let askedWhileHeld: string[] | undefined;
    let allIn = 0;
    const held: Array<() => void> = [];
    const log = (id: string) => Buffer.from(`START RequestId: ${id} Version: $LATEST\nEND RequestId: ${id}\nREPORT RequestId: ${id}\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n`).toString("base64");
    const slow = createServer((req, res) => {
      const kind = String(req.headers["x-amz-target"] ?? "").startsWith("Logs_") ? "logs" : req.url?.includes("/invocations") ? "invoke" : "other";
      asked.push(kind);
      req.resume();
      req.on("end", () => {
        if (kind !== "invoke") return res.writeHead(200, { "Content-Type": "application/json" }).end(kind === "logs" ? '{"events":[]}' : "{}");
        const id = `7d3c2b1a-0000-4000-8000-00000000000${held.length}`;
        held.push(() => res.writeHead(200, { "Content-Type": "application/json", "x-amzn-RequestId": id, "X-Amz-Log-Result": log(id) }).end("null"));
        if (held.length === 4) allIn = asked.length;
        if (held.length === 4) setTimeout(() => {
            askedWhileHeld = asked.slice(allIn);
            for (const answer of held.splice(0)) answer();
          }, 1_500);
      });
    });
    await new Promise<void>((r) => slow.listen(0, "127.0.0.1", r));
    try {
      const r = await runPipes(["materialize", "-f", join(FIXTURES, "backfill/defs.ts"), "--profile", "bench", "wide", "--all-partitions", "--concurrency", "4", "--no-history", "--json"], {
        env: { PIPES_BENCH_ENDPOINT: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, PIPES_BENCH_PARTITIONS: "4" },
      });
      expect(r.code, r.stderr).toBe(0);
      expect(asked.filter((kind) => kind === "invoke")).toHaveLength(4);
      expect(askedWhileHeld?.filter((kind) => kind === "logs")).toEqual([]);
    } finally {
      await new Promise((r) => slow.close(r));
    }
  });
});
