import { InvokeCommand } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { createClients } from "../../src/lambda/clients.js";
import { EMULATOR_PACING } from "../../src/lambda/logs-channel.js";
import { fn, waitUntil, withEmulator } from "../helpers/emulator.js";

describe("the Lambda client of a target", () => {
  it("interrupt() lets every Invoke in flight go at once, and the client keeps working", () =>
    withEmulator([fn("sleep", "node/sleep.handler", { concurrency: 4 })], async (emulator) => {
      const clients = await createClients({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" } }, EMULATOR_PACING);
      try {
        const sleep = (ms: number) => clients.lambda.send(new InvokeCommand({ FunctionName: "sleep", Payload: Buffer.from(JSON.stringify({ ms })) }));
        let started = 0;
        emulator.events.on("invocation-start", () => started++);
        const inFlight = [1, 2, 3].map(() => sleep(8_000).then(() => "answered", (error: Error) => error.name));
        await waitUntil(() => started === 3);
        const interruptedAt = performance.now();
        clients.interrupt();
        expect(await Promise.all(inFlight)).toEqual(["AbortError", "AbortError", "AbortError"]);
        expect(performance.now() - interruptedAt).toBeLessThan(6_000); // at once: the calls had 8 s to go
        // The three go on running, as on Lambda; a new request (to the fourth sandbox) goes out as usual.
        const next = await sleep(0);
        expect(next.StatusCode).toBe(200);
      } finally {
        clients.destroy();
      }
    }));
});
