/**
 * The Pipes Lambda client: what Dagster's PipesLambdaClient does, with the tail's problems said out loud.
 * The context goes into the event, the function runs RequestResponse with LogType Tail, and the tail becomes
 * run events: messages first (also from a failed invocation), then the function's error.
 */
import type { InvokeCommandOutput } from "@aws-sdk/client-lambda";
import type { MessagesMode } from "../defs/normalized.js";
import type { PipesContextData } from "../protocol/context.js";
import type { Metadata as ParsedMetadata, PipesMessage } from "../protocol/messages.js";
import { DAGSTER_PIPES_CONTEXT, DAGSTER_PIPES_MESSAGES, encodeParam } from "../protocol/params.js";
import { since } from "../util/time.js";
import type { Emit, Metadata } from "../run/events.js";
import { closedException } from "./closed-exception.js";
import { serviceError } from "./service-errors.js";
import { isThrottle, THROTTLE_RETRIES, throttleDelay } from "./throttle.js";
import { dropsLevellessLines, TAIL_BYTES } from "../facts/lambda.js";
import { invocationCost } from "../facts/pricing.js";
import { LiveFollow, unshownTail } from "./live.js";
import { LogReader, logLines, platformMark, tailFacts, type LogItem } from "./log-reader.js";
import { logLocation, LogsUnavailable, readInvocation } from "./log-stream.js";
import type { LambdaTarget } from "./target.js";
import { lambdaSdk } from "./sdk.js";

export interface PipesInvocation {
  asset: string;
  /** The function's name in the defs file (the target maps it to the deployed name). */
  functionName: string;
  event: Record<string, unknown>;
  context: PipesContextData;
  /** The function runs on a Python runtime: advice names the Python libraries, not the Node.js ones. */
  python?: boolean;
  /** `context` already encoded as the DAGSTER_PIPES_CONTEXT param (run/context-params.ts); else encoded here. */
  contextParam?: string;
}

export interface InvocationResult {
  ok: boolean;
  requestId: string | null;
  /** The function's return value (or its error object). */
  payload: unknown;
}

/** The messages param is the same for every invocation of a mode: encoded once (a backfill makes thousands). */
const MESSAGES_PARAM: Record<MessagesMode, string> = {
  stdio: encodeParam({ stdio: "stderr" }),
  buffered_stdio: encodeParam({ buffered_stdio: "stderr" }),
};

/**
 * The event as PipesLambdaClient builds it: the user's keys, then the two bootstrap params. With `buffered_stdio`
 * it is Dagster's exact event; `stdio` (the default) asks for each message as it happens.
 */
export function pipesEvent(event: Record<string, unknown>, context: PipesContextData, messages: MessagesMode = "stdio", contextParam?: string): Record<string, unknown> {
  return {
    ...event,
    [DAGSTER_PIPES_CONTEXT]: contextParam ?? encodeParam({ data: context }),
    [DAGSTER_PIPES_MESSAGES]: MESSAGES_PARAM[messages],
  };
}

/**
 * The logs channels of endpoints that answered Invoke without a tail and whose CloudWatch Logs did not have the
 * log either: later invocations warn at once instead of each waiting out the logs' ingestion (a backfill would).
 */
const tailless = new WeakSet<LambdaTarget["logs"]>();

/** The run was stopped while this invocation was in flight: nobody waits for its answer any more. */
export class Interrupted extends Error {
  constructor() {
    super("interrupted");
    this.name = "Interrupted";
  }
}

