/** `--json`: one event per line, with Python's numbers kept (3.0 stays a float, big integers exact). */
import { PyFloat } from "../protocol/python-json-parse.js";
import { stringifyJson } from "../protocol/python-json.js";
import type { Metadata, RunEvent } from "../run/events.js";

export function jsonLine(event: RunEvent): string {
  const value = "metadata" in event ? { ...event, metadata: floatsMarked(event.metadata) } : event;
  return `${stringifyJson(value, { nonFinite: "string" })}\n`;
}

/** A float metadata value is written as one (`3.0`, `"NaN"`), whatever its JS number looks like. */
function floatsMarked(metadata: Metadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(metadata)) {
    out[name] = v.type === "float" || v.type === "timestamp" ? { ...v, value: new PyFloat(v.value) } : v;
  }
  return out;
}
