import { PyFloat } from "./python-json-parse.js";

/**
 * `json.dumps(value)` as Python writes it with its defaults (separators ", " and ": ", ensure_ascii),
 * so that what `pipes` encodes is the same text Dagster's Python side would encode.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      return pythonNumber(value);
    case "bigint":
      return value.toString();
    case "string":
      return pythonString(value);
    case "object": {
      if (value instanceof PyFloat) return pythonFloat(value.value);
      const maybe = value as { toJSON?: () => unknown };
      if (typeof maybe.toJSON === "function") return pythonJsonDumps(maybe.toJSON());
      // Concatenated in loops, not mapped and joined: a backfill writes one context per invocation.
      let out = "";
      if (Array.isArray(value)) {
        for (const item of value) out += `${out ? ", " : ""}${pythonJsonDumps(item)}`;
        return `[${out}]`;
      }
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        if (item !== undefined && typeof item !== "function") out += `${out ? ", " : ""}${pythonString(key)}: ${pythonJsonDumps(item)}`;
      }
      return `{${out}}`;
    }
    default:
      return "null";
  }
}

/** A JS number as Python would have written it: a safe whole number was an int, anything else a float. */
function pythonNumber(n: number): string {
  // Beyond 2^53 a whole number can only have been a float.
  if (Number.isSafeInteger(n) && !Object.is(n, -0)) return String(n);
  return pythonFloat(n);
}

/** Python's float repr: `NaN`, `Infinity`, `3.0`, exponents with at least two digits, `1e-05` below 1e-4. */
export function pythonFloat(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  const abs = Math.abs(n);
  if (abs < 1e-4 && abs !== 0 || abs >= 1e16) {
    // toExponential gives the shortest round-trip digits too; only the exponent's shape differs.
    return n.toExponential().replace(/e([+-])(\d)$/, "e$10$2");
  }
  const text = Object.is(n, -0) ? "-0" : String(n);
  return Number.isInteger(n) ? `${text}.0` : text;
}

/**
 * Compact JSON text (as JSON.stringify) that keeps what decoding kept: a float stays a float (`3.0`), a big
 * integer keeps every digit. JSON has no NaN or Infinity: `nonFinite: "string"` writes them as the strings
 * "NaN", "Infinity", "-Infinity" (valid JSON, for `--json`), `"python"` bare as Python does (for people).
 */
export function stringifyJson(value: unknown, options: { nonFinite: "string" | "python" } = { nonFinite: "string" }): string {
  const write = (v: unknown): string | undefined => {
    if (v === null) return "null";
    switch (typeof v) {
      case "boolean":
        return v ? "true" : "false";
      case "bigint":
        return v.toString();
      case "string":
        return JSON.stringify(v);
      case "number":
        return float(v, Number.isInteger(v) ? String(v === 0 ? 0 : v) : pythonFloat(v));
      case "object": {
        if (v instanceof PyFloat) return float(v.value, pythonFloat(v.value));
        const maybe = v as { toJSON?: () => unknown };
        if (typeof maybe.toJSON === "function") return write(maybe.toJSON());
        if (Array.isArray(v)) return `[${v.map((item) => write(item) ?? "null").join(",")}]`;
        const parts: string[] = [];
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
          const text = write(item);
          if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
        }
        return `{${parts.join(",")}}`;
      }
      default:
        return undefined;
    }
  };
  const float = (n: number, text: string) =>
    Number.isFinite(n) || options.nonFinite === "python" ? text : JSON.stringify(text);
  return write(value) ?? "null";
}

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  "\\": "\\\\",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\b": "\\b",
  "\f": "\\f",
};

/** Printable ASCII but `"` and `\\`: written as is (most keys and values; a pipes context has thousands per backfill). */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** ensure_ascii: everything outside space..tilde is escaped, astral characters as surrogate pairs. */
function pythonString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const code = s.charCodeAt(i);
    if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}
