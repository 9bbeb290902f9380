/**
 * The local Lambda-compatible service: `startEmulator()` → `{ url, close }`. It binds to 127.0.0.1 only,
 * never prints, and reports through typed events.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { isPythonRuntime } from "../facts/lambda.js";
import { EmulatorCore } from "./core.js";
import { readBodyAhead, sendAwsError } from "./http.js";
import { handleLambdaApi } from "./lambda-api.js";
import { handleLayersApi } from "./layers-api.js";
import { verifyHeaders, verifySignature, type EmulatorCredentials } from "./sigv4.js";
import { bodyLimit, declaredLength, discardUnreadBody, tooLargeMessage, UnverifiedBytes } from "./request-limits.js";
import { CONNECTION_LIMITS as CONNECTION_DEFAULTS, limitConnections, refusedConnection, TIMEOUT_CHECK_INTERVAL_MS, type ConnectionLimits } from "./connections.js";
import { refusal } from "./guard.js";
import { handleLogsApi } from "./logs/api.js";
import type { FunctionSpec, RegisteredFunction } from "./registry.js";
import { handleRuntimeApi } from "./runtime-api.js";

export type { EmulatorEvents, InvocationEnd, InvocationStart, InvocationStatus, LogLine } from "./events.js";
export type { FunctionSpec, RegisteredFunction } from "./registry.js";
export type { EmulatorCredentials } from "./sigv4.js";
export { REGION as EMULATOR_REGION } from "./registry.js";

export interface EmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  functions?: FunctionSpec[];
  /** What each function's log group keeps, oldest events dropped first (default 16 MB). */
  logRetentionBytes?: number;
  /** How long a request may take to send its body before its connection is closed (default 10 s). */
  bodyTimeoutMs?: number;
  /**
   * When given, every API request must be SigV4-signed with these (the signature is verified as AWS does), so no
   * one without the secret can invoke or deploy. Without them any signature is accepted.
   */
  credentials?: EmulatorCredentials;
  /**
   * The user's environment (PATH, PIPES_PYTHON, PIPES_NODE, the cache), where interpreters are looked up, and pip's
   * (PIP_*, HOME, XDG_CACHE_HOME) when it builds a function's requirements.txt (default process.env).
   */
  hostEnv?: NodeJS.ProcessEnv;
  /**
   * The functions whose Python interpreters are asked ahead, in the background (default: every one of `functions`):
   * a run that invokes no Python function starts no probe (a pyenv shim forks dozens of processes).
   */
  warm?: string[];
  /** Start each worker with a debugger, on ports from this one (0: free ports); see `pipes dev --inspect`. */
  inspectPort?: number;
  /** Keep-alive, header and request timeouts and the connection cap (defaults: connections.ts); for tests. */
  connections?: Partial<ConnectionLimits>;
  /** Bytes held at once for requests whose signature is not checked yet (default 256 MB); for tests. */
  unverifiedBytesLimit?: number;
}

const BODY_TIMEOUT_MS = 10_000;

