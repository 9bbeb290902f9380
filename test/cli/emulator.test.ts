import { existsSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromIni } from "@aws-sdk/credential-providers";
import { afterEach, describe, expect, it } from "vitest";
import { LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { alive, invoke, waitUntil, workerPids } from "../helpers/emulator.js";
import { FIXTURES, startPipes, type Running } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";
import { descendants, describe as describeProcs, processes } from "../helpers/procs.js";
import { REAPER_MARK } from "../../src/emulator/reaper.js";

const ORDERS = join(FIXTURES, "orders/defs.ts");
let running: Running | undefined;

afterEach(() => {
  running?.child.kill("SIGKILL");
  running = undefined;
});

const childPids = workerPids;

async function startWithWorkers(): Promise<{ url: string; pids: number[]; lambda: LambdaClient }> {
  running = startPipes(["emulator", "-f", ORDERS, "--port", "0"]);
  const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
  const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
  const node = await invoke(lambda, "orders_ingest", { day: "2024-02-02" });
  const python = await invoke(lambda, "summarize", {});
  expect(node.payload.orders).toHaveLength(3);
  expect(python.payload).toEqual({ revenue: 32.5 });
  const pids = childPids(running.child.pid!);
  expect(pids).toHaveLength(2);
  return { url: url!, pids, lambda };
}

describe("pipes emulator", () => {
  it("Ctrl-C while a 20 s invocation runs stops within a second or two, not at the function's 30 s timeout", async () => {
    running = startPipes(["emulator", "-f", join(FIXTURES, "logs/defs.ts"), "--port", "0"]);
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    const call = invoke(lambda, "sized", { stamps: 100, gapMs: 200 }).catch(() => "connection closed");
    await waitUntil(() => childPids(running!.child.pid!).length === 1);
    const pids = childPids(running.child.pid!);
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    running.child.kill("SIGINT");
    const exit = await running.exited;
    expect(Date.now() - started).toBeLessThan(10_000); // the invocation had ~20 s to go: it did not wait for it
    expect(exit.code).toBe(0);
    expect(running.output()).toContain("Emulator stopped.");
    await call;
    lambda.destroy();
    expect(pids.filter(alive)).toEqual([]);
  });

  it("says how many Event invocations a stop dropped", async () => {
    running = startPipes(["emulator", "-f", join(FIXTURES, "logs/defs.ts"), "--port", "0"]);
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    for (let i = 0; i < 3; i++) {
      const r = await invoke(lambda, "sized", { stamps: 100, gapMs: 200 }, { InvocationType: "Event", LogType: undefined });
      expect(r.status).toBe(202);
    }
    lambda.destroy();
    running.child.kill("SIGINT");
    expect((await running.exited).code).toBe(0);
    expect(running.output()).toContain("⚠ 3 Event invocations were queued or running and were dropped by the stop.");
  });

  it("SIGTERM stops it as Ctrl-C does: exit 0, \"Emulator stopped.\", no worker process left (/proc)", async () => {
    const { pids, lambda } = await startWithWorkers();
    lambda.destroy();
    running!.child.kill("SIGTERM");
    const exit = await running!.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(running!.output()).toContain("Emulator stopped.");
    await waitUntil(() => pids.every((pid) => !existsSync(`/proc/${pid}`)), 5_000);
  });

  it("serves the defs file's functions, prints a line per invocation, and stops cleanly on SIGINT", async () => {
    const { pids, lambda } = await startWithWorkers();
    await running!.waitFor(/summarize {2}ok .* cold, init \d+ ms/);
    expect(running!.output()).toMatch(/4 functions from .*defs\.ts: orders_ingest \(nodejs24\.x\), orders_clean \(nodejs24\.x\), summarize \(python3\.12\), report \(python3\.12\)/);
    expect(running!.output()).toMatch(/orders_ingest {2}ok {2}\d+\.\d ms {2}cold/);
    await invoke(lambda, "orders_ingest", {});
    await running!.waitFor(/orders_ingest {2}ok {2}\d+\.\d ms {2}warm/);
    lambda.destroy();
    running!.child.kill("SIGINT");
    const { code } = await running!.exited;
    expect(code).toBe(0);
    expect(running!.output()).toContain("Emulator stopped.");
    expect(pids.filter(alive)).toEqual([]);
  });

  it("stops on SIGINT only once every process it started has ended: workers, the reaper, not even a zombie left", async () => {
    const { lambda } = await startWithWorkers();
    lambda.destroy();
    const started = descendants(running!.child.pid!);
    expect(started.some((p) => p.command.includes(REAPER_MARK))).toBe(true);
    running!.child.kill("SIGINT");
    expect((await running!.exited).code).toBe(0);
    expect(running!.output()).toContain("Emulator stopped.");
    // At once: whatever is still there now was left behind by the stop, whoever reaps it later.
    const now = new Map(processes().map((p) => [p.pid, p]));
    const left = started.filter((p) => now.get(p.pid)?.command === p.command || now.get(p.pid)?.state === "Z");
    expect(describeProcs(left)).toEqual([]);
  });

  it("leaves no worker behind even when the CLI itself is killed", async () => {
    const { pids, lambda } = await startWithWorkers();
    lambda.destroy();
    running!.child.kill("SIGKILL");
    await running!.exited;
    await waitUntil(() => pids.every((pid) => !alive(pid)), 10_000);
  });

  it("a Node worker stuck in a busy loop dies with the CLI when the CLI is killed", async () => {
    running = startPipes(["emulator", "-f", join(FIXTURES, "logs/defs.ts"), "--port", "0"]);
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    expect((await invoke(lambda, "busy", {}, { InvocationType: "Event", LogType: undefined })).status).toBe(202);
    await waitUntil(() => childPids(running!.child.pid!).length === 1);
    const pids = childPids(running.child.pid!);
    await new Promise((r) => setTimeout(r, 300)); // well inside the loop
    lambda.destroy();
    running.child.kill("SIGKILL");
    await running.exited;
    await waitUntil(() => pids.every((pid) => !alive(pid)), 5_000);
  });

  it("--credentials adds an AWS profile with a random key once, and then accepts only clients that sign with it", async () => {
    const file = join(tempDir("pipes-creds-"), "credentials");
    const env = { AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(tmpdir(), "pipes-no-such-config") };
    running = startPipes(["emulator", "--credentials", "emu", "--port", "0"], { cwd: FIXTURES, env });
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    await running.waitFor(/Point a client/);
    expect(running.output()).toContain(`Added AWS profile emu with a new random key to ${file}.`);
    expect(running.output()).toContain("the credentials of AWS profile emu");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/\[emu\]\naws_access_key_id = PIPES\w+\naws_secret_access_key = \S{40}\n/);

    const signed = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: fromIni({ profile: "emu", filepath: file }) });
    expect((await signed.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    const dummy = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    await expect(dummy.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: "UnrecognizedClientException" });
    signed.destroy();
    dummy.destroy();
    running.child.kill("SIGINT");
    await running.exited;

    // A second start reads the same profile: the key a user configured keeps working, nothing is appended.
    const before = readFileSync(file, "utf8");
    running = startPipes(["emulator", "--credentials", "emu", "--port", "0"], { cwd: FIXTURES, env });
    const [, again] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    await running.waitFor(/Point a client/);
    expect(running.output()).not.toContain("Added AWS profile");
    expect(readFileSync(file, "utf8")).toBe(before);
    const reused = new LambdaClient({ endpoint: again, region: "us-east-1", credentials: fromIni({ profile: "emu", filepath: file }) });
    expect((await reused.send(new ListFunctionsCommand({}))).Functions).toEqual([]);
    reused.destroy();
  });

  it("refuses a port in use with a clear message", async () => {
    const first = startPipes(["emulator", "--port", "0"], { cwd: FIXTURES });
    try {
      const [, port] = await first.waitFor(/Ready on http:\/\/127\.0\.0\.1:(\d+)/);
      running = startPipes(["emulator", "--port", port!], { cwd: FIXTURES });
      const { code } = await running.exited;
      expect(code).toBe(2);
      expect(running.output()).toMatch(new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use`));
    } finally {
      first.child.kill("SIGKILL");
    }
  });
});
