import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { Emulator } from "../../src/emulator/index.js";
import { startEmulator } from "../../src/emulator/index.js";
import { join } from "node:path";
import { client, fn, HANDLERS, invoke } from "../helpers/emulator.js";
import { leftAfter } from "../helpers/procs.js";
import { ROOT } from "../helpers/run-pipes.js";

const ISO = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";
let emulator: Emulator;
let lambda: LambdaClient;

beforeAll(async () => {
  process.env.PIPES_TEST_SECRET = "from-the-cli-environment";
  emulator = await startEmulator({
    functions: [
      fn("esm", "node/esm.handler", { environment: { FUNCTION_ONLY: "esm-value" }, memoryMb: 512 }),
      fn("other", "node/esm.handler"),
      // Callback handlers run on Node.js 22 and before; Lambda's Node.js 24 runtime refuses them.
      fn("callback", "node/callback.handler", { runtime: "nodejs22.x" }),
      fn("callback24", "node/callback.handler", { runtime: "nodejs24.x" }),
      fn("module-pkg", "node/module-pkg/app.handlers.main"),
      fn("plain-cjs", "node/plain-cjs.handler"),
      fn("py", "python/app.handler", { environment: { FUNCTION_ONLY: "py-value" } }),
      fn("py_paths", "python/paths.handler"),
      fn("py_writes", "python/app.writes", { concurrency: 1 }),
      fn("node_writes", "node/writes.handler", { concurrency: 1 }),
    ],
  });
  lambda = client(emulator);
});

afterAll(async () => {
  delete process.env.PIPES_TEST_SECRET;
  lambda.destroy();
  expect(await leftAfter(() => emulator.close())).toEqual([]);
});

