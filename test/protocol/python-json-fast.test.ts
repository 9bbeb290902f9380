// The decoder's fast path (JSON.parse, the exact parser only where it must) against the exact parser alone, on
// generated lines full of what tells them apart: 3.0, 1e5, -0, integers past 2^53, NaN, deep nesting, "v1.0" in text.
import { describe, expect, it } from "vitest";
import { needsExactParser, parseJsonAsPython } from "../../src/protocol/python-json-fast.js";
import { parsePythonJson, PyFloat } from "../../src/protocol/python-json-parse.js";

const LINES = 100_000;

/** A small seeded generator (mulberry32): the same lines on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [
  "0", "-0", "7", "-42", "3.0", "-3.0", "2.5", "0.1", "10.00", "1e5", "1E5", "2.5e1", "1e-400", "1e400", "-1e400", "1.5e-3",
  "9007199254740991", "9007199254740992", "9007199254740993", "-9007199254740993", "18446744073709551617", "123456789012345.99999",
  "0.99999999999999999", "1234567890123.45", "4503599627370495.5", "-0.0", "0.0", "1.0000000000000002", "NaN", "Infinity", "-Infinity",
  // Around the fast path's own bounds: fractions starting with 0 or 9 that round whole, 2^50, exponents of 0.
  "562949953421311.97", "123456789012345.001", "999999999999999.94", "6.9999999999999999", "7.0000000000000001", "7.90", "0.05",
  "1125899906842623", "1125899906842624", "-1125899906842623", "1125899906842623.9", "1125899906842624.1", "4503599627370496.5",
  "0e5", "-0e0", "1E+2", "5e-1", "100e-2", "-1e-400", "0.0e1", "12.5", "-12.25",
];
const STRINGS = [
  '"plain"', '"v1.0 released"', '"1e5 rows"', '"caf\\u00e9 \\ud83d\\ude00"', '"lone \\ud800"', '"tab\\t\\"quoted\\""',
  '"9007199254740993"', '""', '"3.0"',
  // What a number token looks like, ending as one ends, inside strings.
  '"ratio 3.0, then 1e5]"', '"-0 }"', '"x.9\\n"', '"1234567890123456789 rows"', '"2026-12-05T10:00:00.000Z"',
];
const KEYS = ['"a"', '"raw_value"', '"__proto__"', '"2"', '"1"', '"type"', '"a"'];
const SPACE = ["", " ", "\t", "\n ", "\r\n"];

function generator(next: () => number) {
  const pick = <T,>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const ws = () => (next() < 0.8 ? pick(["", " "]) : pick(SPACE));
  const value = (depth: number): string => {
    const r = next();
    if (depth > 4 || r < 0.35) return pick(NUMBERS);
    if (r < 0.6) return pick(STRINGS);
    if (r < 0.68) return pick(["true", "false", "null"]);
    const n = Math.floor(next() * 4);
    const items = Array.from({ length: n }, () => (next() < 0.5 || depth === 0 ? `${ws()}${pick(KEYS)}${ws()}:${ws()}${value(depth + 1)}` : ""));
    if (r < 0.85 && items.every(Boolean)) return `{${items.join(",")}${ws()}}`;
    return `[${Array.from({ length: n }, () => `${ws()}${value(depth + 1)}`).join(",")}]`;
  };
  return () => {
    const r = next();
    if (r < 0.01) return "[".repeat(501 + Math.floor(next() * 10)) + "]".repeat(501 + Math.floor(next() * 10));
    if (r < 0.02) return `${"[".repeat(499)}${pick(NUMBERS)}${"]".repeat(499)}`;
    // A whole number first, then nesting at the limit or past it: the walk must not stop at the number.
    if (r < 0.025) {
      const depth = 497 + Math.floor(next() * 6);
      return `{"rows": 7, "deep": ${"[".repeat(depth)}${pick(NUMBERS)}${"]".repeat(depth)}}`;
    }
    if (r < 0.03) return `${ws()}${pick(NUMBERS)}${ws()}`; // a bare number: its token ends the text
    const line = `{"__dagster_pipes_version": "0.1", "method": "report_asset_materialization", "params": {"metadata": ${value(0)}}}`;
    // Some lines cut short or broken, as a cut tail's first line is.
    if (r < 0.05) return line.slice(Math.floor(next() * line.length));
    return `${ws()}${line}${ws()}`;
  };
}

/** A value written out so that every difference shows: float or int, -0, bigint, key order, own properties. */
function canonical(v: unknown): string {
  if (v instanceof PyFloat) return `F(${Object.is(v.value, -0) ? "-0" : String(v.value)})`;
  if (typeof v === "number") return `N(${Object.is(v, -0) ? "-0" : String(v)})`;
  if (typeof v === "bigint") return `B(${v})`;
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  const proto = Object.getPrototypeOf(o) === Object.prototype ? "" : "!proto";
  return `{${proto}${Object.keys(o).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

function outcome(parse: (text: string) => unknown, text: string): string {
  try {
    return canonical(parse(text));
  } catch (error) {
    return `threw ${(error as Error).message}`;
  }
}

describe("the fast JSON path", () => {
  it(`decodes ${LINES.toLocaleString("en")} generated lines exactly as the exact parser does, refusals included`, () => {
    const line = generator(random(20261205));
    let naiveDiffers = 0;
    let refused = 0;
    const wrong: Array<{ text: string; exact: string; fast: string }> = [];
    for (let i = 0; i < LINES; i++) {
      const text = line();
      const exact = outcome(parsePythonJson, text);
      const fast = outcome(parseJsonAsPython, text);
      if (fast !== exact && wrong.length < 5) wrong.push({ text: text.slice(0, 300), exact, fast });
      if (exact.startsWith("threw")) refused++;
      else if (outcome(JSON.parse, text) !== exact) naiveDiffers++;
    }
    expect(wrong).toEqual([]);
    // The lines do tell the two apart: a bare JSON.parse would get thousands of them wrong.
    expect(naiveDiffers).toBeGreaterThan(LINES / 10);
    expect(refused).toBeGreaterThan(LINES / 100);
  });

  it("keeps what Dagster's json.loads keeps, line by line", () => {
    const v = parseJsonAsPython('{"f": 3.0, "i": 3, "big": 9223372036854775808, "z": -0, "nan": NaN, "text": "v1.0", "half": 0.5}') as Record<string, unknown>;
    expect(v.f).toEqual(new PyFloat(3));
    expect(v.i).toBe(3);
    expect(v.big).toBe(9223372036854775808n);
    expect(Object.is(v.z, 0)).toBe(true);
    expect(Number.isNaN((v.nan as PyFloat).value)).toBe(true);
    expect(v.half).toBe(0.5);
    expect(() => parseJsonAsPython(`${"[".repeat(600)}${"]".repeat(600)}`)).toThrow(/nested too deeply/);
  });

  it("gives the exact parser's values where a shortcut could go wrong", () => {
    const pastLimit = `{"rows": 7, "deep": ${"[".repeat(501)}${"]".repeat(501)}}`; // an int first, then too deep
    const cases = [
      '{"note": "3.0", "model": "v1.0", "rows": 7}', // a float's text only inside strings, an int elsewhere
      '{"note": "ratio 3.0, then 1e5]", "rows": 7}', // ... ending as a number token ends
      '{"rows": 7, "z": -0}',
      '{"rows": 7, "z": [1, -0.0]}',
      '{"rows": 7, "id": 1234567890123456}', // 16 digits, below 2^53
      '{"rows": 7, "id": 9007199254740993}', // 16 digits, past 2^53
      '{"rows": 7, "id": 1125899906842623}', // just below 2^50
      '{"rows": 7, "v": [1.05, 2.9901, -3.0]}', // floats that look risky and are not, then one that is
      '{"rows": 7, "v": 562949953421311.97}', // rounds to a whole double
      '{"rows": 7, "v": 6.9999999999999999, "w": 7.0000000000000001}',
      '{"rows": 7, "v": 1e5}',
      '{"rows": 7, "v": 5E-0}',
      '{"rows": 7, "v": 1e400}',
      `{"rows": 7, "deep": ${"[".repeat(499)}${"]".repeat(499)}}`, // within Python's limit
      pastLimit,
      `{"deep": ${"[".repeat(501)}${"]".repeat(501)}}`,
      "3.0",
      "7",
    ];
    for (const text of cases) expect(outcome(parseJsonAsPython, text), text.slice(0, 60)).toBe(outcome(parsePythonJson, text));
    expect(outcome(parseJsonAsPython, pastLimit)).toMatch(/threw .*nested too deeply/);
  });

  it("sends a line to the exact parser for its numbers, never for what its strings say", () => {
    // A timestamp or a version beside an int: a text search for 3.0-like numbers sent these the slow way.
    expect(needsExactParser('{"rows": 7, "at": "2026-12-05T10:00:00.000Z", "model": "v1.0", "note": "1e5 \\" 3.0"}')).toBe(false);
    for (const risky of ["3.0", "-0.0", "-0", "1e5", "2.5E1", "1e-400", "9007199254740993", "0.99999999999999999"]) {
      expect(needsExactParser(`{"rows": 7, "v": ${risky}}`), risky).toBe(true);
    }
    for (const safe of ["0", "-7", "2.5", "0.001", "123456789012345", "-0.5"]) expect(needsExactParser(`{"v": ${safe}}`), safe).toBe(false);
    expect(needsExactParser(`${"[".repeat(501)}${"]".repeat(501)}`)).toBe(true);
  });
});
