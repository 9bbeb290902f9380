/**
 * JSON as Python's `json.loads` reads it, so a message decodes here exactly as Dagster decodes it. Pure.
 *
 * Python's `json.dumps` writes `NaN`, `Infinity` and `-Infinity` (JSON.parse rejects them), writes a float
 * such as 3.0 as `3.0` (JSON.parse makes it the integer 3) and writes integers of any size (JSON.parse rounds
 * them past 2^53). The values come back as:
 * - a JS `number` where that says it all: a safe integer is an int, a non-integral number a float;
 * - a {@link PyFloat} for a float that a JS number would pass off as an int: `3.0`, `1e+16`, NaN, ±Infinity;
 * - a `bigint` for an integer beyond 2^53.
 */

/** A Python float that a JS number cannot mark as one: integral (`3.0`) or not finite. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
}

/** A number as a JSON value decoded here can hold it. */
export type PyNumber = number | bigint | PyFloat;

/** True for the values Python would call a float. */
export function isPyFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === "number" && !Number.isInteger(v));
}

/** True for the values Python would call an int (a bool is not one here). */
export function isPyInt(v: unknown): v is number | bigint {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

/** The float or int value as a JS number (NaN for anything else). */
export function toNumber(v: unknown): number {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return Number.NaN;
}

export class PythonJsonError extends Error {
  override name = "PythonJsonError";
}

/** Python's own recursion limit is near 1,000 frames; deeper documents are refused, never a stack overflow. */
const MAX_DEPTH = 500;
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/** Parses one JSON document as `json.loads` does; throws a `PythonJsonError` saying where it failed. */
export function parsePythonJson(text: string): unknown {
  let pos = 0;
  const fail = (why: string): never => {
    throw new PythonJsonError(`${why} at position ${pos}`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const literal = (word: string, value: unknown) => {
    if (!text.startsWith(word, pos)) fail("unexpected token");
    pos += word.length;
    return value;
  };
  const string = (): string => {
    STRING_BODY.lastIndex = pos + 1;
    if (!STRING_BODY.exec(text)) fail("unterminated or invalid string");
    const end = STRING_BODY.lastIndex;
    // The body was checked above; JSON.parse decodes its escapes, surrogate pairs included.
    const value = JSON.parse(text.slice(pos, end)) as string;
    pos = end;
    return value;
  };
  const number = (): PyNumber => {
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) return fail("unexpected token");
    pos = NUMBER.lastIndex;
    const token = match[0];
    if (match[1] === undefined && match[2] === undefined) {
      const n = Number(token);
      return Number.isSafeInteger(n) ? (Object.is(n, -0) ? 0 : n) : BigInt(token);
    }
    const n = Number(token);
    return Number.isInteger(n) || !Number.isFinite(n) ? new PyFloat(n) : n;
  };
  const value = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail("nested too deeply");
    skip();
    const ch = text[pos];
    switch (ch) {
      case "{":
        return object(depth);
      case "[":
        return array(depth);
      case '"':
        return string();
      case "t":
        return literal("true", true);
      case "f":
        return literal("false", false);
      case "n":
        return literal("null", null);
      case "N":
        return literal("NaN", new PyFloat(Number.NaN));
      case "I":
        return literal("Infinity", new PyFloat(Number.POSITIVE_INFINITY));
      case "-":
        if (text.startsWith("-Infinity", pos)) return literal("-Infinity", new PyFloat(Number.NEGATIVE_INFINITY));
        return number();
      default:
        return number();
    }
  };
  const object = (depth: number): Record<string, unknown> => {
    pos++;
    const out: Record<string, unknown> = {};
    skip();
    if (text[pos] === "}") {
      pos++;
      return out;
    }
    for (;;) {
      skip();
      if (text[pos] !== '"') fail("expected a property name");
      const key = string();
      skip();
      if (text[pos++] !== ":") fail("expected ':'");
      const v = value(depth + 1);
      // A plain assignment of "__proto__" would replace the prototype; JSON.parse makes it an own property.
      Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      skip();
      const next = text[pos++];
      if (next === "}") return out;
      if (next !== ",") fail("expected ',' or '}'");
    }
  };
  const array = (depth: number): unknown[] => {
    pos++;
    const out: unknown[] = [];
    skip();
    if (text[pos] === "]") {
      pos++;
      return out;
    }
    for (;;) {
      out.push(value(depth + 1));
      skip();
      const next = text[pos++];
      if (next === "]") return out;
      if (next !== ",") fail("expected ',' or ']'");
    }
  };
  const result = value(0);
  skip();
  if (pos !== text.length) fail("extra data");
  return result;
}