export async function invokeWithPipes(target: LambdaTarget, invocation: PipesInvocation, emit: Emit, signal?: AbortSignal): Promise<InvocationResult> {
  if (signal?.aborted) throw new Interrupted();
  const { InvokeCommand } = lambdaSdk();
  const { asset } = invocation;
  const deployed = target.functionName(invocation.functionName);
  // A version or alias (`qualifier: "live"`): the logs stay the function's, the Invoke names the qualifier.
  const qualifier = target.qualifier?.(invocation.functionName);
  emit({ type: "invocation-start", asset, functionName: deployed, startedAt: new Date().toISOString() });
  const started = performance.now();
  const sentAt = Date.now();
  const reader = new LogReader();
  const show = (line: string, cutMark = false) => {
    const item = reader.push(line);
    if (item) emitItem(item, asset, emit, cutMark);
  };
  const live = new LiveFollow(target, deployed, sentAt, (line) => show(line));
  let response: InvokeCommandOutput;
  const body = Buffer.from(JSON.stringify(pipesEvent(invocation.event, invocation.context, target.messages, invocation.contextParam)));
  for (let attempt = 1; ; attempt++) {
    try {
      response = await target.client.send(
        new InvokeCommand({ FunctionName: deployed, InvocationType: "RequestResponse", LogType: "Tail", Payload: body, ...(qualifier ? { Qualifier: qualifier } : {}) }),
      );
      break;
    } catch (error) {
      if (isThrottle(error) && attempt <= THROTTLE_RETRIES && !signal?.aborted) {
        const delayMs = throttleDelay(attempt);
        emit({ type: "throttled", asset, functionName: deployed, attempt, delayMs, message: (error as Error).message });
        if (await sleepUnlessAborted(delayMs, signal)) continue;
      }
      await live.stop(null);
      if (signal?.aborted) throw new Interrupted();
      if (isThrottle(error)) {
        // Out of retries: this step failed; the rest of the run goes on.
        const message = `Lambda throttled ${deployed} ${attempt} times (TooManyRequestsException: ${(error as Error).message}); lower --concurrency or raise the function's concurrency`;
        emit({ type: "error", asset, source: "service", errorType: "TooManyRequestsException", message, trace: [] });
        return { ok: false, requestId: null, payload: null };
      }
      throw serviceError(error, { functionName: deployed, target: target.description, definedAs: invocation.functionName });
    }
  }
  const requestId = response.$metadata.requestId ?? null;
  const followed = await live.stop(requestId);
  // Lambda always answers LogType Tail with a log; some Lambda-compatible endpoints (serverless-offline) send none.
  const noTail = response.LogResult === undefined;
  const tailBytes = response.LogResult ? Buffer.from(response.LogResult, "base64") : Buffer.alloc(0);
  const tail = logLines(tailBytes.toString("utf8"));
  // Fewer than 4 KB is the whole log, START line or not (none at SystemLogLevel WARN with the JSON format).
  const tailReading = tailFacts(tail, !noTail && tailBytes.length < TAIL_BYTES);
  const ok = !response.FunctionError;
  const report = tailReading.report;
  emit({
    type: "invocation-end",
    asset,
    functionName: deployed,
    requestId,
    ok,
    durationMs: since(started),
    lambdaDurationMs: report?.durationMs ?? null,
    billedMs: report?.billedMs ?? null,
    initDurationMs: report?.initDurationMs ?? null,
    cold: report ? report.initDurationMs !== null : null,
    memoryMb: report?.memoryMb ?? null,
    maxMemoryMb: report?.maxMemoryMb ?? null,
    costUsd: report ? invocationCost({ billedMs: report.billedMs, memoryMb: report.memoryMb, architecture: target.architecture(invocation.functionName), region: target.region }) : null,
  });

  // The rest of the log: from CloudWatch Logs when it was followed live or the tail lost its start, else the tail.
  let fromLogs = false;
  if (requestId && (followed || live.shown.length > 0 || tailReading.cut) && !(noTail && tailless.has(target.logs))) {
    const loc = live.loc ?? (await logLocation(target, deployed));
    if (!followed && live.shown.length > 0) {
      emit({ type: "warning", asset, message: `${asset}: the lines shown while it ran were of another invocation of ${deployed} (someone else invoked it at the same time); its own log follows` });
    }
    try {
      // Followed live: on from where the live reading stopped (unless its last poll reached the REPORT line: then
      // it has the whole log, and its cursor is past the line a read would wait for). Otherwise: the whole log.
      const liveHadAll = followed && live.shown.some((line) => { const mark = platformMark(line); return mark?.kind === "report" && mark.requestId === requestId; });
      if (!liveHadAll) await readInvocation(target.logs, loc, requestId, sentAt, (line) => show(line), followed ? live.cursor : undefined);
      fromLogs = true;
    } catch (error) {
      if (!(error instanceof LogsUnavailable)) throw error;
      const lines = followed ? unshownTail(live.shown, tail, tailReading.cut) : tail;
      for (const [i, line] of lines.entries()) show(line, i === 0 && tailReading.cut && !followed);
      if (noTail) {
        tailless.add(target.logs);
        emit({ type: "warning", asset, message: noTailWarning(asset, target.description, `the whole log could not be read from CloudWatch Logs either (${error.message})`) });
      } else if (tailReading.cut) {
        emit({ type: "warning", asset, message: cutWarning(asset, reader.opened, error) });
      }
    }
    if (fromLogs && tailReading.cut && !noTail) {
      emit({ type: "note", asset, message: `${asset}: the log was longer than the ${TAIL_BYTES.toLocaleString("en-US")} bytes Invoke returns; every message was read from CloudWatch Logs (${loc.group})` });
    }
  } else if (noTail) {
    const why = requestId ? "and its CloudWatch Logs had no earlier invocation's log either (not asked again)" : "nor a request id to find it by in CloudWatch Logs";
    emit({ type: "warning", asset, message: noTailWarning(asset, target.description, why) });
  } else {
    for (const [i, line] of tail.entries()) show(line, i === 0 && tailReading.cut);
  }

  const buffered = target.messages === "buffered_stdio";
  if (reader.opened && !reader.closed && (buffered || ok)) {
    emit({
      type: "warning",
      asset,
      message: buffered
        ? `${asset}: the function opened a pipes session but never closed it, so messages it buffered may be lost (close the session, e.g. with withPipes, also on errors)`
        : `${asset}: the function opened a pipes session but never closed it (close the session, e.g. with withPipes, also on errors)`,
    });
  } else if (ok && (fromLogs || !tailReading.cut) && reader.messageCount === 0) {
    const dropped = droppedByLevel(deployed, await logLocation(target, deployed));
    emit({
      type: "warning",
      asset,
      message: dropped
        ? `${asset}: the function sent no pipes messages that reached its log: ${dropped}`
        : `${asset}: the function sent no pipes messages. Its handler should read the context from the event and write messages to stderr (${
            invocation.python
              ? "wrap it with with_pipes from pipes_lambda.py, or use dagster_pipes with PipesMappingParamsLoader(event)"
              : "wrap it with withPipes from pipes-lambda.cjs"
          })`,
    });
  }
  const text = response.Payload ? Buffer.from(response.Payload).toString("utf8") : "";
  const payload = parseJson(text);
  if (!ok) {
    const error = functionError(asset, response.FunctionError ?? "Unhandled", payload, text);
    emit(error);
    const library = /pipes-lambda\.cjs|pipes_lambda/.exec(error.message)?.[0];
    if (error.errorType === "Runtime.ImportModuleError" && library) {
      const runtime = library.endsWith(".cjs") ? "node" : "python";
      emit({ type: "warning", asset, message: `the function imports the pipes handler library, which is not in its folder: run \`pipes vendor --runtime ${runtime} --out <the handler's folder>\`` });
    }
  }
  return { ok, requestId, payload };
}