export interface Emulator {
  url: string;
  port: number;
  /** The credentials requests must be signed with, when it checks signatures. */
  credentials: EmulatorCredentials | null;
  events: EmulatorCore["events"];
  register(spec: FunctionSpec): RegisteredFunction;
  /**
   * Stops the function's warm workers, so the next invocation starts fresh (e.g. its code changed); a function that
   * ran before gets a fresh worker started at once, so the next invocation does not wait for its process to start.
   */
  restart(functionName: string): void;
  /**
   * Starts one worker of each named function ahead of its first invocation (none where one is idle already), so
   * its process start overlaps the caller's own setup; resolves once they are started or given up. Their first
   * invocation is still a cold start, as on Lambda.
   */
  prewarm(functionNames: string[]): Promise<void>;
  /** Process ids of the worker processes alive now. */
  workerPids(): number[];
  /** Event invocations accepted and not finished: stopping now drops them. */
  eventsInFlight(): number;
  /** Stops every worker process and the server. Safe to call twice. */
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  let port = 0;
  const core = new EmulatorCore(() => `127.0.0.1:${port}`, options.logRetentionBytes, options.hostEnv, options.inspectPort);
  for (const spec of options.functions ?? []) core.register(spec);
  const warm = options.warm === undefined ? undefined : new Set(options.warm);
  core.warmPython((options.functions ?? []).filter((f) => !warm || warm.has(f.name)).map((f) => f.runtime).filter(isPythonRuntime));
  const bodyTimeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS;
  const unverified = new UnverifiedBytes(options.unverifiedBytesLimit);
  const server = createServer({ connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS }, (req, res) => {
    if (refusedConnection(req.socket)) {
      req.socket.destroy();
      return;
    }
    // A body that never comes is cut here, so slow sockets cannot pile up. Only the body is timed, never the wait
    // for an invocation's answer. Looked at once what the connection received is parsed: a body that came with its
    // headers (an Invoke's, mostly) is complete by then and needs no timer.
    process.nextTick(() => {
      if (req.complete || req.destroyed) return;
      const timer = setTimeout(() => req.complete || req.socket.destroy(), bodyTimeoutMs);
      timer.unref();
      req.once("close", () => clearTimeout(timer));
      req.once("end", () => clearTimeout(timer));
    });
    discardUnreadBody(req, res);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    route(req, res, url).catch((error: Error) => {
      if (!res.headersSent) sendAwsError(res, 500, "ServiceException", `pipes emulator: ${error.message}`, { capitalMessage: true });
      else res.destroy();
    });
  });
  const route = async (req: Parameters<typeof handleRuntimeApi>[0], res: Parameters<typeof handleRuntimeApi>[1], url: URL) => {
    // Everything here is decided from the headers alone: no body is read before the request is trusted.
    const refused = refusal(req.headers, url.pathname, port) ?? (options.credentials && !url.pathname.startsWith("/w/") ? verifyHeaders(req.rawHeaders, options.credentials, Date.now()) : null);
    if (refused) {
      sendAwsError(res, refused.status, refused.type, refused.message);
      return;
    }
    if (!url.pathname.startsWith("/w/")) {
      const invocationType = req.headers["x-amz-invocation-type"];
      const limit = bodyLimit(req.method ?? "GET", url.pathname, Array.isArray(invocationType) ? invocationType[0] : invocationType);
      const length = declaredLength(req);
      if (length !== null && length > limit.bytes) {
        sendAwsError(res, 413, "RequestTooLargeException", tooLargeMessage(limit));
        return;
      }
      // Read ahead of the route, within the bytes budget of requests not yet trusted (without credentials, none
      // ever is), and verified when there are credentials.
      const bodySha256 = await readBodyAhead(req, limit.bytes, unverified, options.credentials !== undefined);
      if (bodySha256 === "too-large") {
        sendAwsError(res, 413, "RequestTooLargeException", tooLargeMessage(limit));
        return;
      }
      if (bodySha256 === "busy") {
        sendAwsError(res, 503, "ServiceException", "pipes emulator: too many request bytes are waiting for their signature check; retry", {
          capitalMessage: true,
          headers: { "Retry-After": "1" },
        });
        return;
      }
      if (options.credentials) {
        const target = { method: req.method ?? "GET", target: req.url ?? "/", rawHeaders: req.rawHeaders, bodySha256 };
        const unsigned = verifySignature(target, options.credentials, Date.now());
        if (unsigned) {
          sendAwsError(res, unsigned.status, unsigned.type, unsigned.message);
          return;
        }
      }
    }
    if (url.pathname.startsWith("/w/") && (await handleRuntimeApi(req, res, url.pathname, core.pools))) return;
    if (url.pathname === "/" && (await handleLogsApi(req, res, core.logs))) return;
    if (await handleLambdaApi(req, res, url, core)) return;
    if (await handleLayersApi(req, res, url, core)) return;
    req.resume();
    sendAwsError(res, 404, "UnknownOperationException", `pipes emulator does not implement ${req.method} ${url.pathname}`);
  };
  limitConnections(server, { ...CONNECTION_DEFAULTS, ...options.connections });
  await listen(server, options.port ?? 0);
  port = (server.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    credentials: options.credentials ?? null,
    events: core.events,
    register: (spec) => core.register(spec),
    restart: (name) => {
      if (core.pools.retire(name)) void core.pools.prewarm(name);
    },
    prewarm: async (names) => {
      await Promise.all(names.map((name) => core.pools.prewarm(name)));
    },
    workerPids: () => core.pools.pids(),
    eventsInFlight: () => core.eventsInFlight,
    async close() {
      if (closed) return;
      closed = true;
      await core.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}
