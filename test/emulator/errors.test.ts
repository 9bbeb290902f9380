import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  InvalidRequestContentException,
  InvokeCommand,
  RequestTooLargeException,
  ResourceNotFoundException,
  type LambdaClient,
} from "@aws-sdk/client-lambda";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { client, fn, invoke } from "../helpers/emulator.js";
import { leftAfter } from "../helpers/procs.js";

let emulator: Emulator;
let lambda: LambdaClient;

beforeAll(async () => {
  emulator = await startEmulator({
    functions: [
      fn("throws", "node/throws.handler"),
      fn("py", "python/app.handler"),
      fn("py-marshal", "python/app.not_serializable"),
      fn("py-exits", "python/app.exits"),
      fn("sleepy", "node/sleep.handler", { timeoutSeconds: 1 }),
      fn("crash", "node/crash.handler"),
      fn("missing-module", "node/nothing-here.handler"),
      fn("missing-export", "node/no-export.handler"),
      fn("syntax", "node/syntax.handler"),
      fn("py-missing", "python/nothing_here.handler"),
      fn("py-syntax", "python/syntax_bad.handler"),
      fn("py-no-function", "python/app.nope"),
      fn("memory", "node/memory.handler", { memoryMb: 128 }),
      fn("big", "node/big.handler"),
      fn("echo", "node/sleep.handler"),
      fn("fd3", "node/writes-fd3.handler"),
      fn("event-size", "node/event-size.handler"),
    ],
  });
  lambda = client(emulator, 1);
});

afterAll(async () => {
  lambda.destroy();
  expect(await leftAfter(() => emulator.close())).toEqual([]);
});