function emitItem(item: LogItem, asset: string, emit: Emit, cutMark: boolean): void {
  if (item.kind === "output") {
    // The line the 4 KB cut went through: mark it, without the broken character the cut may have left.
    const text = cutMark ? `…${item.text.replace(/^\uFFFD+/, "")}` : item.text;
    emit({ type: "output", asset, text, level: item.level });
  } else if (item.kind === "invalid") {
    emit({ type: "warning", asset, message: `invalid pipes message (${item.error}), shown as output` });
    emit({ type: "output", asset, text: item.text, level: null });
  } else {
    emitMessage(item.message, asset, emit);
  }
}

function emitMessage(message: PipesMessage, asset: string, emit: Emit): void {
  switch (message.method) {
    case "opened":
      return;
    case "closed":
      if (message.exception) {
        emit({
          type: "error",
          asset,
          source: "pipes",
          ...closedException(message.exception),
          trace: message.exception.stack.flatMap((frame) => frame.trimEnd().split("\n")),
        });
      }
      return;
    case "log":
      return emit({ type: "log", asset, level: message.level, message: message.message });
    case "report_asset_materialization":
      return emit({
        type: "materialization",
        asset,
        assetKey: message.assetKey ?? asset,
        dataVersion: message.dataVersion,
        metadata: toRecord(message.metadata),
        implicit: false,
      });
    case "report_asset_check":
      return emit({
        type: "check",
        asset,
        assetKey: message.assetKey,
        checkName: message.checkName,
        passed: message.passed,
        severity: message.severity,
        metadata: toRecord(message.metadata),
      });
    case "report_custom_message":
      return emit({ type: "custom-message", asset, payload: message.payload });
    case "log_external_stream":
      for (const line of message.text.replace(/\n$/, "").split("\n")) emit({ type: "output", asset, text: line, level: null });
      return;
  }
}

