import { describe, expect, it } from "vitest";
import { decodeLine, decodeLog, PIPES_METHODS, type DecodedLine } from "../../src/protocol/index.js";
import { SAMPLES, V } from "./messages.js";

const line = (v: unknown) => JSON.stringify(v);
const message = (d: DecodedLine) => {
  if (d.kind !== "message") throw new Error(`expected a message, got ${JSON.stringify(d)}`);
  return d.message;
};

describe("decodeLine", () => {
  it("decodes every method from a raw JSON line", () => {
    const methods = new Set(Object.values(SAMPLES).map((s) => message(decodeLine(line(s))).method));
    expect([...methods].sort()).toEqual([...PIPES_METHODS].sort());
  });

  it("decodes params into typed fields", () => {
    const mat = message(decodeLine(line(SAMPLES.report_asset_materialization)));
    expect(mat).toMatchObject({ method: "report_asset_materialization", assetKey: "lambda_pipes_asset", dataVersion: "alpha" });
    if (mat.method !== "report_asset_materialization") throw new Error();
    expect(mat.metadata).toEqual([["some_metric", { type: "int", value: 2 }]]);

    const check = message(decodeLine(line(SAMPLES.report_asset_check)));
    expect(check).toMatchObject({ checkName: "no_nulls", passed: false, severity: "WARN" });

    const closed = message(decodeLine(line(SAMPLES.closed_exception)));
    if (closed.method !== "closed") throw new Error();
    expect(closed.exception?.name).toBe("ZeroDivisionError");
    expect(closed.exception?.context?.name).toBe("KeyError");

    const log = message(decodeLine(line({ ...V, method: "log", params: { message: "m", level: "warning" } })));
    expect(log).toMatchObject({ method: "log", level: "WARNING" });
    // Dagster's check defaults: severity ERROR, params null → {}.
    const noSeverity = { ...V, method: "report_asset_check", params: { asset_key: "a", check_name: "c", passed: true, metadata: null } };
    expect(message(decodeLine(line(noSeverity)))).toMatchObject({ severity: "ERROR", metadata: [] });
    expect(message(decodeLine(line({ ...V, method: "closed", params: null })))).toMatchObject({ exception: null });
  });

  it("decodes a line behind the Lambda Node.js runtime prefix", () => {
    const d = decodeLine(`2024-05-01T12:00:00.123Z\t8f5c0e1a-1111-2222-3333-444455556666\tINFO\t${line(SAMPLES.log)}`);
    expect(d).toMatchObject({ kind: "message", format: "node-prefix", message: { method: "log", message: "hello" } });
  });

  it("takes one trailing newline off a line, and the Node.js prefix off whatever payload follows it", () => {
    const opened = line(SAMPLES.opened);
    const prefix = "2024-05-01T12:00:00.123Z\t8f5c0e1a-1111-2222-3333-444455556666\tINFO\t";
    for (const ending of ["\n", "\r\n"]) {
      expect(decodeLine(`${opened}${ending}`)).toMatchObject({ kind: "message", format: "raw" });
      expect(decodeLine(`plain${ending}`)).toEqual({ kind: "text", text: "plain" });
    }
    expect(decodeLine("plain\r")).toEqual({ kind: "text", text: "plain\r" });
    expect(decodeLine("plain\n\n")).toEqual({ kind: "text", text: "plain\n" });
    expect(decodeLine("\n")).toEqual({ kind: "text", text: "" });
    // The payload is the rest of the line, spaces and line breaks included; the level is upper-case letters.
    const spaced = `${prefix}  ${opened.replace(", ", ",\n ")} \r\n`;
    expect(decodeLine(spaced)).toMatchObject({ kind: "message", format: "node-prefix", message: { method: "opened" } });
    expect(decodeLine(`2024-05-01T12:00:00Z\tid\tWARN\t${opened}`)).toMatchObject({ kind: "message", format: "node-prefix" });
    const notPrefix = `2024-05-01T12:00:00.123Z\tid\tinfo\t${opened}`;
    expect(decodeLine(notPrefix)).toEqual({ kind: "text", text: notPrefix });
    const badLog = `${prefix}${line({ ...V, method: "log", params: {} })}`;
    expect(decodeLine(`${badLog}\n`)).toMatchObject({ kind: "invalid", format: "node-prefix", text: badLog });
  });

  it("decodes Lambda JSON log format records whose message is a pipes line", () => {
    const record = { timestamp: "2024-05-01T12:00:00.123Z", level: "INFO", requestId: "abc", message: line(SAMPLES.opened) };
    expect(decodeLine(line(record))).toMatchObject({ kind: "message", format: "json-log", message: { method: "opened" } });
    const objectRecord = { timestamp: "t", level: "INFO", requestId: "abc", message: SAMPLES.closed };
    expect(decodeLine(line(objectRecord))).toMatchObject({ kind: "message", format: "json-log", message: { method: "closed" } });
  });

  it("treats everything else as plain output", () => {
    for (const text of [
      "START RequestId: abc Version: $LATEST",
      "REPORT RequestId: abc\tDuration: 1.00 ms",
      '{"not": "pipes"}',
      "[1, 2]",
      "",
      "2024-05-01T12:00:00.123Z\tabc\tINFO\tplain console.log text",
      'method": "log", "params": {"message": "cut"}}', // the partial first line of a cut tail
    ]) {
      expect(decodeLine(text)).toEqual({ kind: "text", text });
    }
  });

  it("reports invalid pipes messages with a reason, as output", () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ ...V, method: "explode", params: {} }, /unknown method "explode"/],
      [{ ...V, method: "log", params: { message: 5, level: "INFO" } }, /message must be a string/],
      [{ ...V, method: "log", params: { message: "m", level: "LOUD" } }, /level must be one of/],
      [{ ...V, method: "report_asset_check", params: { asset_key: "a", check_name: "c", passed: "yes" } }, /passed must be a boolean/],
      [{ ...V, method: "report_asset_check", params: { asset_key: "a", check_name: "c", passed: true, severity: "FATAL" } }, /severity/],
      [{ ...V, method: "report_asset_materialization", params: { asset_key: "a", metadata: { m: { raw_value: "x", type: "int" } } } }, /metadata "m": type int expects an integer/],
      [{ ...V, method: "report_asset_materialization", params: { asset_key: "a", metadata: { m: 3 } } }, /metadata "m": expected \{raw_value, type\}/],
      [{ ...V, method: "log_external_stream", params: { stream: "stdin", text: "" } }, /stream/],
      [{ ...V, method: "opened", params: [] }, /params must be an object/],
      [{ ...V, method: 7 }, /method is not a string/],
    ];
    for (const [value, reason] of cases) {
      const d = decodeLine(line(value));
      expect(d.kind, line(value)).toBe("invalid");
      if (d.kind === "invalid") {
        expect(d.error).toMatch(reason);
        expect(d.text).toBe(line(value));
      }
    }
  });

  it("never throws on 1,000 randomly mangled lines", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sources = Object.values(SAMPLES).map(line);
    const junk = ['"', "{", "}", "[", "]", ":", ",", "\\", "\t", "\u0000", "null", "true", "1e999", "é", "\ud800", "__dagster_pipes_version"];
    let messages = 0;
    for (let i = 0; i < 1000; i++) {
      const chars = [...sources[Math.floor(random() * sources.length)]!];
      const edits = 1 + Math.floor(random() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        if (op < 0.33) chars.splice(at, 1 + Math.floor(random() * 5));
        else if (op < 0.66) chars.splice(at, 0, junk[Math.floor(random() * junk.length)]!);
        else chars[at] = junk[Math.floor(random() * junk.length)]!;
      }
      let mangled = chars.join("");
      if (random() < 0.2) mangled = mangled.slice(Math.floor(random() * mangled.length)); // a cut tail
      if (random() < 0.2) mangled = `2024-01-01T00:00:00.000Z\tid\tINFO\t${mangled}`;
      const decoded = decodeLine(mangled);
      expect(["message", "text", "invalid"]).toContain(decoded.kind);
      if (decoded.kind === "message") messages++;
    }
    // Some edits leave a valid message (e.g. a changed character inside a string): they still decode.
    expect(messages).toBeGreaterThan(0);
  });

  it("decodes a whole log tail line by line", () => {
    const log = [
      "sages\": [1]}}", // partial first line
      "START RequestId: r Version: $LATEST",
      line(SAMPLES.opened),
      line(SAMPLES.closed),
      "END RequestId: r",
      "",
    ].join("\n");
    expect(decodeLog(log).map((d) => d.kind)).toEqual(["text", "text", "message", "message", "text"]);
  });
});
