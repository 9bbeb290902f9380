import { isObject } from "../util/values.js";
import { parseMetadata, type MetadataValue, type Parsed } from "./metadata.js";
import { PIPES_PROTOCOL_VERSION_FIELD } from "./params.js";

export const LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type CheckSeverity = "WARN" | "ERROR";

/** Dagster's `PipesException`, as a handler reports it in `closed`. */
export interface PipesException {
  message: string;
  stack: string[];
  name: string | null;
  cause: PipesException | null;
  context: PipesException | null;
}

export type Metadata = Array<[string, MetadataValue]>;

type MessageBody =
  | { method: "opened"; extras: Record<string, unknown> }
  | { method: "closed"; exception: PipesException | null }
  | { method: "log"; message: string; level: LogLevel }
  | {
      method: "report_asset_materialization";
      assetKey: string | null;
      dataVersion: string | null;
      metadata: Metadata;
    }
  | {
      method: "report_asset_check";
      assetKey: string;
      checkName: string;
      passed: boolean;
      severity: CheckSeverity;
      metadata: Metadata;
    }
  | { method: "report_custom_message"; payload: unknown }
  | { method: "log_external_stream"; stream: "stdout" | "stderr"; text: string; extras: Record<string, unknown> };

/** A decoded, validated message. `raw` is the envelope as received, for `--json` and debugging. */
export type PipesMessage = MessageBody & { raw: Record<string, unknown> };
export type PipesMethod = PipesMessage["method"];

export const PIPES_METHODS: readonly PipesMethod[] = [
  "opened",
  "closed",
  "log",
  "report_asset_materialization",
  "report_asset_check",
  "report_custom_message",
  "log_external_stream",
];

const optionalString = (v: unknown) => v === undefined || v === null || typeof v === "string";

/** True when a parsed JSON value claims to be a pipes message (Dagster checks only this key's presence). */
export function isPipesEnvelope(value: unknown): value is Record<string, unknown> {
  return isObject(value) && PIPES_PROTOCOL_VERSION_FIELD in value;
}

/** Validates an envelope's method and params; never throws. */
export function parseMessage(envelope: Record<string, unknown>): Parsed<PipesMessage> {
  const { method } = envelope;
  const params = envelope.params ?? {};
  if (typeof method !== "string") return { ok: false, error: "method is not a string" };
  if (!isObject(params)) return { ok: false, error: `${method}: params must be an object or null` };
  const bad = (why: string): Parsed<PipesMessage> => ({ ok: false, error: `${method}: ${why}` });
  // The body literal gets `raw` in place (no copy of it per message: a backfill decodes many).
  const ok = (m: MessageBody) => {
    const message = m as PipesMessage;
    message.raw = envelope;
    return { ok: true, value: message } as const;
  };
  switch (method) {
    case "opened": {
      const extras = params.extras ?? {};
      return isObject(extras) ? ok({ method, extras }) : bad("extras must be an object");
    }
    case "closed": {
      if (params.exception === undefined || params.exception === null) return ok({ method, exception: null });
      const exception = parseException(params.exception);
      return exception ? ok({ method, exception }) : bad("exception must be {message, stack, name}");
    }
    case "log": {
      const level = typeof params.level === "string" ? params.level.toUpperCase() : undefined;
      if (typeof params.message !== "string") return bad("message must be a string");
      if (!(LOG_LEVELS as readonly string[]).includes(level ?? "")) {
        return bad(`level must be one of ${LOG_LEVELS.join(", ")}`);
      }
      return ok({ method, message: params.message, level: level as LogLevel });
    }
    case "report_asset_materialization": {
      if (!optionalString(params.asset_key)) return bad("asset_key must be a string or null");
      if (!optionalString(params.data_version)) return bad("data_version must be a string or null");
      const metadata = parseMetadata(params.metadata);
      if (!metadata.ok) return bad(metadata.error);
      return ok({
        method,
        assetKey: (params.asset_key as string | undefined) ?? null,
        dataVersion: (params.data_version as string | undefined) ?? null,
        metadata: metadata.value,
      });
    }
    case "report_asset_check": {
      if (typeof params.asset_key !== "string") return bad("asset_key must be a string");
      if (typeof params.check_name !== "string") return bad("check_name must be a string");
      if (typeof params.passed !== "boolean") return bad("passed must be a boolean");
      const severity = params.severity ?? "ERROR";
      if (severity !== "WARN" && severity !== "ERROR") return bad('severity must be "WARN" or "ERROR"');
      const metadata = parseMetadata(params.metadata);
      if (!metadata.ok) return bad(metadata.error);
      return ok({
        method,
        assetKey: params.asset_key,
        checkName: params.check_name,
        passed: params.passed,
        severity,
        metadata: metadata.value,
      });
    }
    case "report_custom_message":
      return "payload" in params ? ok({ method, payload: params.payload }) : bad("payload is missing");
    case "log_external_stream": {
      const { stream, text } = params;
      if (stream !== "stdout" && stream !== "stderr") return bad('stream must be "stdout" or "stderr"');
      if (typeof text !== "string") return bad("text must be a string");
      const extras = params.extras ?? {};
      return isObject(extras) ? ok({ method, stream, text, extras }) : bad("extras must be an object");
    }
    default:
      return { ok: false, error: `unknown method "${method}"` };
  }
}

function parseException(v: unknown, depth = 0): PipesException | undefined {
  if (!isObject(v) || typeof v.message !== "string" || depth > 20) return undefined;
  const stack = Array.isArray(v.stack) ? v.stack.filter((s): s is string => typeof s === "string") : [];
  const chained = (x: unknown) => (x === null || x === undefined ? null : (parseException(x, depth + 1) ?? null));
  return {
    message: v.message,
    stack,
    name: typeof v.name === "string" ? v.name : null,
    cause: chained(v.cause),
    context: chained(v.context),
  };
}
