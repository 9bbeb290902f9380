import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Bodies read before routing (to verify their signature), by request: the routes read them from here. */
const READ_AHEAD = new WeakMap<IncomingMessage, { body: Buffer; size: number }>();

/** Reads a raw body up to `limit` bytes; returns "too-large" (having drained the rest) beyond it. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const ahead = READ_AHEAD.get(req);
  if (ahead) return ahead.size > limit ? "too-large" : ahead.body;
  return (await readHashedBody(req, limit)).body;
}

/**
 * Reads the body (keeping at most `limit` bytes, hashing all of it) ahead of the route that will use it, so its
 * SHA-256 can be checked against the request's signature first; the route's own `readBody` gets it from here.
 */
export async function readBodyAhead(req: IncomingMessage, limit: number): Promise<string> {
  const { body, size, sha256 } = await readHashedBody(req, limit);
  READ_AHEAD.set(req, { body: body === "too-large" ? Buffer.alloc(0) : body, size });
  return sha256;
}

function readHashedBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer | "too-large"; size: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const hash = createHash("sha256");
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      hash.update(chunk);
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve({ body: tooLarge ? "too-large" : Buffer.concat(chunks), size, sha256: hash.digest("hex") }));
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
