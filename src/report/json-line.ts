/** `--json`: one event per line, with Python's numbers kept (3.0 stays a float, big integers exact). */
import { PyFloat } from "../protocol/python-json-parse.js";
import { stringifyJson } from "../protocol/python-json.js";
import type { Metadata, RunEvent } from "../run/events.js";

export function jsonLine(event: RunEvent): string {
  if (event === last.event) return last.line;
  const value = "metadata" in event ? { ...event, metadata: floatsMarked(event.metadata) } : event;
  const line = `${stringifyJson(value, { nonFinite: "string" })}\n`;
  last = { event, line };
  return line;
}

/** `--json` and the run history write the same line for each event, one after the other: it is made once. */
let last: { event: RunEvent | null; line: string } = { event: null, line: "" };

/** A float metadata value is written as one (`3.0`, `"NaN"`), whatever its JS number looks like. */
function floatsMarked(metadata: Metadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(metadata)) {
    out[name] = v.type === "float" || v.type === "timestamp" ? { ...v, value: new PyFloat(v.value) } : v;
  }
  return out;
}
