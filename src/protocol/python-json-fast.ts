/**
 * `json.loads` semantics at `JSON.parse` speed. Pure.
 *
 * `JSON.parse` gives exactly what {@link parsePythonJson} gives for almost every line: strings, keys (their order,
 * `__proto__`, duplicates), booleans, null and every non-integral finite number decode alike. They differ only where
 * a number decodes to a whole one: Python keeps `3.0`, `1e3` or `1e-400` a float, an integer past 2^53 exact, and `-0`
 * an int 0; and on what `JSON.parse` refuses (`NaN`, `Infinity`) or Python refuses (nesting past its limit). So a
 * line goes to the exact parser only when `JSON.parse` refuses it, when it nests deeper than Python allows, or when
 * it holds a whole number and its text has something that could be written as a float or an unsafe integer.
 */
import { parsePythonJson } from "./python-json-parse.js";

/** The exact parser's depth limit (python-json-parse.ts): deeper documents go there to be refused as before. */
const MAX_DEPTH = 500;

/**
 * Text that may be a number token decoding to a whole number yet a Python float (`3.0`, `2.50e1`, `1E5`), or one of
 * more digits than a double holds exactly. It may also match inside a string ("v1.0"): that only costs the exact
 * parse. (An exponent counts where a token can start, so hex ids such as `c0ffee3e4` do not.)
 */
const RISKY_NUMBER_TEXT = /\d\.0+(?![0-9])|(?<![\w.])\d+(?:\.\d+)?[eE][-+]?\d|\d[\d.]{15}/;

/** Parses one JSON document exactly as {@link parsePythonJson} does (same values, same refusals), faster. */
export function parseJsonAsPython(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parsePythonJson(text); // NaN, Infinity; or not JSON at all, refused with the exact parser's words
  }
  const found = wholeNumbers(value, 0);
  if (found === "exact" || (found === "some" && RISKY_NUMBER_TEXT.test(text))) return parsePythonJson(text);
  return value;
}

/** "none": no whole number; "some": only safe whole numbers; "exact": only the exact parser can tell. */
function wholeNumbers(value: unknown, depth: number): "none" | "some" | "exact" {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) return Number.isFinite(value) ? "none" : "exact";
    return Number.isSafeInteger(value) && !Object.is(value, -0) ? "some" : "exact";
  }
  if (typeof value !== "object" || value === null) return "none";
  if (depth >= MAX_DEPTH) return "exact";
  let seen: "none" | "some" = "none";
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = wholeNumbers(item, depth + 1);
      if (found === "exact") return found;
      if (found === "some") seen = found;
    }
    return seen;
  }
  // for…in, not Object.values: no array per object (JSON.parse's objects have no inherited enumerable keys).
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const found = wholeNumbers(record[key], depth + 1);
    if (found === "exact") return found;
    if (found === "some") seen = found;
  }
  return seen;
}
