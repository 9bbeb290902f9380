/**
 * Reads the log tail Lambda returns with `LogType: Tail` (the last 4 KB of the invocation's log): the pipes
 * messages, the function's own output, the REPORT figures, and whether the 4 KB cut lost the start. Pure.
 */
import { decodeLine } from "../protocol/decode-line.js";
import type { PipesMessage } from "../protocol/messages.js";

import { TAIL_BYTES as TAIL_LIMIT } from "./facts.js";

export { TAIL_LIMIT };

export type TailItem =
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
  items: TailItem[];
  report: Report | null;
  /** The START line is missing: the 4 KB tail lost the beginning of the log. */
  cut: boolean;
  /** The first line, when the tail was cut: a line the cut went through, or a whole line just after it. */
  firstLine: string | null;
  opened: boolean;
  closed: boolean;
  messageCount: number;
}

const NODE_PREFIX = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]*\t([A-Z]+)\t(.*)$/s;
const PLATFORM = /^(START|END) RequestId: |^REPORT RequestId: |^INIT_START |^XRAY TraceId: /;
// The runtime's own log line for a function error; the error itself is reported from the payload.
const INVOKE_ERROR = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t[^\t]*\tERROR\t(Invoke Error|Uncaught Exception|Unhandled Promise Rejection) \t\{/;

export function readTail(log: string): TailReading {
  const lines = log.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const items: TailItem[] = [];
  let report: Report | null = null;
  let started = false;
  let opened = false;
  let closed = false;
  let messageCount = 0;
  for (const raw of lines) {
    const line = raw.replace(/\r$/, "");
    if (PLATFORM.test(line)) {
      if (line.startsWith("START ")) started = true;
      if (line.startsWith("REPORT ")) report = parseReport(line);
      continue;
    }
    if (INVOKE_ERROR.test(line)) continue;
    const decoded = decodeLine(line);
    if (decoded.kind === "message") {
      messageCount++;
      if (decoded.message.method === "opened") opened = true;
      if (decoded.message.method === "closed") closed = true;
      items.push({ kind: "message", message: decoded.message });
    } else if (decoded.kind === "invalid") {
      items.push({ kind: "invalid", text: decoded.text, error: decoded.error });
    } else {
      const prefixed = NODE_PREFIX.exec(line);
      items.push(prefixed ? { kind: "output", text: prefixed[2]!.replace(/\r/g, "\n"), level: prefixed[1]! } : { kind: "output", text: line, level: null });
    }
  }
  return { items, report, cut: !started, firstLine: started ? null : (lines[0] ?? null), opened, closed, messageCount };
}

function parseReport(line: string): Report {
  const field = (name: string) => {
    const match = new RegExp(`${name}: ([\\d.]+)`).exec(line);
    return match ? Number(match[1]) : null;
  };
  return {
    durationMs: field("Duration") ?? 0,
    billedMs: field("Billed Duration") ?? 0,
    memoryMb: field("Memory Size") ?? 0,
    maxMemoryMb: field("Max Memory Used") ?? 0,
    initDurationMs: field("Init Duration"),
  };
}

/**
 * What the cut lost, counted on the whole log (known on the emulator): bytes, and pipes messages by method
 * among the lines that lay wholly or partly before the last 4 KB.
 */
export function lostToCut(fullLog: string): { logBytes: number; lostBytes: number; lostMessages: Record<string, number> } {
  const bytes = Buffer.byteLength(fullLog);
  const lostBytes = Math.max(0, bytes - TAIL_LIMIT);
  const lostMessages: Record<string, number> = {};
  let offset = 0;
  for (const line of fullLog.split("\n")) {
    if (offset >= lostBytes) break;
    const decoded = decodeLine(line);
    if (decoded.kind === "message") lostMessages[decoded.message.method] = (lostMessages[decoded.message.method] ?? 0) + 1;
    offset += Buffer.byteLength(line) + 1;
  }
  return { logBytes: bytes, lostBytes, lostMessages };
}
