/**
 * A definitions file's logging settings (Lambda's LoggingConfig) and the Environment rules Lambda enforces,
 * checked with AWS's values at load. Pure.
 */
import {
  DEFAULT_LOG_LEVEL,
  ENVIRONMENT_BYTES_LIMIT,
  isLogLevel,
  LOG_FORMATS,
  LOG_GROUP_PATTERN,
  LOG_LEVELS,
  type LoggingSettings,
  type LogLevel,
  RESERVED_ENVIRONMENT_VARIABLES,
  SYSTEM_LOG_LEVELS,
} from "../facts/lambda.js";
import { isObject, kindOf } from "../util/values.js";

type Report = (where: string, message: string) => void;

const FIELDS = ["format", "applicationLevel", "systemLevel", "logGroup"];

/** `logging: { format, applicationLevel, systemLevel, logGroup }`, or null when absent or invalid (reported). */
export function validateLogging(raw: unknown, where: string, report: Report): LoggingSettings | null {
  if (raw === undefined) return null;
  if (!isObject(raw)) {
    report(where, `logging must be an object like { format: "JSON", applicationLevel: "WARN" }, got ${kindOf(raw)}`);
    return null;
  }
  const before = problems(raw);
  for (const message of before) report(where, message);
  if (before.length > 0) return null;
  const format = (raw.format as LoggingSettings["format"] | undefined) ?? "Text";
  const settings: LoggingSettings = { format };
  if (format === "JSON") {
    settings.applicationLevel = (raw.applicationLevel as LogLevel | undefined) ?? DEFAULT_LOG_LEVEL;
    settings.systemLevel = (raw.systemLevel as LogLevel | undefined) ?? DEFAULT_LOG_LEVEL;
  }
  if (typeof raw.logGroup === "string") settings.logGroup = raw.logGroup;
  return settings;
}

function problems(raw: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(raw)) if (!FIELDS.includes(k)) out.push(`logging: unknown field "${k}" (known: ${FIELDS.join(", ")})`);
  if (raw.format !== undefined && !(LOG_FORMATS as readonly unknown[]).includes(raw.format)) {
    out.push(`logging.format must be "Text" or "JSON", got ${JSON.stringify(raw.format)}`);
  }
  if (raw.applicationLevel !== undefined && !isLogLevel(raw.applicationLevel)) {
    out.push(`logging.applicationLevel must be one of ${LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw.applicationLevel)}`);
  }
  if (raw.systemLevel !== undefined && !(SYSTEM_LOG_LEVELS as readonly unknown[]).includes(raw.systemLevel)) {
    out.push(`logging.systemLevel must be one of ${SYSTEM_LOG_LEVELS.join(", ")}, got ${JSON.stringify(raw.systemLevel)}`);
  }
  if (raw.format !== "JSON" && (raw.applicationLevel !== undefined || raw.systemLevel !== undefined)) {
    out.push('logging levels apply only with format: "JSON" (Lambda refuses a log level with the Text format)');
  }
  if (raw.logGroup !== undefined && (typeof raw.logGroup !== "string" || !LOG_GROUP_PATTERN.test(raw.logGroup))) {
    out.push(`logging.logGroup must be 1-512 characters of letters, digits and . - _ / #, got ${JSON.stringify(raw.logGroup)}`);
  }
  return out;
}

/** What a function runs with: its own logging settings, else its profile's, else none (Text). */
export function effectiveLogging(fn: { logging: LoggingSettings | null } | undefined, profile: { logging: LoggingSettings | null }): LoggingSettings | null {
  return fn?.logging ?? profile.logging;
}

/** LoggingConfig for CreateFunction / UpdateFunctionConfiguration. */
export function loggingConfigInput(settings: LoggingSettings): Record<string, string> {
  return {
    LogFormat: settings.format,
    ...(settings.format === "JSON" ? { ApplicationLogLevel: settings.applicationLevel ?? DEFAULT_LOG_LEVEL, SystemLogLevel: settings.systemLevel ?? DEFAULT_LOG_LEVEL } : {}),
    ...(settings.logGroup ? { LogGroup: settings.logGroup } : {}),
  };
}

/** Lambda's rules for a function's variables: no reserved name, at most 4 KB in all. */
export function checkEnvironment(environment: Record<string, string>, where: string, report: Report): void {
  for (const name of Object.keys(environment)) {
    if (RESERVED_ENVIRONMENT_VARIABLES.includes(name)) {
      report(where, `environment variable ${name} is reserved by Lambda (it sets it itself, and CreateFunction refuses it): remove it`);
    }
  }
  const size = Object.entries(environment).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > ENVIRONMENT_BYTES_LIMIT) {
    report(where, `environment variables take ${size} bytes (names and values); Lambda allows ${ENVIRONMENT_BYTES_LIMIT}`);
  }
}
