import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvokeCommand,
  ListFunctionsCommand,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { createHash } from "node:crypto";
import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import type { InvocationEnd } from "../../src/emulator/index.js";
import { client, fn, invoke, waitUntil, withEmulator } from "../helpers/emulator.js";

describe("invocation types", () => {
  it("Event answers 202 at once and runs in the background", () =>
    withEmulator([fn("sleep", "node/sleep.handler")], async (emulator, lambda) => {
      const ended: InvocationEnd[] = [];
      emulator.events.on("invocation-end", (end) => ended.push(end));
      const r = await lambda.send(new InvokeCommand({ FunctionName: "sleep", InvocationType: "Event", Payload: Buffer.from('{"ms": 300}') }));
      expect(r.StatusCode).toBe(202);
      expect(ended).toEqual([]); // answered before the function finished
      await waitUntil(() => ended.length === 1);
      expect(ended[0]).toMatchObject({ functionName: "sleep", invocationType: "Event", status: "success", cold: true });
      expect(ended[0]!.log).toMatch(/^START RequestId: .*\nEND RequestId: .*\nREPORT RequestId: /s);
    }));

  it("DryRun answers 204 and runs nothing", () =>
    withEmulator([fn("sleep", "node/sleep.handler")], async (emulator, lambda) => {
      const r = await lambda.send(new InvokeCommand({ FunctionName: "sleep", InvocationType: "DryRun" }));
      expect(r.StatusCode).toBe(204);
      expect(emulator.workerPids()).toEqual([]);
    }));
});

describe("concurrency", () => {
  it("runs invocations of one function in parallel up to its limit, then throttles", () =>
    withEmulator([fn("sleep", "node/sleep.handler", { concurrency: 2 })], async (emulator, lambda) => {
      let started = 0;
      emulator.events.on("invocation-start", () => started++);
      const calls = [invoke(lambda, "sleep", { ms: 2_000 }), invoke(lambda, "sleep", { ms: 2_000 })];
      // Once both have started, a third synchronous call finds no free worker (no SDK retries here).
      await waitUntil(() => started === 2);
      const once = client(emulator, 1);
      const throttled = await invoke(once, "sleep", { ms: 0 }).catch((e) => e);
      once.destroy();
      const [a, b] = (await Promise.all(calls)).map((r) => r.payload);
      expect(a.pid).not.toBe(b.pid); // two workers
      expect(a.start < b.end && b.start < a.end).toBe(true); // that overlapped in time
      expect(throttled).toBeInstanceOf(TooManyRequestsException);
      expect(throttled.$metadata.httpStatusCode).toBe(429);
      expect(throttled.Reason).toBe("ReservedFunctionConcurrentInvocationLimitExceeded");
      const after = await invoke(lambda, "sleep", { ms: 0 });
      expect([a.pid, b.pid]).toContain(after.payload.pid); // a warm worker is reused
    }));
});

describe("management calls", () => {
  const zip = (source: string) => zipSync({ "index.mjs": strToU8(source) }, { mtime: new Date("2024-01-01T00:00:00Z") });

  it("CreateFunction → Invoke → UpdateFunctionCode (waiter passes) → Invoke runs the new code", () =>
    withEmulator([], async (_emulator, lambda) => {
      const v1 = zip(`export const handler = async () => ({ version: 1, region: process.env.REGION_NAME });`);
      const created = await lambda.send(
        new CreateFunctionCommand({
          FunctionName: "deployed",
          Role: "arn:aws:iam::123456789012:role/test",
          Runtime: "nodejs24.x",
          Handler: "index.handler",
          Code: { ZipFile: v1 },
          MemorySize: 256,
          Timeout: 5,
          Environment: { Variables: { REGION_NAME: "eu" } },
        }),
      );
      expect(created).toMatchObject({
        FunctionName: "deployed",
        FunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:deployed",
        State: "Active",
        LastUpdateStatus: "Successful",
        CodeSize: v1.length,
        CodeSha256: createHash("sha256").update(v1).digest("base64"),
        MemorySize: 256,
        Timeout: 5,
      });
      expect((await invoke(lambda, "deployed")).payload).toEqual({ version: 1, region: "eu" });

      const v2 = zip(`export const handler = async () => ({ version: 2 });`);
      const updated = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "deployed", ZipFile: v2 }));
      expect(updated.CodeSha256).toBe(createHash("sha256").update(v2).digest("base64"));
      const waited = await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 30 }, { FunctionName: "deployed" });
      expect(waited.state).toBe("SUCCESS");
      expect((await invoke(lambda, "deployed")).payload).toEqual({ version: 2 });

      const again = await lambda.send(new CreateFunctionCommand({
        FunctionName: "deployed", Role: "r", Runtime: "nodejs24.x", Handler: "index.handler", Code: { ZipFile: v1 },
      })).catch((e) => e);
      expect(again).toBeInstanceOf(ResourceConflictException);
      expect(again.message).toBe("Function already exist: deployed");
    }));

  it("GetFunction, ListFunctions, UpdateFunctionConfiguration (environment replaced) and DeleteFunction", () =>
    withEmulator([fn("esm", "node/esm.handler", { environment: { FUNCTION_ONLY: "before", OTHER: "x" } })], async (_e, lambda) => {
      const got = await lambda.send(new GetFunctionCommand({ FunctionName: "esm" }));
      expect(got.Configuration).toMatchObject({ FunctionName: "esm", Runtime: "nodejs24.x", Handler: "node/esm.handler", State: "Active" });
      const list = await lambda.send(new ListFunctionsCommand({}));
      expect(list.Functions?.map((f) => f.FunctionName)).toEqual(["esm"]);
      expect((await invoke(lambda, "esm")).payload.env.FUNCTION_ONLY).toBe("before");

      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "esm", MemorySize: 1024, Environment: { Variables: { FUNCTION_ONLY: "after" } } }));
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "esm" }));
      expect(config.MemorySize).toBe(1024);
      expect(config.Environment?.Variables).toEqual({ FUNCTION_ONLY: "after" });
      const r = await invoke(lambda, "esm");
      expect(r.payload.env.FUNCTION_ONLY).toBe("after");
      expect(r.payload.context.memoryLimitInMB).toBe("1024");
      expect(r.log.at(-1)).toMatch(/Init Duration/); // the warm worker was replaced

      await lambda.send(new DeleteFunctionCommand({ FunctionName: "esm" }));
      expect(await invoke(lambda, "esm").catch((e) => e)).toBeInstanceOf(ResourceNotFoundException);
    }));
});
