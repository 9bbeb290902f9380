import { isPipesEnvelope, parseMessage, type PipesMessage } from "./messages.js";
import { parseJsonAsPython } from "./python-json-fast.js";

/** Where a message was found: a bare JSON line, behind the Lambda Node.js prefix, or in a JSON log record. */
export type LineFormat = "raw" | "node-prefix" | "json-log";

export type DecodedLine =
  /** A valid pipes message. */
  | { kind: "message"; message: PipesMessage; format: LineFormat }
  /** Not a pipes message: plain log output. */
  | { kind: "text"; text: string }
  /** Claims to be a pipes message but is not a valid one: show it as output, and warn with `error`. */
  | { kind: "invalid"; text: string; error: string; format: LineFormat };

/**
 * `<ISO time>\t<request id>\t<LEVEL>\t`, as the Lambda Node.js runtime prefixes console output; the payload follows.
 * Sticky and without a capture of the rest: the match reads the prefix only, not the whole line, and its end is
 * `lastIndex`.
 */
const NODE_PREFIX = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\t[^\t]*\t[A-Z]+\t/y;

/**
 * Decodes one log line. Pure, and never throws: whatever is not a valid pipes message is output.
 * The partial first line of a cut 4 KB tail simply fails to parse and comes back as text.
 */
export function decodeLine(line: string): DecodedLine {
  const text = withoutNewline(line);
  const direct = decodeJson(text, "raw", true);
  if (direct) return direct;
  NODE_PREFIX.lastIndex = 0;
  if (NODE_PREFIX.test(text)) {
    return decodeJson(text.slice(NODE_PREFIX.lastIndex), "node-prefix", false, text) ?? { kind: "text", text };
  }
  return { kind: "text", text };
}

/** The line without one trailing `\n` or `\r\n`: a look at the last characters, where a regex would scan the line. */
function withoutNewline(line: string): string {
  const n = line.length;
  if (line.charCodeAt(n - 1) !== 0x0a) return line;
  return line.slice(0, line.charCodeAt(n - 2) === 0x0d ? n - 2 : n - 1);
}

/** Decodes a whole log (e.g. a decoded `LogResult`) line by line. */
export function decodeLog(log: string): DecodedLine[] {
  const lines = log.split(/\r?\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines.map(decodeLine);
}

function decodeJson(payload: string, format: LineFormat, allowRecord: boolean, original = payload): DecodedLine | undefined {
  const trimmed = payload.trim();
  if (!trimmed.startsWith("{")) return undefined;
  let value: unknown;
  try {
    // As Dagster reads it (json.loads): NaN and Infinity decode, 3.0 stays a float, big integers stay exact.
    value = parseJsonAsPython(trimmed);
  } catch {
    return undefined;
  }
  if (isPipesEnvelope(value)) return fromEnvelope(value, format, original);
  // Lambda's JSON log format: {"timestamp", "level", "requestId", "message": <the line>}.
  if (allowRecord && isLogRecord(value)) {
    const inner = value.message;
    if (isPipesEnvelope(inner)) return fromEnvelope(inner, "json-log", original);
    if (typeof inner === "string") {
      const decoded = decodeJson(inner, "json-log", false, original);
      if (decoded) return decoded;
    }
  }
  return undefined;
}

function fromEnvelope(envelope: Record<string, unknown>, format: LineFormat, text: string): DecodedLine {
  const parsed = parseMessage(envelope);
  return parsed.ok
    ? { kind: "message", message: parsed.value, format }
    : { kind: "invalid", text, error: parsed.error, format };
}

function isLogRecord(v: unknown): v is { message: unknown } {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  return "message" in r && ("level" in r || "timestamp" in r || "requestId" in r || "time" in r);
}
