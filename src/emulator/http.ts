import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Bodies read before routing (to verify their signature), by request: the routes read them from here. */
const READ_AHEAD = new WeakMap<IncomingMessage, { body: Buffer; size: number }>();

/**
 * Reads a raw body up to `limit` bytes; past it, "too-large", and the rest is not kept (it is thrown away once
 * the answer is out: see request-limits.ts).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too-large"> {
  const ahead = READ_AHEAD.get(req);
  if (ahead) return ahead.size > limit ? "too-large" : ahead.body;
  const read = await readHashedBody(req, limit);
  return read.body === "busy" ? "too-large" : read.body;
}

/** Bytes held by requests not yet verified, across connections (request-limits.ts's UnverifiedBytes). */
export interface ByteBudget {
  take(n: number): boolean;
  give(n: number): void;
}

/**
 * Reads the body (at most `limit` bytes) ahead of the route that will use it, so its SHA-256 can be checked against
 * the request's signature first (with `hash`; "" without); the route's own `readBody` gets it from here. The bytes
 * count against `budget` while they are read: "busy" when it is spent, "too-large" past `limit`; neither reads further.
 */
export async function readBodyAhead(req: IncomingMessage, limit: number, budget: ByteBudget, hash = true): Promise<string | "too-large" | "busy"> {
  const { body, size, sha256 } = await readHashedBody(req, limit, budget, hash);
  if (body === "too-large" || body === "busy") return body;
  READ_AHEAD.set(req, { body, size });
  return sha256;
}

function readHashedBody(
  req: IncomingMessage,
  limit: number,
  budget?: ByteBudget,
  hashed = false,
): Promise<{ body: Buffer | "too-large" | "busy"; size: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    // Only a signature check needs the hash: without credentials none is made (a hash object per request showed).
    const hash = hashed ? createHash("sha256") : undefined;
    let size = 0;
    let taken = 0;
    const finish = (result: { body: Buffer | "too-large" | "busy"; size: number; sha256: string }) => {
      req.off("data", onData);
      req.pause(); // what is left is thrown away once the answer is out (request-limits.ts), or read by the route
      budget?.give(taken);
      taken = 0;
      resolve(result);
    };
    const stop = (why: "too-large" | "busy") => {
      chunks.length = 0;
      finish({ body: why, size, sha256: "" });
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return stop("too-large");
      if (budget) {
        if (!budget.take(chunk.length)) return stop("busy");
        taken += chunk.length;
      }
      hash?.update(chunk);
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.on("end", () => finish({ body: Buffer.concat(chunks), size, sha256: hash?.digest("hex") ?? "" }));
    req.on("error", (error) => {
      budget?.give(taken);
      taken = 0;
      reject(error);
    });
    // A body cut off (by its client, or by the emulator's body timeout) ends the wait too.
    req.on("close", () => {
      if (req.complete) return;
      budget?.give(taken);
      taken = 0;
      reject(new Error("the request body was not received"));
    });
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
