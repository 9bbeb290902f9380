/**
 * How long the emulator keeps a connection and how many it keeps: idle keep-alive connections close after a few
 * seconds, a client gets a bounded time to send its headers and its request, and past a cap a new connection is
 * answered 503 and closed at once, so idle or slow clients cannot use up the process's file descriptors.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  /** An idle keep-alive connection is closed after this (the SDK reconnects, or retries a reset, transparently). */
  keepAliveMs: number;
  /** A client must send its request headers within this (then 408 and closed). */
  headersMs: number;
  /**
   * A client must send its whole request within this. Only receiving the request is timed: a worker's long wait on
   * /invocation/next, or a long invocation, is the answer's time and is not cut.
   */
  requestMs: number;
  /** Connections open at once; one more is answered 503 and closed. */
  maxConnections: number;
}

export const CONNECTION_LIMITS: ConnectionLimits = { keepAliveMs: 5_000, headersMs: 10_000, requestMs: 60_000, maxConnections: 1_000 };
/** How often Node checks the headers and request timeouts (its default, 30 s, would let them run late). */
export const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

const BUSY_BODY = JSON.stringify({
  Type: "Service",
  Message: "pipes emulator: too many open connections; close idle ones or retry later",
});
const BUSY_ANSWER =
  "HTTP/1.1 503 Service Unavailable\r\n" +
  "Content-Type: application/json\r\n" +
  "x-amzn-ErrorType: ServiceException\r\n" +
  "Retry-After: 1\r\n" +
  "Connection: close\r\n" +
  `Content-Length: ${Buffer.byteLength(BUSY_BODY)}\r\n\r\n${BUSY_BODY}`;

/** Connections answered 503: whatever request they still send is not served. */
const REFUSED = new WeakSet<Socket>();

/** True for a connection past the cap: its requests get no route (it was answered 503 and is closing). */
export function refusedConnection(socket: Socket): boolean {
  return REFUSED.has(socket);
}

/** Applies the limits to `server`; returns how many connections are open now. */
export function limitConnections(server: Server, limits: ConnectionLimits = CONNECTION_LIMITS): () => number {
  server.keepAliveTimeout = limits.keepAliveMs;
  server.headersTimeout = limits.headersMs;
  server.requestTimeout = limits.requestMs;
  const open = new Set<Socket>();
  // Before Node's HTTP layer takes the socket, so a refused one is marked before any request of it is parsed.
  server.prependListener("connection", (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      REFUSED.add(socket);
      socket.end(BUSY_ANSWER);
      setTimeout(() => socket.destroy(), 1_000).unref();
      return;
    }
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  return () => open.size;
}
