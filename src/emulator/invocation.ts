/**
 * One invocation on a worker, from its START line to its REPORT: what the worker keeps while it runs, and what
 * it ends with (its closing log lines, the outcome Invoke answers with). No I/O.
 */
import { randomBytes } from "node:crypto";
import type { InvocationEnd, InvocationStatus, InvocationType } from "./events.js";
import { endLine, reportLine } from "./log-format.js";

// X-Ray trace ids only need to be unique: a random prefix and a counter are cheaper than randomness per call.
const TRACE_PREFIX = randomBytes(8).toString("hex");
let traceCounter = 0;

/** The `_X_AMZN_TRACE_ID` of the next invocation. */
export const nextTraceId = () =>
  `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${TRACE_PREFIX}${(++traceCounter).toString(16).padStart(8, "0")};Sampled=0`;

export interface InvokeRequest {
  requestId: string;
  payload: Buffer;
  clientContext: string | null;
  invocationType: InvocationType;
  /** The ARN the caller invoked (qualified when it was); the sandbox's `invokedFunctionArn`. Default: the function's. */
  invokedFunctionArn?: string;
}

export interface Outcome {
  status: InvocationStatus;
  /** The response body: the function's result, or Lambda's error object. */
  payload: Buffer;
  errorType: string | null;
  end: InvocationEnd;
}

export interface Active {
  request: InvokeRequest;
  cold: boolean;
  lines: string[];
  started: number;
  delivered: boolean;
  timer: NodeJS.Timeout | undefined;
  /** When the invocation times out (ms since the epoch), once its clock runs. */
  deadline?: number;
  /** Set by /response or /error while the output fences are awaited. */
  result: { status: InvocationStatus; payload: Buffer; errorType: string | null } | undefined;
  fencesSeen: number;
  /** The runtime answered without fences: its output is in the pipes already (Worker.outputRead). */
  drained: boolean;
  fenceTimer: NodeJS.Timeout | undefined;
  resolve: (outcome: Outcome | "undelivered") => void;
}

export function newActive(request: InvokeRequest, cold: boolean, resolve: Active["resolve"]): Active {
  return { request, cold, lines: [], started: performance.now(), delivered: false, timer: undefined, result: undefined, fencesSeen: 0, drained: false, fenceTimer: undefined, resolve };
}

/** What the worker measured of an invocation that ended. */
export interface EndFacts {
  functionName: string;
  memoryMb: number;
  durationMs: number;
  maxMemoryMb: number;
  /** A cold start's init, null when warm (or not measured). */
  initDurationMs: number | null;
  /** REPORT's `Status` (timeout, error) when the platform ended it. */
  reportStatus: string | undefined;
}

/** The END and REPORT lines Lambda writes last. */
export function closingLines(active: Active, facts: EndFacts): string[] {
  const { requestId } = active.request;
  const { durationMs, memoryMb, maxMemoryMb, initDurationMs, reportStatus } = facts;
  return [endLine(requestId), reportLine({ requestId, durationMs, memoryMb, maxMemoryMb, initDurationMs: initDurationMs ?? undefined, status: reportStatus })];
}

/** What Invoke answers with, once the closing lines are in the invocation's log. */
export function outcomeOf(active: Active, facts: EndFacts): Outcome {
  const { status, payload, errorType } = active.result!;
  const log = `${active.lines.join("\n")}\n`;
  const end: InvocationEnd = {
    functionName: facts.functionName,
    requestId: active.request.requestId,
    invocationType: active.request.invocationType,
    cold: active.cold,
    status,
    errorType,
    durationMs: facts.durationMs,
    initDurationMs: facts.initDurationMs,
    maxMemoryMb: facts.maxMemoryMb,
    log,
    logBytes: Buffer.byteLength(log),
  };
  return { status, payload, errorType, end };
}

/** The `errorType` of a Lambda error object, if the body is one. */
export function errorTypeOf(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { errorType?: unknown };
    return typeof parsed.errorType === "string" ? parsed.errorType : undefined;
  } catch {
    return undefined;
  }
}
