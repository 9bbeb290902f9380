/**
 * A function's settings as CreateFunction and UpdateFunctionConfiguration take them, checked as Lambda checks
 * them, with AWS's error type and words. Pure.
 */
import type { FunctionSpec, RegisteredFunction } from "./registry.js";
import {
  DEFAULT_MEMORY_MB,
  DEFAULT_TIMEOUT_SECONDS,
  isRuntime,
  MEMORY_MAX_MB,
  MEMORY_MIN_MB,
  RUNTIMES,
  TIMEOUT_MAX_SECONDS,
  TIMEOUT_MIN_SECONDS,
} from "../lambda/facts.js";

/** What the API answers a bad request with: AWS's error type (status 400) and message. */
export interface ApiError {
  errorType: "ValidationException" | "InvalidParameterValueException";
  message: string;
}

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
  return size > 4096
    ? {
        errorType: "InvalidParameterValueException",
        message: `Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${size}`,
      }
    : null;
}

/** The API's settings (Runtime, Handler, MemorySize, ...) over an existing function's, or what is wrong. */
export function mergeSettings(existing: RegisteredFunction | undefined, name: string, s: Record<string, unknown>): FunctionSpec | ApiError {
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
  if (!isRuntime(spec.runtime)) return validation(spec.runtime, "runtime", `Member must satisfy enum value set: [${RUNTIMES.join(", ")}]`);
  return (
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
