// Function names and qualifiers are checked as AWS checks them, before anything touches the disk.
import { CreateFunctionCommand, GetFunctionCommand } from "@aws-sdk/client-lambda";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zipSync, strToU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { invoke, withEmulator } from "../helpers/emulator.js";

const zip = zipSync({ "app.mjs": strToU8("export const handler = async () => 1;\n") });
const create = (FunctionName: string) =>
  new CreateFunctionCommand({ FunctionName, Role: "arn:aws:iam::123456789012:role/x", Runtime: "nodejs20.x", Handler: "app.handler", Code: { ZipFile: zip } });

describe("function names", () => {
  it("refuses names that break Lambda's pattern with 400 ValidationException, and writes nothing outside its folder", () =>
    withEmulator([], async (_emulator, lambda) => {
      const escape = `pipes-evil-${process.pid}`;
      for (const name of [`../../../../../../${tmpdir().slice(1)}/${escape}`, "a/b", "bad name!", "x".repeat(65), ""]) {
        const refused = await lambda.send(create(name)).then(() => null, (e: { name: string; $metadata: { httpStatusCode: number }; message: string }) => e);
        expect(refused, name).not.toBeNull();
        expect(refused!.$metadata.httpStatusCode, name).toBe(400);
        if (name) expect(refused!.name, name).toBe("ValidationException");
        expect(refused!.message).not.toMatch(/pipes-emulator-/); // no machine path
      }
      expect(existsSync(join(tmpdir(), `${escape}-1`))).toBe(false);
      await expect(lambda.send(new GetFunctionCommand({ FunctionName: "a/b" }))).rejects.toMatchObject({ name: "ValidationException" });
      await expect(lambda.send(new GetFunctionCommand({ FunctionName: "ok", Qualifier: "bad qualifier!" }))).rejects.toMatchObject({ name: "ValidationException" });
      // A valid name of 64 characters works end to end.
      const long = "f".repeat(64);
      await lambda.send(create(long));
      expect((await invoke(lambda, long)).payload).toBe(1);
    }));
});