function toRecord(metadata: ParsedMetadata): Metadata {
  return Object.fromEntries(metadata);
}

/** Lambda's error object: Node `{errorType, errorMessage, trace}`, Python `{..., stackTrace}`. */
function functionError(asset: string, kind: string, payload: unknown, text: string) {
  const error = (payload ?? {}) as { errorType?: unknown; errorMessage?: unknown; trace?: unknown; stackTrace?: unknown };
  const trace = Array.isArray(error.trace) ? error.trace : Array.isArray(error.stackTrace) ? error.stackTrace : [];
  return {
    type: "error" as const,
    asset,
    source: "function" as const,
    errorType: typeof error.errorType === "string" ? error.errorType : `Function error (${kind})`,
    message: typeof error.errorMessage === "string" ? error.errorMessage : text,
    trace: trace.filter((t): t is string => typeof t === "string").flatMap((t) => t.trimEnd().split("\n")),
  };
}

function noTailWarning(asset: string, endpoint: string, andWhy: string): string {
  return `${asset}: ${endpoint} answered Invoke without the log it was asked for (LogType Tail), ${andWhy}: the pipes messages the function wrote, if any, are lost`;
}

function cutWarning(asset: string, opened: boolean, why: LogsUnavailable): string {
  const advice = "Report fewer or shorter messages (large data belongs in storage, with its path as metadata).";
  const lostOpened = opened ? "" : " The `opened` message is among them.";
  return (
    `${asset}: the log was longer than the ${TAIL_BYTES.toLocaleString("en-US")} bytes Lambda returns (LogType Tail), and the whole log could not be read ` +
    `from CloudWatch Logs (${why.message}${why.hint ? `; ${why.hint}` : ""}): its start is missing (the first line shown may be cut), ` +
    `so earlier pipes messages were lost.${lostOpened} ${advice}`
  );
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** Waits `ms`; false when the signal aborted first. */
function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Why messages may have been dropped: a JSON-format function above INFO drops every JSON line without a `level`,
 * which is how Dagster's dagster_pipes writes them (defs/logging-notices.ts says the same before a run).
 */
function droppedByLevel(deployed: string, loc: { format: string; applicationLevel?: string }): string | null {
  if (loc.format !== "JSON" || !dropsLevellessLines(loc.applicationLevel)) return null;
  return `${deployed} logs in the JSON format at ApplicationLogLevel ${loc.applicationLevel}, and Lambda files a JSON line without a "level" as INFO and drops it. Use pipes' handler library (pipes-lambda.cjs / pipes_lambda.py), which tags its lines with the function's level, or lower the level to INFO (logging.applicationLevel)`;
}
