import { describe, expect, it } from "vitest";
import { platformMark, readTail } from "../../src/lambda/log-reader.js";

const msg = (method: string, params: unknown = {}) => JSON.stringify({ __dagster_pipes_version: "0.1", method, params });
const ID = "8f5c0e1a-1111-2222-3333-444455556666";

describe("readTail", () => {
  it("reads messages, output and REPORT figures of a whole log", () => {
    const log = [
      `START RequestId: ${ID} Version: $LATEST`,
      `2024-05-01T12:00:00.123Z\t${ID}\tWARN\ta warning\rsecond line`,
      "plain print",
      msg("opened", { extras: {} }),
      msg("log", { message: "hi", level: "INFO" }),
      msg("closed"),
      `2024-05-01T12:00:00.200Z\t${ID}\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"x","stack":[]}`,
      `END RequestId: ${ID}`,
      `REPORT RequestId: ${ID}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 56 MB\tInit Duration: 130.49 ms\t`,
      "",
    ].join("\n");
    const r = readTail(log);
    expect(r.cut).toBe(false);
    expect(r.firstLine).toBeNull();
    expect([r.opened, r.closed, r.messageCount]).toEqual([true, true, 3]);
    expect(r.report).toEqual({ durationMs: 12.34, billedMs: 13, memoryMb: 128, maxMemoryMb: 56, initDurationMs: 130.49 });
    expect(r.items.map((i) => (i.kind === "message" ? i.message.method : i.kind === "output" ? `${i.level}:${i.text}` : i.kind))).toEqual([
      "WARN:a warning\nsecond line",
      "null:plain print",
      "opened",
      "log",
      "closed",
    ]);
  });

  it("notices a tail that lost its start", () => {
    const r = readTail(`ams": {"message": "cut", "level": "INFO"}}\n${msg("closed")}\nEND RequestId: x\nREPORT RequestId: x\tDuration: 1.00 ms\t\n`);
    expect(r.cut).toBe(true);
    expect(r.firstLine).toBe('ams": {"message": "cut", "level": "INFO"}}');
    expect([r.opened, r.closed]).toEqual([false, true]);
    expect(r.report?.initDurationMs).toBeNull();
  });

  it("reports invalid pipes messages apart from output", () => {
    const r = readTail(`START RequestId: x Version: $LATEST\n${msg("log", { message: 1, level: "INFO" })}\n`);
    expect(r.items).toEqual([{ kind: "invalid", text: msg("log", { message: 1, level: "INFO" }), error: "log: message must be a string" }]);
  });
});

describe("platformMark", () => {
  it("finds START and REPORT in the text format and in Lambda's JSON log format", () => {
    expect(platformMark(`START RequestId: ${ID} Version: $LATEST`)).toEqual({ kind: "start", requestId: ID });
    expect(platformMark(`END RequestId: ${ID}`)).toEqual({ kind: "end", requestId: ID });
    expect(platformMark(`REPORT RequestId: ${ID}\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t`)).toMatchObject({
      kind: "report",
      requestId: ID,
      report: { durationMs: 2, billedMs: 2, memoryMb: 128, maxMemoryMb: 40, initDurationMs: null },
    });
    const start = { time: "2024-05-01T12:00:00.000Z", type: "platform.start", record: { requestId: ID, version: "$LATEST" } };
    expect(platformMark(JSON.stringify(start))).toEqual({ kind: "start", requestId: ID });
    const report = { time: "t", type: "platform.report", record: { requestId: ID, metrics: { durationMs: 5.5, billedDurationMs: 6, memorySizeMB: 256, maxMemoryUsedMB: 70, initDurationMs: 120 }, status: "success" } };
    expect(platformMark(JSON.stringify(report))).toMatchObject({ kind: "report", report: { durationMs: 5.5, billedMs: 6, memoryMb: 256, maxMemoryMb: 70, initDurationMs: 120 } });
    expect(platformMark(msg("log", { message: "platform.start", level: "INFO" }))).toBeNull();
    expect(platformMark("plain")).toBeNull();
  });
});

describe("unshownTail", () => {
  it("drops the tail's lines that were already shown live, also when the tail's first line is cut", async () => {
    const { unshownTail } = await import("../../src/lambda/live.js");
    expect(unshownTail(["START", "a", "b", "c"], ["b", "c", "d", "END"], false)).toEqual(["d", "END"]);
    expect(unshownTail(["START", "a", "bbbb", "c"], ["bb", "c", "d"], true)).toEqual(["d"]);
    expect(unshownTail(["START", "a"], ["x", "y"], false)).toEqual(["x", "y"]);
    expect(unshownTail([], ["x"], true)).toEqual(["x"]);
  });
});
