/**
 * Lambda's JSON log format and log-level filtering (LoggingConfig), applied to a sandbox's log as AWS applies it.
 * Pure.
 *
 * AWS, "Configuring JSON and plain text log formats" and "Log-level filtering"
 * (docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-logformat.html, ...-loglevel.html):
 * - "For other logging methods [than the runtime's built-in ones], your function's output must be in JSON with a
 *   level key ... If the value of level is missing or invalid, Lambda assigns it the log level INFO", and "Lambda
 *   only sends application logs at the selected level and lower [more severe] to CloudWatch".
 * - System logs become JSON records `{"time", "type", "record"}`; the telemetry schema reference
 *   (docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html) gives `platform.initStart`
 *   `{initializationType, phase, runtimeVersion?, functionName, functionVersion}`, `platform.start`
 *   `{requestId, version}`, `platform.runtimeDone` `{requestId, status}`, and `platform.report`
 *   `{requestId, metrics: {durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB, initDurationMs?}, status}`,
 *   all at INFO, filtered by SystemLogLevel.
 * Lines that are not JSON stay as they are (at INFO); the emulator's own diagnostic lines are not filtered.
 */
import { DEFAULT_LOG_LEVEL, LOG_LEVELS, type LoggingSettings, type LogLevel } from "../../facts/lambda.js";

const rank = (level: LogLevel) => LOG_LEVELS.indexOf(level);

/** A record's `level` as Lambda reads it (Python's WARNING and CRITICAL included); undefined when missing or invalid. */
export function levelOf(value: unknown): LogLevel | undefined {
  if (typeof value !== "string") return undefined;
  const upper = value.toUpperCase();
  if (upper === "WARNING") return "WARN";
  if (upper === "CRITICAL") return "FATAL";
  return (LOG_LEVELS as readonly string[]).includes(upper) ? (upper as LogLevel) : undefined;
}

/** The level a raw stdout/stderr line is filed at: its JSON `level`, else INFO. */
export function applicationLevelOf(line: string): LogLevel {
  const text = line.trim();
  if (!text.startsWith("{")) return "INFO";
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return levelOf((parsed as Record<string, unknown>).level) ?? "INFO";
  } catch {
    // not JSON: INFO
  }
  return "INFO";
}

export interface PlatformFacts {
  /** The invocation's status for platform.runtimeDone / platform.report: success, error, timeout. */
  status?: string | undefined;
  /** START of a cold start: platform.initStart comes first. */
  cold?: boolean;
  functionName?: string;
}

/** The emulator's own diagnostic lines in a function's log: never filtered. */
const EMULATOR_PREFIX = "pipes emulator: ";
const START = /^START RequestId: (\S+) Version: (\S+)$/;
const END = /^END RequestId: (\S+)$/;
const REPORT = /^REPORT RequestId: (\S+)\t/;

/** Shapes one function's log: Text passes everything; JSON filters application lines and turns platform lines into records. */
export class LogShaper {
  readonly json: boolean;
  private readonly applicationLevel: LogLevel;
  private readonly systemLevel: LogLevel;

  constructor(logging: LoggingSettings | undefined) {
    this.json = logging?.format === "JSON";
    this.applicationLevel = logging?.applicationLevel ?? DEFAULT_LOG_LEVEL;
    this.systemLevel = logging?.systemLevel ?? DEFAULT_LOG_LEVEL;
  }

  /** A line the function wrote; null when Lambda would drop it at the function's application level. */
  application(line: string): string | null {
    if (!this.json || line.startsWith(EMULATOR_PREFIX)) return line;
    return rank(applicationLevelOf(line)) >= rank(this.applicationLevel) ? line : null;
  }

  /** A platform line (START, END, REPORT) as the format has it: none, one or two lines. */
  platform(line: string, facts: PlatformFacts = {}, now?: Date): string[] {
    if (!this.json) return [line];
    const records = platformRecords(line, facts, now ?? new Date());
    if (!records) return [line];
    // Every platform record the emulator writes is at INFO.
    return rank("INFO") >= rank(this.systemLevel) ? records.map((r) => JSON.stringify(r)) : [];
  }
}

function platformRecords(line: string, facts: PlatformFacts, now: Date): Record<string, unknown>[] | null {
  const time = now.toISOString();
  let m = START.exec(line);
  if (m) {
    const start = { time, type: "platform.start", record: { requestId: m[1], version: m[2] } };
    if (!facts.cold) return [start];
    const init = { initializationType: "on-demand", phase: "init", functionName: facts.functionName, functionVersion: m[2] };
    return [{ time, type: "platform.initStart", record: init }, start];
  }
  m = END.exec(line);
  if (m) return [{ time, type: "platform.runtimeDone", record: { requestId: m[1], status: facts.status ?? "success" } }];
  m = REPORT.exec(line);
  if (m) {
    const field = (name: string) => {
      const found = new RegExp(`\\t${name}: ([\\d.]+)`).exec(line);
      return found ? Number(found[1]) : undefined;
    };
    const metrics: Record<string, number> = {
      durationMs: field("Duration")!,
      billedDurationMs: field("Billed Duration")!,
      memorySizeMB: field("Memory Size")!,
      maxMemoryUsedMB: field("Max Memory Used")!,
    };
    const init = field("Init Duration");
    if (init !== undefined) metrics.initDurationMs = init;
    return [{ time, type: "platform.report", record: { requestId: m[1], metrics, status: facts.status ?? "success" } }];
  }
  return null;
}
