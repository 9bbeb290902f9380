/**
 * How much of a request the emulator reads, and when it reads it: each operation's body limit (AWS's own, from
 * src/facts/lambda.ts), refused from Content-Length before a byte of the body is read, and a bound on the bytes held
 * for requests whose signature is not checked yet, so hostile clients cannot make it buffer without limit.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ASYNC_PAYLOAD_LIMIT, CODE_UPLOAD_REQUEST_LIMIT, SYNC_PAYLOAD_LIMIT } from "../facts/lambda.js";

/** Any other API call carries settings (environment variables: 4 KB on AWS) or a query: 1 MB is plenty. */
export const OTHER_REQUEST_LIMIT = 1024 * 1024;
/** Bytes held at once for requests whose signature is not verified yet (a signed CreateFunction may be 70 MB). */
export const UNVERIFIED_BYTES_LIMIT = 256 * 1024 * 1024;
/** How long the rest of a body answered before it was read is thrown away before its connection is closed. */
const LINGER_MS = 2_000;

export interface BodyLimit {
  bytes: number;
  /** The operation, as AWS names it in its "Request must be smaller than N bytes for the X operation". */
  operation: string;
}

const INVOKE = /^\/2015-03-31\/functions\/[^/]+\/invocations\/?$/;
const CODE = /^\/2015-03-31\/functions\/[^/]+\/code\/?$/;
const FUNCTIONS = /^\/2015-03-31\/functions\/?$/;
const LAYER_VERSIONS = /^\/2018-10-31\/layers\/[^/]+\/versions\/?$/;

/** The largest body the request's operation takes. */
export function bodyLimit(method: string, pathname: string, invocationType: string | undefined): BodyLimit {
  if (method === "POST" && INVOKE.test(pathname)) {
    return { bytes: invocationType === "Event" ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT, operation: "InvokeFunction" };
  }
  if (method === "POST" && FUNCTIONS.test(pathname)) return { bytes: CODE_UPLOAD_REQUEST_LIMIT, operation: "CreateFunction" };
  if (method === "POST" && LAYER_VERSIONS.test(pathname)) return { bytes: CODE_UPLOAD_REQUEST_LIMIT, operation: "PublishLayerVersion" };
  if (method === "PUT" && CODE.test(pathname)) return { bytes: CODE_UPLOAD_REQUEST_LIMIT, operation: "UpdateFunctionCode" };
  return { bytes: OTHER_REQUEST_LIMIT, operation: "this" };
}

/** The declared Content-Length, or null for a chunked body (counted as it streams instead). */
export function declaredLength(req: IncomingMessage): number | null {
  const value = req.headers["content-length"];
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export function tooLargeMessage(limit: BodyLimit): string {
  return `Request must be smaller than ${limit.bytes} bytes for the ${limit.operation} operation`;
}

/**
 * When an answer goes out before its request's body was read whole (refused, or too large), the rest is read and
 * thrown away (never kept) for a short while, then the connection is closed. Closing at once would reset it while
 * the client still sends, and a reset can make the client lose the answer already on its way.
 */
export function discardUnreadBody(req: IncomingMessage, res: ServerResponse): void {
  res.once("finish", () => {
    if (req.complete) return;
    req.removeAllListeners("data");
    req.resume();
    const socket = req.socket;
    const timer = setTimeout(() => req.complete || socket.destroy(), LINGER_MS);
    timer.unref();
    req.once("end", () => clearTimeout(timer));
    socket.once("close", () => clearTimeout(timer));
  });
}

/** The bytes held for requests not yet authenticated, across all connections. */
export class UnverifiedBytes {
  private held = 0;

  constructor(private readonly limit = UNVERIFIED_BYTES_LIMIT) {}

  /** Takes `n` bytes from the budget; false (and nothing taken) when that would pass the limit. */
  take(n: number): boolean {
    if (this.held + n > this.limit) return false;
    this.held += n;
    return true;
  }

  give(n: number): void {
    this.held = Math.max(0, this.held - n);
  }

  inUse(): number {
    return this.held;
  }
}