describe("Invoke through @aws-sdk/client-lambda", () => {
  it("runs an ESM handler and returns its result with AWS's headers", async () => {
    const r = await invoke(lambda, "esm", { hello: "world" });
    expect(r.status).toBe(200);
    expect(r.functionError).toBeUndefined();
    expect(r.executedVersion).toBe("$LATEST");
    expect(r.payload.event).toEqual({ hello: "world" });
    expect(r.payload.context).toMatchObject({
      awsRequestId: r.requestId,
      functionName: "esm",
      functionVersion: "$LATEST",
      memoryLimitInMB: "512",
      invokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:esm",
      logGroupName: "/aws/lambda/esm",
      clientContext: null,
    });
    expect(r.payload.context.logStreamName).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(r.payload.context.remaining).toBeGreaterThan(5_000);
    expect(r.payload.context.remaining).toBeLessThanOrEqual(10_000);
  });

  it("returns the invocation's log as a Tail, line by line as Lambda writes it", async () => {
    const r = await invoke(lambda, "esm", {});
    const id = r.requestId!;
    const tab = "\\t";
    const expected = [
      new RegExp(`^START RequestId: ${id} Version: \\$LATEST$`),
      new RegExp(`^${ISO}${tab}${id}${tab}INFO${tab}event received \\{ keys: \\[\\] \\}$`),
      new RegExp(`^${ISO}${tab}${id}${tab}WARN${tab}a warning\\rwith two lines$`),
      new RegExp(`^${ISO}${tab}${id}${tab}ERROR${tab}an error line$`),
      /^raw stderr line$/,
      new RegExp(`^END RequestId: ${id}$`),
      new RegExp(`^REPORT RequestId: ${id}${tab}Duration: \\d+\\.\\d\\d ms${tab}Billed Duration: \\d+ ms${tab}Memory Size: 512 MB${tab}Max Memory Used: \\d+ MB${tab}$`),
    ];
    expect(r.log).toHaveLength(expected.length);
    for (const [i, line] of r.log.entries()) expect(line).toMatch(expected[i]!);
    const used = Number(/Max Memory Used: (\d+) MB/.exec(r.log.at(-1)!)![1]);
    expect(used).toBeGreaterThan(10); // the worker's real resident memory
    expect(used).toBeLessThan(512);
  });

  it("reports Init Duration on the cold start only, and keeps module state warm", async () => {
    const first = await invoke(lambda, "other");
    const second = await invoke(lambda, "other");
    expect(first.log.at(-1)).toMatch(/\tInit Duration: \d+\.\d\d ms\t$/);
    expect(second.log.at(-1)).not.toMatch(/Init Duration/);
    expect(second.payload.invocations).toBe(first.payload.invocations + 1);
  });

  it("gives each function a clean environment: its own variables and Lambda's, nothing else", async () => {
    const esm = (await invoke(lambda, "esm")).payload;
    const other = (await invoke(lambda, "other")).payload;
    expect(esm.env).toMatchObject({
      FUNCTION_ONLY: "esm-value",
      PIPES_TEST_SECRET: null,
      AWS_LAMBDA_FUNCTION_NAME: "esm",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "512",
      AWS_LAMBDA_FUNCTION_VERSION: "$LATEST",
      AWS_LAMBDA_LOG_GROUP_NAME: "/aws/lambda/esm",
      AWS_REGION: "us-east-1",
      _HANDLER: "node/esm.handler",
      TZ: ":UTC",
    });
    // The task root shows the function's folder, from outside the project (nothing above it to import from).
    const { realpathSync } = await import("node:fs");
    expect(realpathSync(join(esm.env.LAMBDA_TASK_ROOT, "node/esm.mjs"))).toBe(realpathSync(join(HANDLERS, "node/esm.mjs")));
    expect(esm.env.LAMBDA_TASK_ROOT.startsWith(ROOT)).toBe(false);
    expect(other.env.FUNCTION_ONLY).toBeNull();
    expect(other.env.PIPES_TEST_SECRET).toBeNull();
    const py = (await invoke(lambda, "py")).payload;
    expect([py.function_only, py.secret]).toEqual(["py-value", null]);
  });

  it("imports Python modules from the function's folder first, then the interpreter's own, never from pipes' runtime", async () => {
    const { path, cwd } = (await invoke(lambda, "py_paths")).payload;
    expect(path[0]).toBe(HANDLERS);
    expect(cwd).toBe(HANDLERS);
    expect(path.filter((p: string) => p === "" || p.includes("src/emulator/runtimes") || p.startsWith(ROOT) && p !== HANDLERS)).toEqual([]);
  });

  it("passes X-Amz-Client-Context to the handler's context", async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { team: "data" } })).toString("base64");
    const node = await invoke(lambda, "esm", {}, { ClientContext: clientContext });
    expect(node.payload.context.clientContext).toEqual({ custom: { team: "data" } });
    const py = await invoke(lambda, "py", {}, { ClientContext: clientContext });
    expect(py.payload.context.client_custom).toEqual({ team: "data" });
  });

  it("runs CommonJS (.cjs, plain .js) and callback handlers, and nested exports of a type-module package", async () => {
    const cb = await invoke(lambda, "callback", { n: 21 });
    expect(cb.payload).toEqual({ style: "callback", requestId: cb.requestId, n: 42 });
    // On nodejs24.x a callback handler (three parameters) fails at init, as on Lambda.
    const refused = await invoke(lambda, "callback24", { n: 21 });
    expect(refused.functionError).toBe("Unhandled");
    expect(refused.payload.errorType).toBe("Runtime.CallbackHandlerDeprecated");
    expect(refused.payload.errorMessage).toMatch(/^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./);
    const nested = await invoke(lambda, "module-pkg", { value: "v" });
    expect(nested.payload).toEqual({ nested: true, echo: "v" });
    // A .js file with no package.json in the function's folder is CommonJS, as in a Lambda zip, even though
    // a package.json further up (this repository's) says "type": "module".
    const cjs = await invoke(lambda, "plain-cjs", { n: 21 });
    expect(cjs.payload).toEqual({ format: "object", doubled: 42 });
  });

  it("runs Python handlers with a real LambdaContext, print raw and logging in Lambda's format", async () => {
    const r = await invoke(lambda, "py", { n: 1 });
    expect(r.payload.event).toEqual({ n: 1 });
    expect(r.payload.context).toMatchObject({
      aws_request_id: r.requestId,
      function_name: "py",
      memory_limit_in_mb: "256",
      invoked_function_arn: "arn:aws:lambda:us-east-1:123456789012:function:py",
      log_group_name: "/aws/lambda/py",
    });
    expect(r.payload.context.remaining).toBeGreaterThan(5_000);
    expect(r.log).toContain("printed line");
    expect(r.log).toContainEqual(expect.stringMatching(new RegExp(`^\\[WARNING\\]\\t${ISO}\\t${r.requestId}\\ta logged warning$`)));
    // One line per record, as Lambda's log has it: the format's own "\n" ends it (before, the stream handler's
    // terminator added an empty line after each record).
    expect(r.logText).toMatch(/^START RequestId: \S+ Version: \$LATEST\nprinted line\n\[WARNING\][^\n]*\ta logged warning\nEND RequestId/);
    const again = await invoke(lambda, "py");
    expect(again.payload.invocations).toBe(r.payload.invocations + 1);
  });

  // The Python runtime ends an invocation's output with fences, or, when its stdout and stderr are read to the
  // end already, with nothing: either way each invocation's log holds exactly what it wrote.
  it("gives each Python invocation its own output, an unterminated last line and fd-level writes included", async () => {
    const body = (r: { log: string[] }) => r.log.slice(1, -2);
    for (let i = 0; i < 20; i++) {
      const silent = await invoke(lambda, "py_writes", {});
      expect(silent.log[0]).toMatch(/^START RequestId: /);
      expect(silent.log.at(-2)).toBe(`END RequestId: ${silent.requestId}`);
      expect(body(silent)).toEqual([]);
      expect(body(await invoke(lambda, "py_writes", { text: `unterminated ${i}` }))).toEqual([`unterminated ${i}`]);
      expect(body(await invoke(lambda, "py_writes", { raw: `raw ${i}\n` }))).toEqual([`raw ${i}`]);
      expect(body(await invoke(lambda, "py_writes", { text: "a\nb", raw: "c\n" }))).toEqual(["a", "bc"]);
    }
  });

  it("ends a Python invocation's character cut short in its own log, not at the start of the next one's", async () => {
    const body = (r: { log: string[] }) => r.log.slice(1, -2);
    for (let i = 0; i < 5; i++) {
      // Before: with the output drained (no fences), the two bytes waited in the stream's decoder, and the next
      // invocation's first line began with U+FFFD: a pipes message there would no longer start with "{".
      expect(body(await invoke(lambda, "py_writes", { half_char: true }))).toEqual(["x\uFFFD"]);
      expect(body(await invoke(lambda, "py_writes", { raw: "{}\n" }))).toEqual(["{}"]);
    }
  });

  // The Node.js runtime ends an invocation's output with fences only when some of it is still queued in the
  // process; otherwise the emulator reads what the pipes hold before it writes END. Either way each invocation's
  // log holds exactly what it wrote, however it was written, and the next one starts clean.
  it("gives each Node.js invocation its own output, however written, an unterminated last line included", async () => {
    const body = (r: { log: string[] }) => r.log.slice(1, -2);
    const logged = (r: { requestId: string | undefined }, message: string) => new RegExp(`^${ISO}\t${r.requestId}\tINFO\t${message}$`);
    for (let i = 0; i < 20; i++) {
      const silent = await invoke(lambda, "node_writes", {});
      expect(silent.log[0]).toBe(`START RequestId: ${silent.requestId} Version: $LATEST`);
      expect(silent.log.at(-2)).toBe(`END RequestId: ${silent.requestId}`);
      expect(body(silent)).toEqual([]);
      expect(body(await invoke(lambda, "node_writes", { text: `unterminated ${i}` }))).toEqual([`unterminated ${i}`]);
      expect(body(await invoke(lambda, "node_writes", { err: `to stderr ${i}` }))).toEqual([`to stderr ${i}`]);
      const log = await invoke(lambda, "node_writes", { log: `console ${i}` });
      expect(body(log)).toHaveLength(1);
      expect(body(log)[0]).toMatch(logged(log, `console ${i}`));
      expect(body(await invoke(lambda, "node_writes", { raw: `raw ${i}\n` }))).toEqual([`raw ${i}`]);
      expect(body(await invoke(lambda, "node_writes", { child: `child ${i}\n` }))).toEqual([`child ${i}`]);
      expect(body(await invoke(lambda, "node_writes", { text: "a\nb", raw: "c", child: "d\n" }))).toEqual(["a", "bcd"]);
    }
  });

  it("accepts names, partial and full ARNs and the $LATEST qualifier", async () => {
    for (const name of ["esm", "esm:$LATEST", "123456789012:function:esm", "arn:aws:lambda:us-east-1:123456789012:function:esm"]) {
      expect((await invoke(lambda, name)).payload.context.functionName).toBe("esm");
    }
    expect((await invoke(lambda, "esm", {}, { Qualifier: "$LATEST" })).status).toBe(200);
  });

  it("leaves out the log unless Tail is asked for, and treats an empty body as {}", async () => {
    const r = await invoke(lambda, "esm", {}, { LogType: "None", Payload: undefined });
    expect(r.log).toEqual([]);
    expect(r.payload.event).toEqual({});
  });
});
