/**
 * Reads an invocation's log, line by line as it arrives or all at once (the 4 KB tail of `LogType: Tail`):
 * the pipes messages, the function's own output, the REPORT figures, and whether the start was lost. Lambda's
 * text and JSON log formats are both understood. Pure.
 */
import { decodeLine } from "../protocol/decode-line.js";
import type { PipesMessage } from "../protocol/messages.js";

export type LogItem =
  | { kind: "message"; message: PipesMessage }
  /** Plain output; `level` when it carried the Lambda Node.js prefix (INFO, WARN, ...). */
  | { kind: "output"; text: string; level: string | null }
  | { kind: "invalid"; text: string; error: string };

export interface Report {
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  maxMemoryMb: number;
  initDurationMs: number | null;
}

export interface TailReading {
  items: LogItem[];
  report: Report | null;
  /** The START line is missing: the 4 KB tail lost the beginning of the log. */
  cut: boolean;
  /** The first line, when the tail was cut: a line the cut went through, or a whole line just after it. */
  firstLine: string | null;
  opened: boolean;
  closed: boolean;
  messageCount: number;
}

/** A platform line of the log: where an invocation starts, and its REPORT, the last line Lambda writes for it. */
export type PlatformMark = { kind: "start" | "end" | "report" | "other"; requestId: string | null; report?: Report };

