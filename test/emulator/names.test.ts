// Function names and qualifiers are checked as AWS checks them, before anything touches the disk.
import { CreateFunctionCommand, GetFunctionCommand } from "@aws-sdk/client-lambda";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { invoke, withEmulator } from "../helpers/emulator.js";
import { rawRequest } from "../helpers/raw-http.js";

const zip = zipSync({ "app.mjs": strToU8("export const handler = async () => 1;\n") });
const create = (FunctionName: string) =>
  new CreateFunctionCommand({ FunctionName, Role: "arn:aws:iam::123456789012:role/x", Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: zip } });

describe("function names", () => {
  it("refuses names that break Lambda's pattern with 400 ValidationException, and writes nothing outside its folder", () =>
    withEmulator([], async (_emulator, lambda) => {
      const outside = `pipes-evil-${process.pid}`;
      for (const name of [`../../../../../../${tmpdir().slice(1)}/${outside}`, "a/b", "bad name!", "x".repeat(65), ""]) {
        const refused = await lambda.send(create(name)).then(() => null, (e: { name: string; $metadata: { httpStatusCode: number }; message: string }) => e);
        expect(refused, name).not.toBeNull();
        expect(refused!.$metadata.httpStatusCode, name).toBe(400);
        if (name) expect(refused!.name, name).toBe("ValidationException");
        expect(refused!.message).not.toMatch(/pipes-emulator-/); // no machine path
      }
      expect(existsSync(join(tmpdir(), `${outside}-1`))).toBe(false);
      await expect(lambda.send(new GetFunctionCommand({ FunctionName: "a/b" }))).rejects.toMatchObject({ name: "ValidationException" });
      await expect(lambda.send(new GetFunctionCommand({ FunctionName: "ok", Qualifier: "bad qualifier!" }))).rejects.toMatchObject({ name: "ValidationException" });
      // A valid name of 64 characters works end to end.
      const long = "f".repeat(64);
      await lambda.send(create(long));
      expect((await invoke(lambda, long)).payload).toBe(1);
    }));
});

describe("malformed paths", () => {
  it("a malformed percent-escape (%ZZ) in a function's path is 400 ValidationException naming it, never a 500", () =>
    withEmulator([], async (emulator) => {
      const auth = "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x";
      for (const [method, path] of [["POST", "/2015-03-31/functions/%ZZ/invocations"], ["GET", "/2015-03-31/functions/a%E0%A4%A"], ["GET", "/2015-03-31/functions/%"]] as const) {
        const head = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nAuthorization: ${auth}\r\nContent-Length: 2\r\n\r\n{}`;
        const answer = await rawRequest(emulator.port, head);
        expect(answer.status, path).toBe(400);
        expect(answer.headers["x-amzn-errortype"], path).toBe("ValidationException");
        expect(JSON.parse(answer.body).message, path).toMatch(/malformed percent-escape/);
      }
    }));
});

describe("bad uploads and settings", () => {
  it("answer AWS's 400 shapes without a machine path, never a 500", () =>
    withEmulator([], async (_emulator, lambda) => {
      const { UpdateFunctionConfigurationCommand } = await import("@aws-sdk/client-lambda");
      const fail = (p: Promise<unknown>) => p.then(() => null, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e);
      // A file and a folder of the same name.
      const clash = zipSync({ "app.mjs": strToU8("export const handler = async () => 1;\n"), lib: strToU8("file"), "lib/x.js": strToU8("folder") });
      const c1 = await fail(lambda.send(new CreateFunctionCommand({ FunctionName: "clash", Role: "r", Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: clash } })));
      expect(c1).toMatchObject({ $metadata: { httpStatusCode: 400 } });
      expect(c1!.message).toMatch(/cannot be unpacked \(a file and a folder have the same name\)/);
      expect(c1!.message).not.toMatch(/\/tmp\/|pipes-emulator-/);
      await lambda.send(create("okfn"));
      for (const Variables of [{ BAD: "a\u0000b" }, { "1bad": "x" }, { BIG: "x".repeat(5000) }]) {
        const e = await fail(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "okfn", Environment: { Variables } })));
        expect(e, JSON.stringify(Variables).slice(0, 30)).toMatchObject({ $metadata: { httpStatusCode: 400 } });
        expect(e!.message).not.toMatch(/\/tmp\/|pipes-emulator-/);
      }
      // The function still runs, with its settings unchanged.
      expect((await invoke(lambda, "okfn")).payload).toBe(1);
    }));
});
