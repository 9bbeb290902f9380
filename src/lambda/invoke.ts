/**
 * The Pipes Lambda client: what Dagster's PipesLambdaClient does, with the tail's problems said out loud.
 * The context goes into the event, the function runs RequestResponse with LogType Tail, and the tail becomes
 * run events: messages first (also from a failed invocation), then the function's error.
 */
import type { InvokeCommandOutput } from "@aws-sdk/client-lambda";
import type { PipesContextData } from "../protocol/context.js";
import type { Metadata as ParsedMetadata, PipesMessage } from "../protocol/messages.js";
import { DAGSTER_PIPES_CONTEXT, DAGSTER_PIPES_MESSAGES, encodeParam } from "../protocol/params.js";
import { since } from "../util/time.js";
import type { Emit, Metadata } from "../run/events.js";
import { serviceError } from "./service-errors.js";
import { lostToCut, readTail, TAIL_LIMIT, type TailReading } from "./tail.js";
import type { LambdaTarget } from "./target.js";

export interface PipesInvocation {
  asset: string;
  /** The function's name in the defs file (the target maps it to the deployed name). */
  functionName: string;
  event: Record<string, unknown>;
  context: PipesContextData;
}

export interface InvocationResult {
  ok: boolean;
  requestId: string | null;
  /** The function's return value (or its error object). */
  payload: unknown;
}

/** The event exactly as PipesLambdaClient builds it: the user's keys, then the two bootstrap params. */
export function pipesEvent(event: Record<string, unknown>, context: PipesContextData): Record<string, unknown> {
  return {
    ...event,
    [DAGSTER_PIPES_CONTEXT]: encodeParam({ data: context }),
    [DAGSTER_PIPES_MESSAGES]: encodeParam({ buffered_stdio: "stderr" }),
  };
}

export async function invokeWithPipes(target: LambdaTarget, invocation: PipesInvocation, emit: Emit): Promise<InvocationResult> {
  const { InvokeCommand } = await import("@aws-sdk/client-lambda");
  const { asset } = invocation;
  const deployed = target.functionName(invocation.functionName);
  emit({ type: "invocation-start", asset, functionName: deployed });
  const started = performance.now();
  let response: InvokeCommandOutput;
  try {
    response = await target.client.send(
      new InvokeCommand({
        FunctionName: deployed,
        InvocationType: "RequestResponse",
        LogType: "Tail",
        Payload: Buffer.from(JSON.stringify(pipesEvent(invocation.event, invocation.context))),
      }),
    );
  } catch (error) {
    throw serviceError(error, { functionName: deployed, target: target.description });
  }
  const requestId = response.$metadata.requestId ?? null;
  const tail = response.LogResult ? Buffer.from(response.LogResult, "base64").toString("utf8") : "";
  const reading = readTail(tail);
  const ok = !response.FunctionError;
  const report = reading.report;
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
  });

  // Taken for every invocation, so the emulator target does not keep logs nobody asks for.
  const fullLog = requestId ? target.takeFullLog(requestId) : undefined;
  if (reading.cut) emit({ type: "warning", asset, message: cutWarning(asset, reading, fullLog) });
  for (const [index, item] of reading.items.entries()) {
    if (item.kind === "output") {
      // The line the 4 KB cut went through: mark it, without the broken character the cut may have left.
      const text = index === 0 && reading.cut ? `…${item.text.replace(/^\uFFFD+/, "")}` : item.text;
      emit({ type: "output", asset, text, level: item.level });
    } else if (item.kind === "invalid") {
      emit({ type: "warning", asset, message: `invalid pipes message (${item.error}), shown as output` });
      emit({ type: "output", asset, text: item.text, level: null });
    } else {
      emitMessage(item.message, asset, emit);
    }
  }
  if (reading.opened && !reading.closed) {
    emit({
      type: "warning",
      asset,
      message: `${asset}: the function opened a pipes session but never closed it, so messages it buffered may be lost (close the session, e.g. with withPipes, also on errors)`,
    });
  } else if (ok && !reading.cut && reading.messageCount === 0) {
    emit({
      type: "warning",
      asset,
      message: `${asset}: the function sent no pipes messages. Its handler should read the context from the event and write messages to stderr (wrap it with withPipes from pipes-lambda.cjs, or use dagster_pipes with PipesMappingParamsLoader(event))`,
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
          errorType: message.exception.name ?? "Exception",
          message: message.exception.message.trimEnd(),
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

function cutWarning(asset: string, reading: TailReading, fullLog: string | undefined): string {
  const advice = "Report fewer or shorter messages (large data belongs in storage, with its path as metadata).";
  const opened = reading.opened ? "" : " The `opened` message is among them.";
  if (fullLog !== undefined) {
    const lost = lostToCut(fullLog);
    const kinds = Object.entries(lost.lostMessages).map(([method, n]) => `${n} ${method}`).join(", ");
    return (
      `${asset}: the log was ${lost.logBytes.toLocaleString("en-US")} bytes and Lambda returns only its last ` +
      `${TAIL_LIMIT.toLocaleString("en-US")} (LogType Tail): ${lost.lostBytes.toLocaleString("en-US")} bytes were cut, ` +
      `with ${kinds || "no pipes messages"}.${opened} On AWS the same messages would be lost. ${advice}`
    );
  }
  return (
    `${asset}: the log was longer than the ${TAIL_LIMIT.toLocaleString("en-US")} bytes Lambda returns (LogType Tail): ` +
    `its start is missing (no START line; the first line shown may be cut), so earlier pipes messages were lost.${opened} ${advice}`
  );
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}