describe("function errors: 200, X-Amz-Function-Error: Unhandled, the runtime's payload", () => {
  it("a thrown Node error, with the messages logged before it", async () => {
    const r = await invoke(lambda, "throws", { value: 42 });
    expect(r.status).toBe(200);
    expect(r.functionError).toBe("Unhandled");
    expect(r.payload).toMatchObject({ errorType: "TypeError", errorMessage: "bad input: 42" });
    expect(r.payload.trace[0]).toBe("TypeError: bad input: 42");
    expect(r.payload.trace[1]).toMatch(/at handler .*throws\.mjs/);
    expect(r.log.some((l) => l.endsWith("\tINFO\tabout to fail"))).toBe(true);
    expect(r.log.find((l) => l.includes("\tERROR\tInvoke Error \t"))).toMatch(/"errorType":"TypeError"/);
    const thrownString = await invoke(lambda, "throws", { kind: "string" });
    expect(thrownString.payload).toEqual({ errorType: "string", errorMessage: "a plain string", trace: [] });
  });

  it("a raised Python exception, in the Python runtime's shape", async () => {
    const r = await invoke(lambda, "py", { fail: true });
    expect(r.functionError).toBe("Unhandled");
    expect(r.payload).toMatchObject({ errorType: "ZeroDivisionError", errorMessage: "division by zero", requestId: r.requestId });
    expect(r.payload.stackTrace).toHaveLength(1);
    expect(r.payload.stackTrace[0]).toMatch(/^ {2}File ".*app\.py", line \d+, in handler\n {4}return 1 \/ 0\n/);
    expect(r.log).toContain("[ERROR] ZeroDivisionError: division by zero");
    const marshal = await invoke(lambda, "py-marshal");
    expect(marshal.payload.errorType).toBe("Runtime.MarshalError");
  });

  it("a timeout kills the worker, answers as AWS does, and the next call runs on a fresh one", async () => {
    const r = await invoke(lambda, "sleepy", { ms: 5_000 });
    expect(r.functionError).toBe("Unhandled");
    expect(r.payload).toEqual({
      errorType: "Sandbox.Timedout",
      errorMessage: `RequestId: ${r.requestId} Error: Task timed out after 1.00 seconds`,
    });
    expect(r.log).toContainEqual(expect.stringMatching(new RegExp(`^\\S+Z ${r.requestId} Task timed out after 1\\.00 seconds$`)));
    expect(r.log.at(-1)).toMatch(/Status: timeout/);
    const next = await invoke(lambda, "sleepy", { ms: 0 });
    expect(next.functionError).toBeUndefined();
    expect(next.log.at(-1)).toMatch(/Init Duration/); // a new worker: cold
  });

  it("a crashed worker is Runtime.ExitError, and the next call runs on a fresh one", async () => {
    const r = await invoke(lambda, "crash", { crash: true });
    expect(r.payload).toEqual({
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${r.requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect(r.log).toContainEqual(expect.stringMatching(/\tINFO\texiting now$/));
    const next = await invoke(lambda, "crash", {});
    expect(next.functionError).toBeUndefined();
    expect(next.payload.pid).toEqual(expect.any(Number));
  });

  it("sys.exit(3) in a Python handler is exit status 3, with what it printed (not an abort at shutdown)", async () => {
    const r = await invoke(lambda, "py-exits", { code: 3 });
    expect(r.payload).toEqual({
      errorType: "Runtime.ExitError",
      errorMessage: `RequestId: ${r.requestId} Error: Runtime exited with error: exit status 3`,
    });
    expect(r.log).toContain("exiting with 3");
    const text = await invoke(lambda, "py-exits", { code: "bad input" });
    expect(text.payload.errorMessage).toMatch(/exit status 1$/);
    expect(text.log).toContain("bad input");
  });

  it("load failures: missing module, missing export, syntax errors, in both runtimes", async () => {
    const cases: Array<[string, string, RegExp]> = [
      ["missing-module", "Runtime.ImportModuleError", /Cannot find module 'node\/nothing-here'/],
      ["missing-export", "Runtime.HandlerNotFound", /node\/no-export\.handler is undefined or not exported/],
      ["syntax", "Runtime.UserCodeSyntaxError", /SyntaxError: Unexpected token/],
      ["py-missing", "Runtime.ImportModuleError", /Unable to import module 'python\.nothing_here'/],
      ["py-syntax", "Runtime.UserCodeSyntaxError", /Syntax error in module 'python\.syntax_bad'/],
      ["py-no-function", "Runtime.HandlerNotFound", /Handler 'nope' missing on module 'python\.app'/],
    ];
    for (const [name, errorType, message] of cases) {
      const r = await invoke(lambda, name);
      expect(r.functionError, name).toBe("Unhandled");
      expect(r.payload.errorType, name).toBe(errorType);
      expect(r.payload.errorMessage, name).toMatch(message);
    }
    // Lambda's Python runtime gives a syntax error's file, line and text as its one frame (no column), and no
    // frames for the other load failures.
    const syntax = await invoke(lambda, "py-syntax");
    expect(syntax.payload.stackTrace).toEqual([expect.stringMatching(/^ {2}File "\/.*\/syntax_bad\.py" Line 1\n {4}def handler\(event, context\)\n$/)]);
    expect((await invoke(lambda, "py-missing")).payload.stackTrace).toEqual([]);
    expect((await invoke(lambda, "py-no-function")).payload.stackTrace).toEqual([]);
  });

  it("a worker that outgrows the function's memory is stopped: Runtime.OutOfMemory", async () => {
    const r = await invoke(lambda, "memory", { mb: 300, holdMs: 3_000 });
    expect(r.functionError).toBe("Unhandled");
    expect(r.payload.errorType).toBe("Runtime.OutOfMemory");
    const fine = await invoke(lambda, "memory", { mb: 1, holdMs: 0 });
    expect(fine.payload).toEqual({ held: 1024 * 1024 });
  });

  it("a response over 6 MB is Function.ResponseSizeTooLarge", async () => {
    const r = await invoke(lambda, "big", { bytes: 6 * 1024 * 1024 + 200 });
    expect(r.functionError).toBe("Unhandled");
    expect(r.payload.errorType).toBe("Function.ResponseSizeTooLarge");
    const ok = await invoke(lambda, "big", { bytes: 1000 });
    expect(ok.payload).toHaveLength(1000);
  });
});

describe("service errors: AWS's status, x-amzn-ErrorType and body, as the SDK's typed exceptions", () => {
  const send = (name: string, payload: Uint8Array | string) =>
    lambda.send(new InvokeCommand({ FunctionName: name, Payload: typeof payload === "string" ? Buffer.from(payload) : payload }));

  it("an unknown function or qualifier is ResourceNotFoundException", async () => {
    const error = await send("no-such-function", "{}").catch((e) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.message).toBe("Function not found: arn:aws:lambda:us-east-1:123456789012:function:no-such-function");
    const qualified = await lambda.send(new InvokeCommand({ FunctionName: "echo", Qualifier: "7" })).catch((e) => e);
    expect(qualified).toBeInstanceOf(ResourceNotFoundException);
  });

  it("a body that is not JSON is InvalidRequestContentException", async () => {
    const error = await send("echo", "{not json").catch((e) => e);
    expect(error).toBeInstanceOf(InvalidRequestContentException);
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(/^Could not parse request body into json/);
  });

  it("a payload over 6 MB is RequestTooLargeException", async () => {
    const body = `"${"x".repeat(6 * 1024 * 1024)}"`;
    const error = await send("echo", body).catch((e) => e);
    expect(error).toBeInstanceOf(RequestTooLargeException);
    expect(error.$metadata.httpStatusCode).toBe(413);
  });

  it("a handler that writes over the worker's Runtime API channel (fd 3) ends its sandbox, said in its log", async () => {
    const r = await invoke(lambda, "fd3", {}, { LogType: "Tail" });
    expect(r.functionError).toBe("Unhandled");
    expect(r.payload.errorType).toBe("Runtime.ExitError");
    expect(r.log.join("\n")).toContain("pipes emulator: the worker's Runtime API channel carried a frame header that is not JSON; the sandbox is stopped");
  });

  it("a 5 MB event reaches a Node.js and a Python handler whole, over the channel's many reads", async () => {
    const blob = `${"x".repeat(5 * 1024 * 1024)}12345678`;
    const node = await invoke(lambda, "event-size", { blob });
    expect(node.payload).toEqual({ length: blob.length, tail: "12345678" });
    const python = await invoke(lambda, "py", { blob });
    expect(python.payload.event.blob.length).toBe(blob.length);
  });
});
