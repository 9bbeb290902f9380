/**
 * A function's settings as CreateFunction and UpdateFunctionConfiguration take them, checked as Lambda checks
 * them, with AWS's error type and words. Pure.
 */
import type { FunctionSpec, RegisteredFunction } from "./registry.js";
import {
  DEFAULT_MEMORY_MB,
  ENVIRONMENT_BYTES_LIMIT,
  RESERVED_ENVIRONMENT_VARIABLES,
  reservedVariablesMessage,
  DEFAULT_TIMEOUT_SECONDS,
  isRuntime,
  MEMORY_MAX_MB,
  MEMORY_MIN_MB,
  RUNTIMES,
  TIMEOUT_MAX_SECONDS,
  TIMEOUT_MIN_SECONDS,
} from "../facts/lambda.js";
import { mergeLoggingConfig } from "./logging-config.js";
import { blockedBecause, blockedRuntimeMessage, OTHER_API_RUNTIMES, RETIRED_RUNTIMES } from "../facts/runtimes.js";

/** What the API answers a bad request with: AWS's error type (status 400) and message. */
export interface ApiError {
  errorType: "ValidationException" | "InvalidParameterValueException" | "ResourceConflictException";
  message: string;
}

/** The HTTP status AWS answers an ApiError with. */
export const apiErrorStatus = (error: ApiError) => (error.errorType === "ResourceConflictException" ? 409 : 400);

const validation = (value: unknown, field: string, constraint: string): ApiError => ({
  errorType: "ValidationException",
  message: `1 validation error detected: Value '${String(value).slice(0, 140)}' at '${field}' failed to satisfy constraint: ${constraint}`,
});

/** A number setting within Lambda's range, or AWS's ValidationException for it. */
function inRange(value: number, field: string, min: number, max: number): ApiError | null {
  if (!Number.isInteger(value)) return validation(value, field, "Member must be an integer");
  if (value < min) return validation(value, field, `Member must have value greater than or equal to ${min}`);
  if (value > max) return validation(value, field, `Member must have value less than or equal to ${max}`);
  return null;
}

/** Lambda's rules for Environment.Variables: names `[a-zA-Z][a-zA-Z0-9_]+`, string values, 4 KB in all. */
function invalidEnvironment(variables: unknown): ApiError | null {
  if (variables === undefined || variables === null) return null;
  if (typeof variables !== "object" || Array.isArray(variables)) {
    return { errorType: "InvalidParameterValueException", message: "Environment.Variables must be a map of strings" };
  }
  const reserved = Object.keys(variables).filter((name) => RESERVED_ENVIRONMENT_VARIABLES.includes(name));
  if (reserved.length > 0) return { errorType: "InvalidParameterValueException", message: reservedVariablesMessage(reserved) };
  let size = 0;
  for (const [name, value] of Object.entries(variables)) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]+$/.test(name)) {
      return validation(name, "environment.variables", "Map keys must satisfy constraint: [Member must satisfy regular expression pattern: [a-zA-Z]([a-zA-Z0-9_])+]");
    }
    if (typeof value !== "string" || value.includes("\0")) {
      return { errorType: "InvalidParameterValueException", message: `Environment variable ${name} must be a string without NUL characters` };
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(value);
  }
  return size > ENVIRONMENT_BYTES_LIMIT
    ? {
        errorType: "InvalidParameterValueException",
        message: `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${size}`,
      }
    : null;
}

/**
 * A runtime as Lambda's API takes it on `today`: one it no longer supports for creating or updating functions is
 * InvalidParameterValueException in AWS's words, as is one of another language; a name it does not know is a
 * ValidationException. A runtime past block-create may still be kept by an existing function until block-update.
 */
function invalidRuntime(runtime: string, previous: string | undefined, today: string): ApiError | null {
  if (isRuntime(runtime)) {
    const blocked = blockedBecause(runtime, previous === runtime ? "update" : "create", today);
    return blocked ? { errorType: "InvalidParameterValueException", message: blockedRuntimeMessage(runtime, today) } : null;
  }
  if ((RETIRED_RUNTIMES as readonly string[]).includes(runtime)) return { errorType: "InvalidParameterValueException", message: blockedRuntimeMessage(runtime, today) };
  if ((OTHER_API_RUNTIMES as readonly string[]).includes(runtime)) {
    return { errorType: "InvalidParameterValueException", message: `pipes emulator runs Node.js and Python functions only (${RUNTIMES.join(", ")}), not ${runtime}` };
  }
  const known = [...RUNTIMES, ...RETIRED_RUNTIMES, ...OTHER_API_RUNTIMES];
  return validation(runtime, "runtime", `Member must satisfy enum value set: [${known.join(", ")}]`);
}

/**
 * The API's settings (Runtime, Handler, MemorySize, ...) over an existing function's, or what is wrong. `today`
 * (YYYY-MM-DD) decides which runtimes AWS still takes (src/facts/runtimes.ts).
 */
export function mergeSettings(existing: RegisteredFunction | undefined, name: string, s: Record<string, unknown>, today: string): FunctionSpec | ApiError {
  const spec: FunctionSpec = existing
    ? { ...existing }
    : { name, handler: "", runtime: "", codeRoot: "", memoryMb: DEFAULT_MEMORY_MB, timeoutSeconds: DEFAULT_TIMEOUT_SECONDS, environment: {}, concurrency: 10 };
  if (typeof s.Runtime === "string") spec.runtime = s.Runtime;
  if (typeof s.Handler === "string") spec.handler = s.Handler;
  if (typeof s.Description === "string") spec.description = s.Description;
  if (typeof s.Role === "string") spec.role = s.Role;
  if (s.MemorySize !== undefined) spec.memoryMb = Number(s.MemorySize);
  if (s.Timeout !== undefined) spec.timeoutSeconds = Number(s.Timeout);
  const variables = (s.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
  if (s.Environment !== undefined) {
    const problem = invalidEnvironment(variables);
    if (problem) return problem;
    spec.environment = { ...(variables ?? {}) };
  }
  if (s.LoggingConfig !== undefined) {
    const logging = mergeLoggingConfig(spec.logging, s.LoggingConfig);
    if ("errorType" in logging) return logging;
    spec.logging = logging;
  }
  return (
    invalidRuntime(spec.runtime, existing?.runtime, today) ??
    inRange(spec.memoryMb, "memorySize", MEMORY_MIN_MB, MEMORY_MAX_MB) ??
    inRange(spec.timeoutSeconds, "timeout", TIMEOUT_MIN_SECONDS, TIMEOUT_MAX_SECONDS) ??
    (spec.description !== undefined && spec.description.length > 256
      ? validation(`${spec.description.slice(0, 20)}…`, "description", "Member must have length less than or equal to 256")
      : null) ??
    (spec.handler.length > 128 || !/^[^\s]+$/.test(spec.handler)
      ? validation(spec.handler, "handler", "Member must satisfy regular expression pattern: [^\\s]+ and have length less than or equal to 128")
      : null) ??
    spec
  );
}
