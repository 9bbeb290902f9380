/**
 * LoggingConfig as CreateFunction / UpdateFunctionConfiguration take it and FunctionConfiguration returns it,
 * with AWS's defaults (JSON format: both levels INFO) and error words. Pure.
 * AWS: docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html ("Configuring advanced logging
 * controls"): "You can only configure log-level filtering when the log format is JSON"; the API reference's
 * LoggingConfig type: LogFormat JSON | Text, ApplicationLogLevel / SystemLogLevel TRACE | DEBUG | INFO | WARN |
 * ERROR | FATAL (SystemLogLevel: DEBUG | INFO | WARN), LogGroup 1-512 of [\.\-_/#A-Za-z0-9]+.
 */
import { DEFAULT_LOG_LEVEL, isLogLevel, LOG_FORMATS, LOG_GROUP_PATTERN, LOG_LEVELS, SYSTEM_LOG_LEVELS, type LogFormat, type LoggingSettings } from "../facts/lambda.js";

export interface LoggingError {
  errorType: "ValidationException" | "InvalidParameterValueException";
  message: string;
}

const enumError = (value: unknown, field: string, values: readonly string[]): LoggingError => ({
  errorType: "ValidationException",
  message: `1 validation error detected: Value '${String(value).slice(0, 140)}' at 'loggingConfig.${field}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(", ")}]`,
});

/** The request's LoggingConfig over the function's current one, or AWS's error for it. */
export function mergeLoggingConfig(current: LoggingSettings | undefined, raw: unknown): LoggingSettings | LoggingError {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { errorType: "InvalidParameterValueException", message: "LoggingConfig must be an object" };
  }
  const r = raw as Record<string, unknown>;
  const next: LoggingSettings = { ...(current ?? { format: "Text" }) };
  if (r.LogFormat !== undefined) {
    if (!(LOG_FORMATS as readonly unknown[]).includes(r.LogFormat)) return enumError(r.LogFormat, "logFormat", LOG_FORMATS);
    next.format = r.LogFormat as LogFormat;
  }
  if (r.ApplicationLogLevel !== undefined && !isLogLevel(r.ApplicationLogLevel)) return enumError(r.ApplicationLogLevel, "applicationLogLevel", LOG_LEVELS);
  if (r.SystemLogLevel !== undefined && !(SYSTEM_LOG_LEVELS as readonly unknown[]).includes(r.SystemLogLevel)) {
    return enumError(r.SystemLogLevel, "systemLogLevel", SYSTEM_LOG_LEVELS);
  }
  if (r.LogGroup !== undefined) {
    if (typeof r.LogGroup !== "string" || !LOG_GROUP_PATTERN.test(r.LogGroup)) {
      return {
        errorType: "ValidationException",
        message: `1 validation error detected: Value '${String(r.LogGroup).slice(0, 140)}' at 'loggingConfig.logGroup' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+`,
      };
    }
    next.logGroup = r.LogGroup;
  }
  if (next.format === "Text") {
    if (r.ApplicationLogLevel !== undefined || r.SystemLogLevel !== undefined) {
      return {
        errorType: "InvalidParameterValueException",
        message: 'LogLevel is not supported when LogFormat is set to "Text". Remove LogLevel from your request or change the LogFormat to "JSON" and try again.',
      };
    }
    delete next.applicationLevel;
    delete next.systemLevel;
    return next;
  }
  next.applicationLevel = (r.ApplicationLogLevel as LoggingSettings["applicationLevel"]) ?? next.applicationLevel ?? DEFAULT_LOG_LEVEL;
  next.systemLevel = (r.SystemLogLevel as LoggingSettings["systemLevel"]) ?? next.systemLevel ?? DEFAULT_LOG_LEVEL;
  return next;
}

/** FunctionConfiguration.LoggingConfig: levels only with JSON, as AWS returns it. */
export function loggingConfigOf(logging: LoggingSettings | undefined, defaultGroup: string): Record<string, string> {
  const format = logging?.format ?? "Text";
  return {
    LogFormat: format,
    ...(format === "JSON" ? { ApplicationLogLevel: logging?.applicationLevel ?? DEFAULT_LOG_LEVEL, SystemLogLevel: logging?.systemLevel ?? DEFAULT_LOG_LEVEL } : {}),
    LogGroup: logging?.logGroup ?? defaultGroup,
  };
}
