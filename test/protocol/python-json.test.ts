import { describe, expect, it } from "vitest";
import { decodeLine, parsePythonJson, PyFloat, stringifyJson, type PipesMessage } from "../../src/protocol/index.js";
import { formatMetadataValue } from "../../src/protocol/metadata.js";
import { jsonLine } from "../../src/report/json-line.js";

// Exactly what Python 3.11's json.dumps writes for these messages (dagster_pipes writes its lines with it).
const MATERIALIZATION = `{"__dagster_pipes_version": "0.1", "method": "report_asset_materialization", "params": {"asset_key": "a", "data_version": null, "metadata": {"nan": {"raw_value": NaN, "type": "__infer__"}, "inf": {"raw_value": Infinity, "type": "float"}, "ninf": {"raw_value": -Infinity, "type": "__infer__"}, "three_f": {"raw_value": 3.0, "type": "__infer__"}, "three_i": {"raw_value": 3, "type": "__infer__"}, "big": {"raw_value": 9223372036854775808, "type": "__infer__"}, "nested": {"raw_value": {"scores": [1, 2.0, NaN], "n": {"x": 18446744073709551617}}, "type": "json"}}}}`;
const CHECK = `{"__dagster_pipes_version": "0.1", "method": "report_asset_check", "params": {"asset_key": "a", "check_name": "no_nan", "passed": false, "metadata": {"mean": {"raw_value": NaN, "type": "__infer__"}}, "severity": "ERROR"}}`;
const CUSTOM = `{"__dagster_pipes_version": "0.1", "method": "report_custom_message", "params": {"payload": {"ratio": Infinity, "count": 3.0}}}`;

function decoded(line: string): PipesMessage {
  const d = decodeLine(line);
  if (d.kind !== "message") throw new Error(`not decoded as a message: ${JSON.stringify(d)}`);
  return d.message;
}

describe("Python's JSON", () => {
  it("parses NaN and ±Infinity, keeps 3.0 a float and big integers exact", () => {
    const v = parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity], "c": 3.0, "d": 3, "e": 9223372036854775808, "f": -0.0, "g": 1e+16, "h": 0.5}') as Record<string, unknown>;
    expect(Number.isNaN((v.a as PyFloat).value)).toBe(true);
    expect(v.b).toEqual([new PyFloat(Infinity), new PyFloat(-Infinity)]);
    expect(v.c).toEqual(new PyFloat(3));
    expect(v.d).toBe(3);
    expect(v.e).toBe(9223372036854775808n);
    expect(Object.is((v.f as PyFloat).value, -0)).toBe(true);
    expect(v.g).toEqual(new PyFloat(1e16));
    expect(v.h).toBe(0.5);
  });

  it("rejects what json.loads rejects, and never lets a key replace the prototype", () => {
    for (const bad of ["{", '{"a": nan}', "[1,]", '{"a" 1}', '"tab\there"', "01", "1 2", "[".repeat(600) + "]".repeat(600)]) {
      expect(() => parsePythonJson(bad), bad.slice(0, 20)).toThrow();
    }
    const v = parsePythonJson('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(v)).toEqual(["__proto__"]);
    expect(parsePythonJson('"caf\\u00e9 \\ud83d\\ude00"')).toBe("café 😀");
  });

  it("decodes a materialization with NaN, Infinity, 3.0 and 2**63 in its metadata, as Dagster does", () => {
    const m = decoded(MATERIALIZATION);
    if (m.method !== "report_asset_materialization") throw new Error(m.method);
    const md = Object.fromEntries(m.metadata);
    expect(md.nan).toMatchObject({ type: "float", inferred: true });
    expect(Number.isNaN(md.nan!.type === "float" ? md.nan!.value : 0)).toBe(true);
    expect(md.inf).toEqual({ type: "float", value: Infinity });
    expect(md.ninf).toEqual({ type: "float", value: -Infinity, inferred: true });
    expect(md.three_f).toEqual({ type: "float", value: 3, inferred: true });
    expect(md.three_i).toEqual({ type: "int", value: 3, inferred: true });
    expect(md.big).toEqual({ type: "int", value: 9223372036854775808n, inferred: true });
    expect(md.nested!.type).toBe("json");
  });

  it("decodes a failed check whose metadata is NaN (it used to vanish into plain output)", () => {
    expect(decoded(CHECK)).toMatchObject({ method: "report_asset_check", checkName: "no_nan", passed: false, severity: "ERROR" });
    expect(decoded(CUSTOM)).toMatchObject({ method: "report_custom_message" });
  });

  it("shows floats as Python does in the text view: 3.0, nan, inf, -inf; ints exactly", () => {
    const m = decoded(MATERIALIZATION);
    if (m.method !== "report_asset_materialization") throw new Error(m.method);
    const text = Object.fromEntries(m.metadata.map(([k, v]) => [k, formatMetadataValue(v)]));
    expect(text).toMatchObject({ nan: "nan", inf: "inf", ninf: "-inf", three_f: "3.0", three_i: "3", big: "9,223,372,036,854,775,808" });
    expect(text.nested).toBe('{"scores":[1,2.0,NaN],"n":{"x":18446744073709551617}}');
  });

  it("writes valid JSON for --json that keeps float vs int and every digit", () => {
    const m = decoded(MATERIALIZATION);
    if (m.method !== "report_asset_materialization") throw new Error(m.method);
    const line = jsonLine({ type: "materialization", asset: "a", assetKey: "a", dataVersion: null, metadata: Object.fromEntries(m.metadata), implicit: false });
    expect(() => JSON.parse(line)).not.toThrow();
    expect(line).toContain('"nan":{"type":"float","value":"NaN","inferred":true}');
    expect(line).toContain('"inf":{"type":"float","value":"Infinity"}');
    expect(line).toContain('"ninf":{"type":"float","value":"-Infinity","inferred":true}');
    expect(line).toContain('"three_f":{"type":"float","value":3.0,"inferred":true}');
    expect(line).toContain('"three_i":{"type":"int","value":3,"inferred":true}');
    expect(line).toContain('"big":{"type":"int","value":9223372036854775808,"inferred":true}');
    expect(line).toContain('"value":{"scores":[1,2.0,"NaN"],"n":{"x":18446744073709551617}}');
    expect(stringifyJson({ x: 0.1, y: 1e-7, z: 1e21, w: -0 })).toBe('{"x":0.1,"y":1e-07,"z":1e+21,"w":0}');
  });
});
