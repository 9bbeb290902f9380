// Uploaded code: unpacked off the event loop (invocations go on meanwhile), bounded in entries, one upload per
// function at a time, and a replaced upload's folder removed once nothing runs from it.
import { CreateFunctionCommand, GetFunctionCommand, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { fn, invoke, waitUntil, withEmulator } from "../helpers/emulator.js";

const HANDLER = strToU8("export const handler = async () => 'ran';\n");
const ROLE = "arn:aws:iam::123456789012:role/x";

/** A zip of the handler and `count` small files (stored, so it builds fast). */
function manyEntries(count: number): Uint8Array {
  const files: Zippable = { "app.mjs": HANDLER };
  for (let i = 0; i < count; i++) files[`data/${Math.floor(i / 1000)}/f${i}.txt`] = strToU8(`${i}\n`);
  return zipSync(files, { level: 0 });
}

type Failure = { name: string; message: string; $metadata: { httpStatusCode: number } };
const failure = (e: Failure) => e;

describe("uploaded code", () => {
  it("is unpacked off the event loop: another function's invocations go on while 20,000 entries are written", async () => {
    const zip = manyEntries(20_000);
    await withEmulator([fn("echo", "node/sleep.handler")], async (_emulator, lambda) => {
      await invoke(lambda, "echo"); // warm
      let created = false;
      const started = Date.now();
      const create = lambda
        .send(new CreateFunctionCommand({ FunctionName: "big", Role: ROLE, Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: zip } }))
        .finally(() => (created = true));
      let last = Date.now();
      let longestGap = 0;
      let during = 0;
      while (!created) {
        await invoke(lambda, "echo");
        const now = Date.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
        if (!created) during++;
      }
      await create;
      const took = Date.now() - started;
      // Unpacked on the event loop, no invocation would answer for the seconds the unzip takes.
      expect(during, `${during} invocations in ${took} ms`).toBeGreaterThan(5);
      expect(longestGap, `longest wait ${longestGap} ms of ${took} ms`).toBeLessThan(Math.max(1500, took / 2));
      expect((await invoke(lambda, "big")).payload).toBe("ran");
    });
  });

  it("holds at most 50,000 entries: more is InvalidParameterValueException, saying so", async () => {
    await withEmulator([], async (_emulator, lambda) => {
      const refused = await lambda
        .send(new CreateFunctionCommand({ FunctionName: "many", Role: ROLE, Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: manyEntries(50_000) } }))
        .then(() => null, failure);
      expect(refused).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
      expect(refused!.message).toBe("Zip has more than 50000 entries; the emulator unpacks at most 50000");
    });
  });

  it("a second UpdateFunctionCode while one is unpacking is ResourceConflictException (409), as on AWS", async () => {
    const big = manyEntries(20_000);
    await withEmulator([], async (_emulator, lambda) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: "f", Role: ROLE, Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: manyEntries(0) } }));
      const update = () => lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "f", ZipFile: big })).then(() => "ok", failure);
      const results = await Promise.all([update(), update()]);
      const conflicts = results.filter((r) => r !== "ok") as Failure[];
      expect(results).toContain("ok");
      expect(conflicts).toHaveLength(1);
      expect(conflicts[0]).toMatchObject({ name: "ResourceConflictException", $metadata: { httpStatusCode: 409 } });
      expect(conflicts[0]!.message).toContain("An update is in progress");
      expect((await invoke(lambda, "f")).payload).toBe("ran");
    });
  });

  it("30 UpdateFunctionCode calls leave one code folder, not 30: a replaced one goes once nothing runs from it", async () => {
    await withEmulator([], async (_emulator, lambda) => {
      await lambda.send(new CreateFunctionCommand({ FunctionName: "f", Role: ROLE, Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: manyEntries(10) } }));
      const location = (await lambda.send(new GetFunctionCommand({ FunctionName: "f" }))).Code!.Location!;
      const codeDir = dirname(fileURLToPath(location));
      const uploads = () => readdirSync(codeDir).filter((name) => name.startsWith("f-"));
      for (let i = 0; i < 30; i++) {
        await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "f", ZipFile: manyEntries(10 + i) }));
        expect((await invoke(lambda, "f")).payload).toBe("ran");
      }
      await waitUntil(() => uploads().length === 1, 10_000);
    });
  });
});
