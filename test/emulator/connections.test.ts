// Connections are bounded: an idle keep-alive connection closes after a few seconds, one that never sends its
// headers is answered 408 and closed, past the cap a new connection gets 503 and is closed, and signed SDK calls
// still work throughout.
import { LambdaClient } from "@aws-sdk/client-lambda";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { fn, invoke } from "../helpers/emulator.js";
import { closesWithin, idleSocket, rawRequest } from "../helpers/raw-http.js";

const credentials = { accessKeyId: "AKIAPIPESCONN", secretAccessKey: "the-connections-secret" };
let emulator: Emulator | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await emulator?.close();
  emulator = undefined;
});

describe("connections", () => {
  it("an idle keep-alive connection is closed after 5 s, and one that sends nothing after 10 s", async () => {
    emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler")], credentials });
    const silent = await idleSocket(emulator.port);
    sockets.push(silent);
    const silentClosed = closesWithin(silent, 30_000);
    // A request answered on a keep-alive connection, which then stays idle.
    const kept = await idleSocket(emulator.port);
    sockets.push(kept);
    const answered = new Promise<string>((resolve) => kept.once("data", (d: Buffer) => resolve(d.toString("latin1"))));
    kept.write(`GET /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1:${emulator.port}\r\nConnection: keep-alive\r\n\r\n`);
    expect(await answered).toMatch(/^HTTP\/1\.1 403/);
    const keptClosed = await closesWithin(kept, 20_000);
    // Before: 60 s of keep-alive, and no header timeout checked for 30 s.
    expect(keptClosed).not.toBeNull();
    expect(keptClosed!).toBeGreaterThan(3_000);
    expect(await silentClosed).not.toBeNull();
    const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials, maxAttempts: 3 });
    expect((await invoke(lambda, "sleep", { ms: 1 })).status).toBe(200);
    lambda.destroy();
  }, 60_000);

  it("past the connection cap a new connection is answered 503 and closed; signed SDK calls work again once idle ones go", async () => {
    emulator = await startEmulator({ functions: [fn("sleep", "node/sleep.handler")], credentials, connections: { maxConnections: 20 } });
    const port = emulator.port;
    // A signed client holding a warm connection works while the cap is reached by others.
    const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials, maxAttempts: 1 });
    expect((await invoke(lambda, "sleep", { ms: 1 })).status).toBe(200);
    for (let i = 0; i < 19; i++) sockets.push(await idleSocket(port));
    const answer = await rawRequest(port, `GET /2015-03-31/functions HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(answer.status).toBe(503);
    expect(answer.headers["x-amzn-errortype"]).toBe("ServiceException");
    expect(JSON.parse(answer.body).Message).toMatch(/too many open connections/);
    expect(answer.closed).toBe(true);
    expect((await invoke(lambda, "sleep", { ms: 1 })).status).toBe(200);
    for (const socket of sockets.splice(0)) socket.destroy();
    const fresh = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials, maxAttempts: 3 });
    expect((await invoke(fresh, "sleep", { ms: 1 })).status).toBe(200);
    fresh.destroy();
    lambda.destroy();
  });
});
