// The Runtime API is each worker's own: another local process cannot take a worker's events or answer for it.
import { request } from "node:http";
import { describe, expect, it } from "vitest";
import { fn, invoke, withEmulator } from "../helpers/emulator.js";

function get(url: string, method = "GET", timeoutMs = 1500): Promise<number | "no answer"> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve("no answer");
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the Runtime API", () => {
  it("gives each worker an unguessable path, and refuses guessed ones", () =>
    withEmulator([fn("esm", "node/esm.handler"), fn("other", "node/esm.handler")], async (emulator, lambda) => {
      const a = await invoke(lambda, "esm", {});
      const b = await invoke(lambda, "other", {});
      const pathOf = (r: typeof a) => (r.payload.env.AWS_LAMBDA_RUNTIME_API as string).replace(/^127\.0\.0\.1:\d+/, "");
      expect(pathOf(a)).toMatch(/^\/w\/[0-9a-f]{32}$/);
      expect(pathOf(a)).not.toBe(pathOf(b));
      // Small numbers were the ids once: /w/1 would have handed this process the next event of a warm worker.
      for (const id of ["1", "2", "3"]) {
        expect(await get(`${emulator.url}/w/${id}/2018-06-01/runtime/invocation/next`)).toBe(410);
        expect(await get(`${emulator.url}/w/${id}/2018-06-01/runtime/invocation/x/response`, "POST")).toBe(410);
      }
      // And the warm workers still serve their own functions.
      expect((await invoke(lambda, "esm", {})).payload.invocations).toBe(2);
      expect((await invoke(lambda, "other", {})).payload.invocations).toBe(2);
    }));
});

describe("request bodies", () => {
  it("a body that never arrives gets its connection closed after the body timeout; invocations go on", async () => {
    const { connect } = await import("node:net");
    const { startEmulator } = await import("../../src/emulator/index.js");
    const { client } = await import("../helpers/emulator.js");
    const emulator = await startEmulator({ functions: [fn("esm", "node/esm.handler")], bodyTimeoutMs: 300 });
    const lambda = client(emulator);
    try {
      const stalled = await new Promise<{ closedAfterMs: number; answer: string }>((resolve, reject) => {
        const socket = connect(emulator.port, "127.0.0.1", () => {
          socket.write(`POST /2015-03-31/functions/esm/invocations HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20261202/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=0\r\nContent-Length: 100\r\n\r\n{"partial":`);
        });
        const opened = Date.now();
        let answer = "";
        socket.on("data", (d) => (answer += d));
        socket.on("close", () => resolve({ closedAfterMs: Date.now() - opened, answer }));
        socket.on("error", reject);
        setTimeout(() => reject(new Error("the stalled request was never closed")), 5000).unref();
      });
      expect(stalled.closedAfterMs).toBeGreaterThanOrEqual(250);
      expect(stalled.answer).toBe(""); // nothing was invoked for it
      expect((await invoke(lambda, "esm", {})).payload.invocations).toBe(1);
      // A slow invocation is not a slow body: its answer may take longer than the body timeout.
      const { InvokeCommand } = await import("@aws-sdk/client-lambda");
      emulator.register(fn("sleep", "node/sleep.handler"));
      const slow = await lambda.send(new InvokeCommand({ FunctionName: "sleep", Payload: Buffer.from('{"ms": 800}') }));
      expect(slow.FunctionError).toBeUndefined();
    } finally {
      lambda.destroy();
      await emulator.close();
    }
  });
});

describe("who may call", () => {
  it("refuses a CreateFunction sent as a web page would (foreign Host, Origin, text/plain, unsigned); the SDK still works", () =>
    withEmulator([fn("esm", "node/esm.handler")], async (emulator, lambda) => {
      const { zipSync, strToU8 } = await import("fflate");
      const body = JSON.stringify({
        FunctionName: "evil",
        Role: "r",
        Runtime: "nodejs24.x",
        Handler: "app.handler",
        Code: { ZipFile: Buffer.from(zipSync({ "app.mjs": strToU8("export const handler = async () => 'pwned';") })).toString("base64") },
      });
      const send = (headers: Record<string, string>) =>
        new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
          const req = request(`${emulator.url}/2015-03-31/functions`, { method: "POST", headers: { "Content-Type": "text/plain", ...headers } }, (res) => {
            res.resume();
            resolve({ status: res.statusCode!, type: res.headers["x-amzn-errortype"] as string | undefined });
          });
          req.on("error", reject);
          req.end(body);
        });
      const signed = { Authorization: "AWS4-HMAC-SHA256 Credential=a/20261202/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0" };
      expect(await send({ Host: "evil.example:80", Origin: "http://evil.example" })).toMatchObject({ status: 403, type: "AccessDeniedException" });
      expect(await send({ Host: "attacker.example", ...signed })).toMatchObject({ status: 403 }); // DNS rebinding
      expect(await send({ Origin: "http://evil.example", ...signed })).toMatchObject({ status: 403 });
      expect(await send({ "Sec-Fetch-Mode": "no-cors", ...signed })).toMatchObject({ status: 403 });
      expect(await send({})).toMatchObject({ status: 403, type: "MissingAuthenticationTokenException" });
      const { GetFunctionCommand } = await import("@aws-sdk/client-lambda");
      await expect(lambda.send(new GetFunctionCommand({ FunctionName: "evil" }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
      expect((await invoke(lambda, "esm", {})).status).toBe(200);
    }));
});
