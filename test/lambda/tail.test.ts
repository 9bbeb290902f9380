import { describe, expect, it } from "vitest";
import { lostToCut, readTail } from "../../src/lambda/tail.js";

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

describe("lostToCut", () => {
  it("counts the bytes and the messages by method before the last 4 KB", () => {
    const early = [msg("opened", { extras: {} }), ...Array.from({ length: 50 }, (_, i) => msg("log", { message: `line ${i} ${"x".repeat(80)}`, level: "INFO" }))];
    const log = `START RequestId: x Version: $LATEST\n${early.join("\n")}\n${msg("closed")}\nEND RequestId: x\n`;
    const lost = lostToCut(log);
    expect(lost.logBytes).toBe(Buffer.byteLength(log));
    expect(lost.lostBytes).toBe(lost.logBytes - 4096);
    expect(lost.lostMessages.opened).toBe(1);
    expect(lost.lostMessages.log).toBeGreaterThan(10);
    expect(lost.lostMessages.log).toBeLessThan(50);
    expect(lost.lostMessages.closed).toBeUndefined();
    expect(lostToCut("short log\n")).toEqual({ logBytes: 10, lostBytes: 0, lostMessages: {} });
  });
});
