import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { client, fn, invoke } from "../helpers/emulator.js";
import { leftAfter } from "../helpers/procs.js";

// A runtime that cannot load its handler reports the init error, then exits at once. The report (on the Runtime
// API channel) and the exit are two events that reach the emulator in either order; when the exit came first
// the invocation used to fail as a bare "Runtime.ExitError: exit status 1", the syntax error and its file lost
// (seen on CI about once in six runs). Many cold sandboxes at once make the order come out both ways.
const SANDBOXES = 12;

let emulator: Emulator;
let lambda: LambdaClient;

beforeAll(async () => {
  emulator = await startEmulator({
    functions: [
      fn("syntax", "node/syntax.handler", { concurrency: SANDBOXES }),
      fn("py-syntax", "python/syntax_bad.handler", { concurrency: SANDBOXES }),
    ],
  });
  lambda = client(emulator, 1);
});

afterAll(async () => {
  lambda.destroy();
  expect(await leftAfter(() => emulator.close())).toEqual([]);
});

describe("an init error is never lost to the runtime's exit", () => {
  it.each([
    ["syntax", /SyntaxError: Unexpected token/],
    ["py-syntax", /Syntax error in module 'python\.syntax_bad'/],
  ])("%s: every cold sandbox of many at once answers Runtime.UserCodeSyntaxError with the message", async (name, message) => {
    const results = await Promise.all(Array.from({ length: SANDBOXES }, () => invoke(lambda, name)));
    for (const r of results) {
      expect(r.payload.errorType, JSON.stringify(r.payload)).toBe("Runtime.UserCodeSyntaxError");
      expect(r.payload.errorMessage).toMatch(message);
    }
  });
});
