/**
 * The Lambda Runtime API (`/2018-06-01/runtime/...`) of each worker, over two transports that call the same
 * Worker methods: the private channel its bootstrap uses (fd 3, channel.ts), and HTTP for anything else in the
 * sandbox that reads AWS_LAMBDA_RUNTIME_API. That variable carries the worker's unguessable id as a path prefix
 * (`127.0.0.1:PORT/w/<id>`), so no other local process can take its events over HTTP either.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { encodeFrame, FrameReader } from "./channel.js";
import { readBody, sendJson } from "./http.js";
import { MAX_RESPONSE_BYTES } from "../facts/lambda.js";

/** What a runtime receives with its next event (the Runtime API's `Lambda-Runtime-*` headers). */
export interface NextEvent {
  requestId: string;
  deadlineMs: number;
  functionArn: string;
  traceId: string;
  clientContext: string | null;
}

/** Where a worker waiting for its next event gets it: its channel, or an HTTP request to the Runtime API. */
/**
 * What the Runtime API needs of a worker, said here rather than imported from worker.ts: the worker serves its
 * channel with this module, so importing it back would make a cycle (pool → worker → runtime-api → pool).
 */
export interface RuntimeWorker {
  /** `initEndedAt`: when the runtime says its init ended (epoch ms), on its first ask through the channel. */
  next(sink: EventSink, initEndedAt?: number): void;
  nextAbandoned(sink: EventSink): void;
  /**
   * `drained`: no fences follow; everything the runtime wrote is in its stdout and stderr pipes already (none of it
   * queued in the runtime), so what the pipes hold now ends the invocation's output.
   */
  response(requestId: string, body: Buffer | "too-large", drained: boolean): boolean;
  error(requestId: string, body: Buffer, headerType: string | undefined, drained: boolean): boolean;
  initFailed(body: Buffer, headerType: string | undefined): void;
  reportPeakMemory(mb: number): void;
  channelBroken(reason: string): void;
}

/** Finds a worker by the id in its Runtime API path (the pools). */
export interface WorkersById {
  worker(id: string): RuntimeWorker | undefined;
}

export interface EventSink {
  send(event: NextEvent, payload: Buffer): void;
  /** Ends the wait unanswered (the worker is gone). */
  cancel(): void;
}

const ROUTE = /^\/w\/([^/]+)\/2018-06-01\/runtime\/(?:invocation\/(next|[^/]+\/(?:response|error))|init\/error)$/;
const TOO_LARGE_ERROR = Buffer.from('{"errorType":"Runtime.Unknown","errorMessage":"error too large"}');

type Report = {
  kind: "response" | "error" | "init-error";
  requestId: string;
  body: Buffer | "too-large";
  errorType: string | undefined;
  maxRssKb: number;
  drained: boolean;
};

/** What a runtime reported, applied to its worker; false when the request id is not the running invocation's. */
function report(worker: RuntimeWorker, { kind, requestId, body, errorType, maxRssKb, drained }: Report): boolean {
  if (maxRssKb > 0) worker.reportPeakMemory(maxRssKb / 1024);
  const errorBody = body === "too-large" ? TOO_LARGE_ERROR : body;
  if (kind === "init-error") {
    worker.initFailed(errorBody, errorType);
    return true;
  }
  return kind === "response" ? worker.response(requestId, body, drained) : worker.error(requestId, errorBody, errorType, drained);
}

// --- the channel -------------------------------------------------------------------------------------------

/**
 * Serves a worker's channel. Frames from the bootstrap: `{t: "next", at?}`, `{t: "response", id, maxRssKb, drained?}`,
 * `{t: "error", id, errorType, maxRssKb, drained?}`, `{t: "init-error", errorType}`, each with its body (`at`: when
 * its init ended, on the first; `drained`: true when the bootstrap wrote no fences, its output being in its stdout
 * and stderr pipes already, none of it queued); to it:
 * `{t: "event", requestId, deadlineMs, functionArn, traceId, clientContext}` with the event.
 */
export function serveChannel(worker: RuntimeWorker, socket: Socket): void {
  const sink: EventSink = {
    send: (e: NextEvent, payload: Buffer) =>
      socket.write(encodeFrame({ t: "event", requestId: e.requestId, deadlineMs: e.deadlineMs, functionArn: e.functionArn, traceId: e.traceId, clientContext: e.clientContext }, payload)),
    cancel: () => undefined, // the channel closes with the worker
  };
  const reader = new FrameReader(
    MAX_RESPONSE_BYTES,
    ({ header, body }) => {
      const kind = header.t;
      if (kind === "next") return worker.next(sink, typeof header.at === "number" ? header.at : undefined);
      if (kind !== "response" && kind !== "error" && kind !== "init-error") return worker.channelBroken(`a frame of type ${JSON.stringify(kind)}`);
      const errorType = typeof header.errorType === "string" ? header.errorType : undefined;
      report(worker, { kind, requestId: String(header.id ?? ""), body, errorType, maxRssKb: Number(header.maxRssKb), drained: header.drained === true });
    },
    (reason) => worker.channelBroken(reason),
  );
  socket.on("data", (chunk: Buffer) => reader.push(chunk));
  socket.on("error", () => undefined); // a worker that died: its exit is handled by the worker
}

// --- HTTP --------------------------------------------------------------------------------------------------

function httpSink(res: ServerResponse): EventSink {
  return {
    send(event, payload) {
      const headers: Record<string, string | number> = {
        "Content-Type": "application/json",
        "Content-Length": payload.length,
        "Lambda-Runtime-Aws-Request-Id": event.requestId,
        "Lambda-Runtime-Deadline-Ms": String(event.deadlineMs),
        "Lambda-Runtime-Invoked-Function-Arn": event.functionArn,
        "Lambda-Runtime-Trace-Id": event.traceId,
      };
      if (event.clientContext) headers["Lambda-Runtime-Client-Context"] = event.clientContext;
      res.writeHead(200, headers);
      res.end(payload);
    },
    cancel: () => res.destroy(),
  };
}

export async function handleRuntimeApi(req: IncomingMessage, res: ServerResponse, path: string, pools: WorkersById): Promise<boolean> {
  const match = ROUTE.exec(path);
  if (!match) return false;
  const worker = pools.worker(match[1]!);
  if (!worker) {
    // A worker that was stopped (timeout, update) may still call in: tell it to go away.
    sendJson(res, 410, { errorMessage: "worker was stopped", errorType: "Runtime.Stopped" });
    return true;
  }
  const action = match[2];
  if (action === "next" && req.method === "GET") {
    const sink = httpSink(res);
    res.on("close", () => worker.nextAbandoned(sink));
    worker.next(sink);
    return true;
  }
  const body = await readBody(req, MAX_RESPONSE_BYTES);
  const kind = action === undefined ? "init-error" : action.endsWith("/response") ? "response" : "error";
  const accepted = report(worker, {
    kind,
    requestId: action?.split("/")[0] ?? "",
    body,
    errorType: req.headers["lambda-runtime-function-error-type"] as string | undefined,
    maxRssKb: Number(req.headers["x-pipes-max-rss-kb"]),
    drained: false, // an HTTP client of the Runtime API knows nothing of fences: its output is awaited as ever
  });
  if (accepted) sendJson(res, 202, { status: "OK" });
  else sendJson(res, 400, { errorMessage: "Invalid request ID", errorType: "InvalidRequestID" });
  return true;
}