const NODE_PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]*\t([A-Z]+)\t(.*)$/s;
const TEXT_PLATFORM = /^(START|END|REPORT) RequestId: ([^\s]+)|^(INIT_START|INIT_REPORT|XRAY TraceId:) /;
// The runtime's own log line for a function error; the error itself is reported from the payload.
const INVOKE_ERROR = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]*\tERROR\t(Invoke Error|Uncaught Exception|Unhandled Promise Rejection) \t\{/;

const INVOKE_ERROR_RECORD = /^(Invoke Error|Uncaught Exception|Unhandled Promise Rejection) \t\{/;

/** Recognises Lambda's platform lines, in the text format and the JSON log format (`platform.*` records). */
export function platformMark(line: string): PlatformMark | null {
  const text = TEXT_PLATFORM.exec(line);
  if (text) {
    if (!text[1]) return { kind: "other", requestId: null };
    const kind = text[1] === "START" ? "start" : text[1] === "END" ? "end" : "report";
    return { kind, requestId: text[2]!, ...(kind === "report" ? { report: parseReport(line) } : {}) };
  }
  if (!line.startsWith("{") || !line.includes('"platform.')) return null;
  try {
    const record = JSON.parse(line) as { type?: unknown; record?: { requestId?: unknown; metrics?: Record<string, unknown> } };
    if (typeof record.type !== "string" || !record.type.startsWith("platform.")) return null;
    const requestId = typeof record.record?.requestId === "string" ? record.record.requestId : null;
    if (record.type === "platform.start") return { kind: "start", requestId };
    if (record.type !== "platform.report") return { kind: "other", requestId };
    const m = record.record?.metrics ?? {};
    const num = (k: string) => (typeof m[k] === "number" ? (m[k] as number) : null);
    const report = {
      durationMs: num("durationMs") ?? 0,
      billedMs: num("billedDurationMs") ?? 0,
      memoryMb: num("memorySizeMB") ?? 0,
      maxMemoryMb: num("maxMemoryUsedMB") ?? 0,
      initDurationMs: num("initDurationMs"),
    };
    return { kind: "report", requestId, report };
  } catch {
    return null;
  }
}

/** The reading state of one invocation's log, fed line by line; `push` returns what the line brought. */
export class LogReader {
  report: Report | null = null;
  started = false;
  opened = false;
  closed = false;
  messageCount = 0;
  firstLine: string | null = null;
  private lines = 0;

  push(raw: string): LogItem | null {
    const line = raw.replace(/\r$/, "");
    if (this.lines++ === 0) this.firstLine = line;
    const mark = platformMark(line);
    if (mark) {
      if (mark.kind === "start") this.started = true;
      if (mark.report) this.report = mark.report;
      return null;
    }
    if (INVOKE_ERROR.test(line)) return null;
    const decoded = decodeLine(line);
    if (decoded.kind === "message") {
      this.messageCount++;
      if (decoded.message.method === "opened") this.opened = true;
      if (decoded.message.method === "closed") this.closed = true;
      return { kind: "message", message: decoded.message };
    }
    if (decoded.kind === "invalid") return { kind: "invalid", text: decoded.text, error: decoded.error };
    const record = jsonLogRecord(line);
    // The runtime's record of a function error, as INVOKE_ERROR in the text format: the payload reports it.
    if (record && record.level === "ERROR" && INVOKE_ERROR_RECORD.test(record.text)) return null;
    if (record) return { kind: "output", ...record };
    const prefixed = NODE_PREFIX.exec(line);
    return prefixed ? { kind: "output", text: prefixed[2]!.replace(/\r/g, "\n"), level: prefixed[1]! } : { kind: "output", text: line, level: null };
  }
}

/** Splits a log into its lines (no empty last one). */
export function logLines(log: string): string[] {
  const lines = log.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** What the platform lines of a tail say, without decoding the rest: whether it lost its start, and the REPORT. */
export function tailFacts(lines: readonly string[], whole = false): { cut: boolean; report: Report | null } {
  let cut = !whole;
  let report: Report | null = null;
  for (const line of lines) {
    if (!line.startsWith("START ") && !line.startsWith("REPORT ") && !line.startsWith("{")) continue;
    const mark = platformMark(line);
    if (mark?.kind === "start") cut = false;
    if (mark?.report) report = mark.report;
  }
  return { cut, report };
}

export function readTail(log: string): TailReading {
  const reader = new LogReader();
  const items = logLines(log).flatMap((line) => reader.push(line) ?? []);
  const { report, started, opened, closed, messageCount } = reader;
  return { items, report, cut: !started, firstLine: started ? null : reader.firstLine, opened, closed, messageCount };
}

/** REPORT's fields; made once (a backfill reads thousands of REPORT lines). `Duration` is the first one. */
const REPORT_FIELD = {
  duration: /Duration: ([\d.]+)/,
  billed: /Billed Duration: ([\d.]+)/,
  memory: /Memory Size: ([\d.]+)/,
  maxMemory: /Max Memory Used: ([\d.]+)/,
  init: /Init Duration: ([\d.]+)/,
};

function parseReport(line: string): Report {
  const field = (pattern: RegExp) => {
    const match = pattern.exec(line);
    return match ? Number(match[1]) : null;
  };
  return {
    durationMs: field(REPORT_FIELD.duration) ?? 0,
    billedMs: field(REPORT_FIELD.billed) ?? 0,
    memoryMb: field(REPORT_FIELD.memory) ?? 0,
    maxMemoryMb: field(REPORT_FIELD.maxMemory) ?? 0,
    initDurationMs: field(REPORT_FIELD.init),
  };
}

/**
 * A record of Lambda's JSON log format (LoggingConfig JSON: Node.js console.*, Python logging), shown as its level
 * and message, as the text format's prefixed line is; an error's stack follows its message. Null for anything else.
 */
function jsonLogRecord(line: string): { text: string; level: string } | null {
  if (!line.startsWith("{") || !line.includes('"level"')) return null;
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof r !== "object" || r === null || typeof r.level !== "string" || !("message" in r) || !("timestamp" in r)) return null;
  // console.error(err) logs the error itself as the message: {errorType, errorMessage, stackTrace}.
  const error = typeof r.message === "object" && r.message !== null && "errorType" in r.message ? (r.message as Record<string, unknown>) : r;
  const message = error !== r ? `${String(error.errorType)}: ${String(error.errorMessage)}` : typeof r.message === "string" ? r.message : JSON.stringify(r.message);
  const stackTrace = error.stackTrace;
  const stack = Array.isArray(stackTrace) ? stackTrace.filter((s): s is string => typeof s === "string").slice(error !== r && stackTrace[0] === message ? 1 : 0) : [];
  const level = r.level === "WARNING" ? "WARN" : r.level === "CRITICAL" ? "FATAL" : r.level;
  return { text: [message, ...stack.map((s) => s.replace(/\n$/, ""))].join("\n"), level };
}
