/**
 * `json.loads` semantics at `JSON.parse` speed. Pure.
 *
 * `JSON.parse` gives exactly what {@link parsePythonJson} gives for almost every line: strings, keys (their order,
 * `__proto__`, duplicates), booleans, null and every number that is written as an integer of at most 15 digits or
 * as a decimal of at most 15 digits with a non-zero fraction decode alike. They differ only on number tokens that
 * may decode to a whole value Python keeps a float (`3.0`, `-0.0`, `1e3`, `1e-400`, `0.99999999999999999`), on
 * integers a double cannot hold exactly (16 digits or more), on `-0` (Python's int 0), on what `JSON.parse` refuses
 * (`NaN`, `Infinity`) and on what Python refuses (nesting past its limit).
 *
 * So JSON.parse's value is checked in up to three steps, each cheaper than the next and only for what the one
 * before could not clear: a walk of the value (most log lines hold no whole number at all; -0, huge or infinite
 * numbers and deep nesting are seen there), a native regex over the text for tokens that could be whole floats, each
 * judged on its own, then one pass over the text that skips strings and looks at each number token (a risky-looking
 * token may sit in a string). Only what that pass finds goes to the exact parser.
 */
import { parsePythonJson } from "./python-json-parse.js";

/** The exact parser's depth limit (python-json-parse.ts): deeper documents go there to be refused as before. */
const MAX_DEPTH = 500;

/**
 * Digits a decimal may have and still decode to the double nearest it without passing for a whole number: 15
 * significant digits round-trip through a double, so such a decimal with a non-zero fraction stays non-integral.
 */
const EXACT_DIGITS = 15;

/**
 * Below 2^50 doubles are at most 1/8 apart, so a decimal rounds to a whole value only when it lies within 1/16 of
 * one: its fraction starts with 0 or 9. And every integer token below it is a safe integer, which both parsers read
 * alike. Whole values from 2^50 up are rare in logs (µs timestamps): those lines go to the exact parser.
 */
const SMALL_WHOLE_LIMIT = 2 ** 50;

// What the walk of JSON.parse's value found, from least to most.
/** No whole number: the value is json.loads' as it is. */
const NOTHING = 0;
/** Whole numbers, all below SMALL_WHOLE_LIMIT and none -0: they differ only where written as floats. */
const SMALL_WHOLE = 1;
/** -0, a whole value from SMALL_WHOLE_LIMIT up, an infinity, or nesting near the limit: the exact parser decides. */
const EXACT_ONLY = 2;
type Found = typeof NOTHING | typeof SMALL_WHOLE | typeof EXACT_ONLY;

/**
 * The end of a number token that may be a float JSON.parse turned whole: a decimal whose fraction starts with 0 or 9
 * (see SMALL_WHOLE_LIMIT), or one with an exponent, each followed by what follows a number token (whitespace, `,`,
 * `]`, `}` or the end). It may match inside a string too (`"3.0 rows"`). A "v1.0" or a "…T10:00:00.000Z" ends in a
 * quote or a letter, so it does not match. Global: maybeWholeFloat steps through the matches.
 */
const MAY_BE_WHOLE_FLOAT = /(?:\.[09]\d*|\d[eE][+-]?\d+)(?:[ \t\n\r,\]}]|$)/g;

/** Parses one JSON document exactly as {@link parsePythonJson} does (same values, same refusals), faster. */
export function parseJsonAsPython(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parsePythonJson(text); // NaN, Infinity; or not JSON at all, refused with the exact parser's words
  }
  switch (wholeNumbersIn(value)) {
    case NOTHING:
      return value;
    case SMALL_WHOLE:
      return maybeWholeFloat(text) && needsExactParser(text) ? parsePythonJson(text) : value;
    default:
      return parsePythonJson(text);
  }
}

/** The walk of a whole document, which may be a bare number or string too. */
function wholeNumbersIn(value: unknown): Found {
  if (typeof value === "object" && value !== null) return wholeNumbersInside(value, 0);
  return typeof value === "number" ? numberKind(value) : NOTHING;
}

/**
 * Walks a whole array or object (it stops early only at EXACT_ONLY): a whole number seen first must not hide a -0,
 * a huge number or a deep nesting further on, which the text search after it does not look for. Leaves are looked
 * at in the loop, not in a call each: most of a message is strings.
 */
function wholeNumbersInside(container: object, depth: number): Found {
  if (depth >= MAX_DEPTH) return EXACT_ONLY;
  let found: Found = NOTHING;
  if (Array.isArray(container)) {
    for (const item of container) {
      const inItem = wholeNumbersOf(item, depth);
      if (inItem === EXACT_ONLY) return inItem;
      if (inItem === SMALL_WHOLE) found = SMALL_WHOLE;
    }
    return found;
  }
  // for…in, not Object.values: no array per object (JSON.parse's objects have no inherited enumerable keys).
  const record = container as Record<string, unknown>;
  for (const key in record) {
    const inValue = wholeNumbersOf(record[key], depth);
    if (inValue === EXACT_ONLY) return inValue;
    if (inValue === SMALL_WHOLE) found = SMALL_WHOLE;
  }
  return found;
}

/** One member of a container at `depth`. */
function wholeNumbersOf(value: unknown, depth: number): Found {
  if (typeof value === "object") return value === null ? NOTHING : wholeNumbersInside(value, depth + 1);
  return typeof value === "number" ? numberKind(value) : NOTHING;
}

function numberKind(n: number): Found {
  if (!Number.isInteger(n)) return Number.isFinite(n) ? NOTHING : EXACT_ONLY;
  return n < SMALL_WHOLE_LIMIT && n > -SMALL_WHOLE_LIMIT && !Object.is(n, -0) ? SMALL_WHOLE : EXACT_ONLY;
}

/**
 * True when a token MAY_BE_WHOLE_FLOAT finds is one the number pass would send to the exact parser. Each is read from
 * its first character, found by stepping back over number characters: a real token follows `:`, `,`, `[` or
 * whitespace, so it is read whole; what is not one (in a string) may get either answer. `1.05` or `2.9901` pass here,
 * without a pass over the whole text.
 */
function maybeWholeFloat(text: string): boolean {
  MAY_BE_WHOLE_FLOAT.lastIndex = 0;
  while (MAY_BE_WHOLE_FLOAT.test(text)) {
    const after = MAY_BE_WHOLE_FLOAT.lastIndex;
    const end = isDigit(text.charCodeAt(after - 1)) ? after : after - 1; // the match took the character after it
    let start = end;
    while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start--;
    if (numberEnd(text, start) !== end) return true;
  }
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
const isNumberChar = (c: number) => isDigit(c) || c === DOT || c === MINUS || c === 0x2b || c === 0x65 || c === 0x45; // + e E

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
