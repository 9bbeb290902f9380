// No request is read before it is trusted: a bogus signature is refused from its headers, a body over its
// operation's limit is refused from its Content-Length before it is sent, a chunked one is cut at the limit, and the
// bytes held for requests not yet verified are bounded. Signed calls by the real SDK still work.
import { InvokeCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { fn, invoke } from "../helpers/emulator.js";
import { rawRequest } from "../helpers/raw-http.js";
import { FIXTURES, startPipes, type Running } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const credentials = { accessKeyId: "AKIAPIPESLIMITS", secretAccessKey: "the-limits-secret" };
let running: Running | undefined;
let emulator: Emulator | undefined;
afterEach(async () => {
  running?.child.kill("SIGKILL");
  running = undefined;
  await emulator?.close();
  emulator = undefined;
});
afterAll(async () => {
  await emulator?.close();
});

/** The resident set of a process, in bytes, from /proc/<pid>/status (`VmRSS`, or `VmHWM` for its peak). */
function memory(pid: number, field: "VmRSS" | "VmHWM"): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith(`${field}:`))!;
  return Number(/(\d+)/.exec(line)![1]) * 1024;
}

function amzDate(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

const head = (port: number, method: string, path: string, headers: Record<string, string | number>) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;

describe("request bodies", () => {
  it("20 bogus-signed 60 MB bodies to `pipes emulator --credentials` are refused 403 without the emulator's memory growing", async () => {
    const home = tempDir();
    const credentialsFile = join(home, "credentials");
    writeFileSync(credentialsFile, `[limits]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`);
    running = startPipes(["emulator", "-f", join(FIXTURES, "orders/defs.ts"), "--port", "0", "--credentials", "limits"], {
      env: { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: join(home, "config") },
    });
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const port = Number(new URL(url!).port);
    const pid = running.child.pid!;
    const before = memory(pid, "VmRSS");
    const body = Buffer.alloc(60 * 1024 * 1024, 0x20);
    const date = amzDate();
    const bogus = [
      `AWS4-HMAC-SHA256 Credential=AKIAWRONGKEY/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
      `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/19990101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"1".repeat(64)}`,
      "AWS4-HMAC-SHA256 garbage",
    ];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        rawRequest(
          port,
          head(port, "POST", "/2015-03-31/functions", { Authorization: bogus[i % bogus.length]!, "X-Amz-Date": i % 3 === 1 ? "19990101T000000Z" : date, "Content-Length": body.length }),
          body,
          60_000,
        ).catch(() => ({ status: 0 })),
      ),
    );
    const grew = memory(pid, "VmHWM") - before;
    console.log(`emulator RSS ${Math.round(before / 2 ** 20)} MB before, peak ${Math.round(memory(pid, "VmHWM") / 2 ** 20)} MB after 20 × 60 MB bogus-signed bodies`);
    // Before the fix every body was read whole first: 20 × 60 MB. A generous bound, for a loaded machine.
    expect(grew).toBeLessThan(200 * 1024 * 1024);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(403));
    // The signed SDK still gets in.
    const lambda = new LambdaClient({ endpoint: url!, region: "us-east-1", credentials, maxAttempts: 1 });
    const listed = await lambda.send(new ListFunctionsCommand({}));
    expect(listed.Functions?.map((f) => f.FunctionName)).toContain("orders_ingest");
    expect((await invoke(lambda, "orders_ingest", { day: "2024-02-02" })).payload.orders).toHaveLength(3);
    lambda.destroy();
    running.child.kill("SIGINT");
    expect((await running.exited).code).toBe(0);
  }, 120_000);

  it("a Content-Length over the operation's limit is answered 413 before the body is sent", async () => {
    emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler")], bodyTimeoutMs: 60_000 });
    const port = emulator.port;
    const auth = { Authorization: "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x" };
    const cases = [
      { path: "/2015-03-31/functions/sleep/invocations", extra: {}, length: 6 * 1024 * 1024 + 1, operation: "InvokeFunction", limit: 6291456 },
      { path: "/2015-03-31/functions/sleep/invocations", extra: { "X-Amz-Invocation-Type": "Event" }, length: 1024 * 1024 + 1, operation: "InvokeFunction", limit: 1048576 },
      { path: "/2015-03-31/functions", extra: {}, length: 80_000_000, operation: "CreateFunction", limit: 70167211 },
    ];
    for (const c of cases) {
      // Only the head is sent: the answer must come without the body.
      const answer = await rawRequest(port, head(port, c.path.endsWith("functions") ? "POST" : "POST", c.path, { ...auth, ...c.extra, "Content-Length": c.length }), undefined, 20_000);
      expect(answer.status).toBe(413);
      expect(answer.headers["x-amzn-errortype"]).toBe("RequestTooLargeException");
      expect(JSON.parse(answer.body).message).toBe(`Request must be smaller than ${c.limit} bytes for the ${c.operation} operation`);
    }
    const update = await rawRequest(port, head(port, "PUT", "/2015-03-31/functions/sleep/code", { ...auth, "Content-Length": 80_000_000 }));
    expect(update.status).toBe(413);
    expect(JSON.parse(update.body).message).toContain("UpdateFunctionCode");
  });

  it("a chunked body is cut at the limit: 413, and the connection is closed", async () => {
    emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler")] });
    const port = emulator.port;
    const auth = "AWS4-HMAC-SHA256 Credential=a/20240101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=x";
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    // 8 chunks of 1 MB, past the 6 MB limit, with no end: only a cut ends this request.
    const chunks = Buffer.concat(Array.from({ length: 8 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])));
    const answer = await rawRequest(port, head(port, "POST", "/2015-03-31/functions/sleep/invocations", { Authorization: auth, "Transfer-Encoding": "chunked" }), chunks);
    expect(answer.status).toBe(413);
    expect(answer.headers["x-amzn-errortype"]).toBe("RequestTooLargeException");
    expect(answer.closed).toBe(true);
    // A payload within the limit still runs.
    const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" }, maxAttempts: 1 });
    const r = await lambda.send(new InvokeCommand({ FunctionName: "sleep", Payload: Buffer.from(JSON.stringify({ ms: 1, pad: "x".repeat(5 * 1024 * 1024) })) }));
    expect(r.StatusCode).toBe(200);
    lambda.destroy();
  });

  it("bytes awaiting their signature check are bounded: past the bound, 503 and nothing more is read", async () => {
    emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler")], credentials, unverifiedBytesLimit: 1024 * 1024 });
    const port = emulator.port;
    const date = amzDate();
    const authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${date.slice(0, 8)}/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"2".repeat(64)}`;
    const body = Buffer.alloc(3 * 1024 * 1024, 0x20);
    const answer = await rawRequest(port, head(port, "POST", "/2015-03-31/functions/sleep/invocations", { Authorization: authorization, "X-Amz-Date": date, "Content-Length": body.length }), body);
    expect(answer.status).toBe(503);
    expect(answer.headers["x-amzn-errortype"]).toBe("ServiceException");
    // Within the bound, a request is read and its bad signature refused as before; a signed one runs.
    const small = await rawRequest(port, head(port, "POST", "/2015-03-31/functions/sleep/invocations", { Authorization: authorization, "X-Amz-Date": date, "Content-Length": 2 }), Buffer.from("{}"));
    expect(small.status).toBe(403);
    expect(small.headers["x-amzn-errortype"]).toBe("InvalidSignatureException");
    const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials, maxAttempts: 1 });
    expect((await invoke(lambda, "sleep", { ms: 1 })).status).toBe(200);
    lambda.destroy();
    await emulator.close();
    // Without credentials no request is ever trusted: the same bound holds.
    emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler")], unverifiedBytesLimit: 1024 * 1024 });
    const open = await rawRequest(emulator.port, head(emulator.port, "POST", "/2015-03-31/functions/sleep/invocations", { Authorization: authorization, "X-Amz-Date": date, "Content-Length": body.length }), body);
    expect(open.status).toBe(503);
  });
});
