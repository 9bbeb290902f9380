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
      const maybe = value as { toJSON?: () => unknown };
      if (typeof maybe.toJSON === "function") return pythonJsonDumps(maybe.toJSON());
      if (Array.isArray(value)) return `[${value.map((v) => pythonJsonDumps(v)).join(", ")}]`;
      const entries = Object.entries(value as Record<string, unknown>).filter(
        ([, v]) => v !== undefined && typeof v !== "function",
      );
      return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJsonDumps(v)}`).join(", ")}}`;
    }
    default:
      return "null";
  }
}

/** Python's float repr: `NaN`, `Infinity`, exponents with at least two digits, `1e-05` below 1e-4. */
function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (!Number.isFinite(n)) return n > 0 ? "Infinity" : "-Infinity";
  // A safe whole number is an int on the Python side; beyond 2^53 it can only have been a float.
  if (Number.isSafeInteger(n)) return Object.is(n, -0) ? "-0.0" : String(n);
  const abs = Math.abs(n);
  let text = abs < 1e-4 || abs >= 1e16 ? n.toExponential() : String(n);
  // toExponential gives the shortest round-trip digits too; only the exponent's shape differs.
  text = text.replace(/e([+-])(\d)$/, "e$10$2");
  return text;
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

/** ensure_ascii: everything outside space..tilde is escaped, astral characters as surrogate pairs. */
function pythonString(s: string): string {
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
