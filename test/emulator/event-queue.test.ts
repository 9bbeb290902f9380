// The Event queue is bounded: Event invocations of a function that cannot keep up are accepted (202) until their
// payloads hold 64 MB, then refused as AWS refuses a call it cannot take (429 TooManyRequestsException with a
// Reason), and accepted again once the backlog drains. The total over all functions has its own bound.
import { InvokeCommand, TooManyRequestsException } from "@aws-sdk/client-lambda";
import { describe, expect, it } from "vitest";
import { EVENT_QUEUE_BYTES_PER_FUNCTION, EventQueue } from "../../src/emulator/event-queue.js";
import { client, fn } from "../helpers/emulator.js";
import { startEmulator } from "../../src/emulator/index.js";

describe("the Event queue", () => {
  it("a function with reserved concurrency 1: Event payloads past 64 MB queued are refused 429 with a Reason", async () => {
    const emulator = await startEmulator({ functions: [fn("slow", "node/sleep.handler", { concurrency: 1, reservedConcurrency: true, timeoutSeconds: 60 })] });
    const lambda = client(emulator, 1);
    try {
      const payload = Buffer.from(JSON.stringify({ ms: 30_000, pad: "x".repeat(1_000_000) }));
      const fits = Math.floor(EVENT_QUEUE_BYTES_PER_FUNCTION / payload.length);
      const answers: (number | string)[] = [];
      let refusal: TooManyRequestsException | undefined;
      for (let i = 0; i < fits + 5; i++) {
        try {
          const r = await lambda.send(new InvokeCommand({ FunctionName: "slow", InvocationType: "Event", Payload: payload }));
          answers.push(r.StatusCode!);
        } catch (error) {
          refusal ??= error as TooManyRequestsException;
          answers.push((error as Error).name);
        }
      }
      expect(answers.slice(0, fits)).toEqual(Array(fits).fill(202));
      expect(answers.slice(fits)).toEqual(Array(5).fill("TooManyRequestsException"));
      expect(refusal).toBeInstanceOf(TooManyRequestsException);
      expect(refusal!.$metadata.httpStatusCode).toBe(429);
      expect(refusal!.Reason).toBe("FunctionInvocationRateLimitExceeded");
      // Only the accepted ones are queued (the refused hold nothing).
      expect(emulator.eventsInFlight()).toBe(fits);
    } finally {
      lambda.destroy();
      await emulator.close();
    }
  }, 60_000);

  it("bounds each function and the total, and gives bytes back when an invocation ends", () => {
    const queue = new EventQueue(10, 25);
    expect(queue.admit("a", 10)).toBeNull();
    expect(queue.admit("a", 1)).toBe("FunctionInvocationRateLimitExceeded");
    expect(queue.admit("b", 10)).toBeNull();
    expect(queue.admit("c", 6)).toBe("ConcurrentInvocationLimitExceeded");
    expect(queue.admit("c", 5)).toBeNull();
    queue.release("a", 10);
    expect(queue.bytes("a")).toBe(0);
    expect(queue.admit("a", 10)).toBeNull();
    expect(queue.bytes()).toBe(25);
  });
});
