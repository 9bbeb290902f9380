import { execFileSync } from "node:child_process";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildContext, decodeParam, encodeParam, pythonJsonDumps } from "../../src/protocol/index.js";

// Produced by Python 3.11: base64.b64encode(zlib.compress(json.dumps(v).encode())) — Dagster's encode_param.
const PY_MESSAGES_PARAM = "eJyrVkoqTUtLLUpNiS8uScnMV7JSUAIyUouKlGoBluMKNA==";
const PY_CONTEXT_PARAM =
  "eJydUcFOwzAM/ZUqVxhLuw223UDiwoXDdqMocht3KrTOlLor1dR/J0klpo1xIbIc2c/v2U6OQgODWEdHAU2DrD6xb1z4JiBNp5m4jYSxGm0ztdCJdxfmRqM6uExpSGW9+qGNIoG1jqitqnPumBtccm/NAQkox3/ywXLJvv3IEolM5hMZOxOXsLJAOwzSDTvgdzmSvkie9+CyRtWVpE33l8xWynWwm+CvqSaXNb6JbUmVoW5WJFmcr3Ai3ZnMvVt6J08nDPthMkVQ+4WEUo+bzfNWvbw+ecgi215RW2doHSz9EF9soRmnhnpfeZq8SxYOYth5jRyKtJUSV1HaJvfxwl16OdPO47gHl+SfOHaTeVpRBR7bFl1EhvD0VzlXXhJSzrzmQyGGYfgGQuWyWA==";
// Python's json.dumps of the same value, byte for byte.
const PY_CONTEXT_JSON = String.raw`{"data": {"asset_keys": ["a\\/b", "orders/raw"], "code_version_by_asset_key": {"a\\/b": null, "orders/raw": null}, "provenance_by_asset_key": {"a\\/b": null, "orders/raw": null}, "partition_key": "2024-01-01", "partition_key_range": {"start": "2024-01-01", "end": "2024-01-01"}, "partition_time_window": {"start": "2024-01-01T00:00:00+00:00", "end": "2024-01-02T00:00:00+00:00"}, "run_id": "3f2b1c9e-0000-4000-8000-000000000001", "job_name": "__ASSET_JOB", "retry_number": 0, "extras": {"sample": 0.25, "tag": "caf\u00e9 \u2615 \ud83d\ude00", "tiny": 1e-05, "flag": true, "none": null, "ctl": "a\tb\u007f"}}}`;

const context = () =>
  buildContext({
    runId: "3f2b1c9e-0000-4000-8000-000000000001",
    assetKeys: [["orders", "raw"], ["a/b"]],
    jobName: "__ASSET_JOB",
    partitionKey: "2024-01-01",
    partitionTimeWindow: { start: new Date("2024-01-01T00:00:00Z"), end: "2024-01-02T00:00:00+00:00" },
    extras: { sample: 0.25, tag: "café ☕ 😀", tiny: 1e-5, flag: true, none: null, ctl: "a\tb\u007f" },
  });

describe("bootstrap params", () => {
  it("decodes values produced by Dagster's Python encode_param", () => {
    expect(decodeParam(PY_MESSAGES_PARAM)).toEqual({ buffered_stdio: "stderr" });
    expect(decodeParam(PY_CONTEXT_PARAM)).toEqual({ data: context() });
  });

  it("encodes the same JSON text as Python's json.dumps", () => {
    const encoded = encodeParam({ data: context() });
    expect(inflateSync(Buffer.from(encoded, "base64")).toString("utf8")).toBe(PY_CONTEXT_JSON);
    expect(inflateSync(Buffer.from(encodeParam({ buffered_stdio: "stderr" }), "base64")).toString()).toBe(
      '{"buffered_stdio": "stderr"}',
    );
  });

  it("is read by Python's zlib and json, a small text stored and a large one compressed", () => {
    const values = [{ data: context() }, { data: { extras: { rows: "x".repeat(4000) } } }, { data: { extras: { rows: "x".repeat(100_000) } } }];
    const encoded = values.map((value) => encodeParam(value));
    const script = "import base64, json, sys, zlib\nfor line in sys.stdin: print(json.dumps(json.loads(zlib.decompress(base64.b64decode(line)))))";
    const decoded = execFileSync("python3", ["-c", script], { input: encoded.join("\n") }).toString().trim().split("\n");
    expect(decoded.map((line) => JSON.parse(line))).toEqual(values);
    // Big extras are deflated: the event keeps clear of Lambda's 6 MB payload limit.
    expect(encoded[2]!.length).toBeLessThan(2_000);
  });

  it("round-trips", () => {
    for (const value of [{ data: context() }, { path: "/tmp/ctx.json" }, [1, "two", null], "x", 0, { nested: { a: [{}] } }]) {
      expect(decodeParam(encodeParam(value))).toEqual(value);
    }
  });

  it("rejects what is not an encoded param with a reason", () => {
    expect(() => decodeParam("not base64 at all!")).toThrow(/zlib/);
    expect(() => decodeParam(Buffer.from("plain").toString("base64"))).toThrow(/zlib/);
  });

  it("writes numbers as Python does", () => {
    expect(pythonJsonDumps([1, 2.5, 1e-7, 1.5e300, 1e21, -0.0001, 123456789.123, NaN, -Infinity])).toBe(
      "[1, 2.5, 1e-07, 1.5e+300, 1e+21, -0.0001, 123456789.123, NaN, -Infinity]",
    );
  });
});

describe("context builder", () => {
  it("fills every key as Dagster does, null when unknown", () => {
    expect(buildContext({ runId: "r1" })).toEqual({
      asset_keys: null,
      code_version_by_asset_key: null,
      provenance_by_asset_key: null,
      partition_key: null,
      partition_key_range: null,
      partition_time_window: null,
      run_id: "r1",
      job_name: null,
      retry_number: 0,
      extras: {},
    });
  });

  it("escapes and sorts asset keys, derives the partition range, keeps code versions and provenance", () => {
    const ctx = buildContext({
      runId: "r",
      assetKeys: [["z"], ["a\\b", "c/d"], "m/n"],
      partitionKey: "p1",
      retryNumber: 2,
      codeVersions: { z: "v3" },
      provenance: { z: { code_version: "v2", input_data_versions: { "m/n": "abc" }, is_user_provided: false } },
      partitionTimeWindow: { start: new Date("2024-03-01T10:20:30.456Z"), end: new Date("2024-03-02T00:00:00Z") },
    });
    expect(ctx.asset_keys).toEqual(["a\\\\b/c\\/d", "m/n", "z"]);
    expect(ctx.partition_key_range).toEqual({ start: "p1", end: "p1" });
    expect(ctx.partition_time_window).toEqual({ start: "2024-03-01T10:20:30.456000+00:00", end: "2024-03-02T00:00:00+00:00" });
    expect(ctx.retry_number).toBe(2);
    // An entry per asset key, null where nothing is known, as build_external_execution_context_data makes them.
    expect(ctx.code_version_by_asset_key).toEqual({ "a\\\\b/c\\/d": null, "m/n": null, z: "v3" });
    expect(ctx.provenance_by_asset_key?.z?.input_data_versions).toEqual({ "m/n": "abc" });
    expect(ctx.provenance_by_asset_key?.["m/n"]).toBeNull();
  });
});
