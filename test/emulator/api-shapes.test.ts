// The management API answers as AWS's does: pages, validation errors, what GetFunction shows, error traces.
import { CreateFunctionCommand, GetFunctionCommand, ListFunctionsCommand, paginateListFunctions, UpdateFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { fn, invoke, withEmulator } from "../helpers/emulator.js";

const zip = zipSync({ "app.mjs": strToU8("export const handler = async () => 1;\n") });
const create = (FunctionName: string, extra: Record<string, unknown> = {}) =>
  new CreateFunctionCommand({ FunctionName, Role: "arn:aws:iam::123456789012:role/x", Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: zip }, ...extra });
const fail = (p: Promise<unknown>) => p.then(() => null, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e);

describe("ListFunctions", () => {
  it("pages as AWS does: at most 50 a page, MaxItems, Marker and NextMarker, every function once", () => {
    const names = Array.from({ length: 120 }, (_, i) => `f${String(i).padStart(3, "0")}`);
    return withEmulator(names.map((n) => fn(n, "node/esm.handler")), async (_emulator, lambda) => {
      const first = await lambda.send(new ListFunctionsCommand({}));
      expect(first.Functions).toHaveLength(50);
      expect(first.NextMarker).toBeTruthy();
      const small = await lambda.send(new ListFunctionsCommand({ MaxItems: 7, Marker: first.NextMarker }));
      expect(small.Functions!.map((f) => f.FunctionName)).toEqual(names.slice(50, 57));
      const big = await lambda.send(new ListFunctionsCommand({ MaxItems: 500 }));
      expect(big.Functions).toHaveLength(50);
      const seen: string[] = [];
      for await (const page of paginateListFunctions({ client: lambda }, {})) seen.push(...page.Functions!.map((f) => f.FunctionName!));
      expect(seen).toEqual(names);
      expect(await fail(lambda.send(new ListFunctionsCommand({ MaxItems: 0 })))).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
      expect(await fail(lambda.send(new ListFunctionsCommand({ Marker: "not a marker!" })))).toMatchObject({ name: "InvalidParameterValueException" });
    });
  });
});

describe("settings out of range", () => {
  it("get AWS's ValidationException with its words", () =>
    withEmulator([], async (_emulator, lambda) => {
      const memory = await fail(lambda.send(create("m", { MemorySize: 100 })));
      expect(memory).toMatchObject({ name: "ValidationException", $metadata: { httpStatusCode: 400 } });
      expect(memory!.message).toBe("1 validation error detected: Value '100' at 'memorySize' failed to satisfy constraint: Member must have value greater than or equal to 128");
      const timeout = await fail(lambda.send(create("t", { Timeout: 901 })));
      expect(timeout!.message).toBe("1 validation error detected: Value '901' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900");
      expect(await fail(lambda.send(create("r", { Runtime: "nodejs8.x" })))).toMatchObject({ name: "ValidationException", message: expect.stringMatching(/at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: \[nodejs18\.x/) });
      await lambda.send(create("ok"));
      expect(await fail(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "ok", MemorySize: 20_000 })))).toMatchObject({ name: "ValidationException" });
    }));
});

describe("GetFunction", () => {
  it("shows Concurrency only for reserved concurrency, and the real CodeSize", () =>
    withEmulator([fn("folder", "node/esm.handler"), fn("reserved", "node/esm.handler", { reservedConcurrency: true, concurrency: 3 })], async (_emulator, lambda) => {
      await lambda.send(create("uploaded"));
      const uploaded = await lambda.send(new GetFunctionCommand({ FunctionName: "uploaded" }));
      expect(uploaded.Concurrency).toBeUndefined();
      expect(uploaded.Configuration!.CodeSize).toBe(zip.byteLength);
      const folder = await lambda.send(new GetFunctionCommand({ FunctionName: "folder" }));
      expect(folder.Concurrency).toBeUndefined();
      expect(folder.Configuration!.CodeSize).toBeGreaterThan(1000); // the folder's files
      const reserved = await lambda.send(new GetFunctionCommand({ FunctionName: "reserved" }));
      expect(reserved.Concurrency).toEqual({ ReservedConcurrentExecutions: 3 });
    }));
});

describe("a function's error trace", () => {
  it("has the function's frames, never the emulator bootstrap's", () =>
    withEmulator([fn("throws", "node/throws.handler")], async (_emulator, lambda) => {
      const r = await invoke(lambda, "throws", { value: 1 });
      expect(r.payload.errorType).toBe("TypeError");
      expect(r.payload.trace.some((line: string) => line.includes("throws.mjs"))).toBe(true);
      expect(r.payload.trace.filter((line: string) => /bootstrap/.test(line))).toEqual([]);
    }));
});
