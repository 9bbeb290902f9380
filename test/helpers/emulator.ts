import { InvokeCommand, LambdaClient, type InvokeCommandInput } from "@aws-sdk/client-lambda";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { REAPER_MARK } from "../../src/emulator/reaper.js";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import type { FunctionSpec } from "../../src/emulator/registry.js";
import { FIXTURES } from "./run-pipes.js";
import { leftAfter } from "./procs.js";

export const HANDLERS = join(FIXTURES, "emulator");

/** A function of fixtures/emulator with Lambda's defaults. */
export function fn(name: string, handler: string, extra: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    name,
    handler,
    runtime: handler.startsWith("python/") ? "python3.12" : "nodejs24.x",
    codeRoot: HANDLERS,
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: {},
    concurrency: 4,
    ...extra,
  };
}

/** The real SDK client pointed at the emulator, with dummy credentials. */
export function client(emulator: Emulator, maxAttempts = 3): LambdaClient {
  return new LambdaClient({
    endpoint: emulator.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts,
  });
}

export interface Invoked {
  status: number | undefined;
  functionError: string | undefined;
  payload: any;
  /** The decoded `LogResult`, split in lines, empty lines left out (none when no Tail was asked for). */
  log: string[];
  /** The decoded `LogResult` as it is. */
  logText: string;
  requestId: string | undefined;
  executedVersion: string | undefined;
}

export async function invoke(lambda: LambdaClient, name: string, event: unknown = {}, extra: Partial<InvokeCommandInput> = {}): Promise<Invoked> {
  const r = await lambda.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)), LogType: "Tail", ...extra }),
  );
  const text = r.Payload ? Buffer.from(r.Payload).toString("utf8") : "";
  const logText = r.LogResult ? Buffer.from(r.LogResult, "base64").toString("utf8") : "";
  const log = logText.split("\n").filter((l) => l !== "");
  return {
    status: r.StatusCode,
    functionError: r.FunctionError,
    payload: text ? JSON.parse(text) : undefined,
    log,
    logText,
    requestId: r.$metadata.requestId,
    executedVersion: r.ExecutedVersion,
  };
}

export async function withEmulator<T>(functions: FunctionSpec[], body: (emulator: Emulator, lambda: LambdaClient) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ functions });
  const lambda = client(emulator);
  let left: string[] = [];
  let result: T;
  try {
    result = await body(emulator, lambda);
  } finally {
    lambda.destroy();
    // The OS process table, not the emulator's own list of workers.
    left = await leftAfter(() => emulator.close());
  }
  if (left.length > 0) throw new Error(`processes left behind:\n${left.join("\n")}`);
  return result;
}

/** The worker processes a process started (its emulator's reaper left out), children of children included. */
export function workerPids(pid: number): number[] {
  let children: number[];
  try {
    children = execFileSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" }).split("\n").map(Number).filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
  const isReaper = (child: number) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, "utf8").includes(REAPER_MARK);
    } catch {
      return false;
    }
  };
  return children.filter((child) => !isReaper(child)).flatMap((child) => [child, ...workerPids(child)]);
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}
