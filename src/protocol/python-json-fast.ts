/**
 * `json.loads` semantics at `JSON.parse` speed. Pure.
 *
 * `JSON.parse` gives exactly what {@link parsePythonJson} gives for almost every line: strings, keys (their order,
 * `__proto__`, duplicates), booleans, null and every number that is written as an integer of at most 15 digits or
 * as a decimal of at most 15 digits with a non-zero fraction decode alike. They differ only on number tokens that
 * may decode to a whole value Python keeps a float (`3.0`, `-0.0`, `1e3`, `1e-400`, `0.99999999999999999`), on
 * integers a double cannot hold exactly (16 digits or more), on `-0` (Python's int 0), on what `JSON.parse` refuses
 * (`NaN`, `Infinity`) and on what Python refuses (nesting past its limit). One pass over the text finds those number
 * tokens (strings are skipped with indexOf, so a "v1.0" or a "…T10:00:00.000Z" inside one costs nothing), and only
 * for a value that holds a whole number at all: only those lines go to the exact parser.
 */
import { parsePythonJson } from "./python-json-parse.js";

/** The exact parser's depth limit (python-json-parse.ts): deeper documents go there to be refused as before. */
const MAX_DEPTH = 500;

/**
 * Digits a decimal may have and still decode to the double nearest it without passing for a whole number: 15
 * significant digits round-trip through a double, so such a decimal with a non-zero fraction stays non-integral.
 */
const EXACT_DIGITS = 15;

/** Parses one JSON document exactly as {@link parsePythonJson} does (same values, same refusals), faster. */
export function parseJsonAsPython(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parsePythonJson(text); // NaN, Infinity; or not JSON at all, refused with the exact parser's words
  }
  // A value with no whole number in it (most log lines) is JSON.parse's as it is: only whole numbers can differ.
  return hasWholeNumber(value, 0) && needsExactParser(text) ? parsePythonJson(text) : value;
}

/** True when a whole number (or a value only the exact parser can tell, such as -0 or deep nesting) is in `value`. */
function hasWholeNumber(value: unknown, depth: number): boolean {
  if (typeof value === "number") return Number.isInteger(value) || !Number.isFinite(value);
  if (typeof value !== "object" || value === null) return false;
  if (depth >= MAX_DEPTH) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (hasWholeNumber(item, depth + 1)) return true;
    return false;
  }
  // for…in, not Object.values: no array per object (JSON.parse's objects have no inherited enumerable keys).
  const record = value as Record<string, unknown>;
  for (const key in record) if (hasWholeNumber(record[key], depth + 1)) return true;
  return false;
}

/**
 * True when `text` has a number token on which JSON.parse and json.loads may disagree, or nests past the limit.
 * Text that is not JSON may get either answer: the exact parser refuses it, JSON.parse throws and it goes there.
 */
export function needsExactParser(text: string): boolean {
  const n = text.length;
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = closingQuote(text, i);
      if (i < 0) return false; // an unterminated string: not JSON
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
    } else if (c === MINUS || isDigit(c)) {
      const end = numberEnd(text, i);
      if (end < 0) return true;
      i = end - 1;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const isDigit = (c: number) => c >= ZERO && c <= 0x39;

/** The index of the quote closing the string opened at `open` (one not escaped by an odd run of backslashes), or -1. */
function closingQuote(text: string, open: number): number {
  let at = text.indexOf('"', open + 1);
  while (at > 0) {
    let slashes = 0;
    while (text.charCodeAt(at - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}

/**
 * Where the number token starting at `start` ends, or -1 when JSON.parse's value of it may not be json.loads':
 * an exponent, a fraction of zeros only, more than 15 digits, or `-0`.
 */
function numberEnd(text: string, start: number): number {
  const n = text.length;
  let i = start;
  const negative = text.charCodeAt(i) === MINUS;
  if (negative) i++;
  let digits = 0;
  const integerStart = i;
  while (i < n && isDigit(text.charCodeAt(i))) i++;
  digits += i - integerStart;
  const zeroInteger = i - integerStart === 1 && text.charCodeAt(integerStart) === ZERO;
  let fraction = false;
  let fractionZeros = true;
  if (text.charCodeAt(i) === DOT) {
    fraction = true;
    const fractionStart = ++i;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (!isDigit(c)) break;
      if (c !== ZERO) fractionZeros = false;
    }
    digits += i - fractionStart;
  }
  const c = text.charCodeAt(i);
  if (c === 0x65 || c === 0x45) return -1; // e, E
  if (digits > EXACT_DIGITS || (fraction && fractionZeros) || (negative && zeroInteger && !fraction)) return -1;
  return i;
}
