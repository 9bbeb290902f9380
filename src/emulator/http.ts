import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Reads a raw body up to `limit` bytes; returns "too-large" (having drained the rest) beyond it. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
    // A body cut off (by its client, or by the emulator's body timeout) ends the wait too.
    req.on("close", () => req.complete || reject(new Error("the request body was not received")));
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
    "x-amzn-RequestId": headers["x-amzn-RequestId"] ?? randomUUID(),
    ...headers,
  });
  res.end(text);
}

/**
 * An AWS service error as the SDK parses it: the code in `x-amzn-ErrorType`, the message in the body
 * (`Message` for some exceptions, `message` for others, as Lambda's model has it).
 */
export function sendAwsError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  extra: { capitalMessage?: boolean; body?: Record<string, unknown>; headers?: Record<string, string> } = {},
): void {
  const body = { Type: status >= 500 ? "Service" : "User", [extra.capitalMessage ? "Message" : "message"]: message, ...extra.body };
  sendJson(res, status, body, { "x-amzn-ErrorType": type, ...extra.headers });
}
