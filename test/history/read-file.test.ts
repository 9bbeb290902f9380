// Reading one run file: each line checked as an event (pure validation), a file read in chunks whatever its size
// or characters, and the caps' defaults (100 runs, 200 MB, a quarter of it per run) with PIPES_HISTORY_MAX_MB.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readLines } from "../../src/history/files.js";
import { historyLimits } from "../../src/history/location.js";
import { readRunFile } from "../../src/history/read.js";
import { asRunEvent } from "../../src/history/validate.js";

const dir = mkdtempSync(join(tmpdir(), "pipes-read-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = { type: "run-start", runId: "r1", startedAt: "2024-01-01T00:00:00.000Z", file: "defs.ts", profile: "local", target: "emulator", assets: ["a"], partition: null, partitionRequest: null, singleRun: false, retryOf: null, onlySteps: null, steps: 1, stepsPerAsset: { a: 1 }, extras: {} };
const end = { type: "run-end", runId: "r1", ok: true, materialized: ["a"], failed: [], skipped: [], interrupted: [], counts: { materialized: 1, failed: 0, skipped: 0, interrupted: 0 }, throttles: 0, durationMs: 5 };
const assetEnd = { type: "asset-end", asset: "a", status: "materialized", durationMs: 1, reason: null, endedAt: "2024-01-01T00:00:01.000Z" };

describe("asRunEvent", () => {
  it("takes events as pipes writes them, also those recorded before checks and costs were counted", () => {
    for (const event of [start, end, assetEnd, { ...assetEnd, checks: { passed: 1, failedError: 0, failedWarn: 0, notReported: 0 }, blockedBy: null }, { type: "log", asset: "a", level: "INFO", message: "hi", partition: "p" }, { type: "note", asset: null, message: "n" }]) {
      expect(asRunEvent(event), JSON.stringify(event)).toBe(event);
    }
  });

  it("refuses what is not an event, or one without a field its readers use", () => {
    for (const value of [null, 3, "run-end", [], { type: "run-end" }, { type: "nope" }, { ...start, assets: "a" }, { ...start, stepsPerAsset: { a: "1" } }, { ...start, partitionRequest: { kind: "bogus" } }, { ...end, counts: { materialized: 1 } }, { ...assetEnd, status: "done" }, { type: "log", asset: "a", level: "INFO" }, { type: "toString" }]) {
      expect(asRunEvent(value), JSON.stringify(value)).toBeNull();
    }
  });
});

describe("readLines", () => {
  it("keeps a character split between two chunks whole and counts each line's bytes", () => {
    const long = `${"x".repeat(1024 * 1024 - 1)}é€`; // the é straddles the first 1 MB chunk's end
    const path = join(dir, "chars.ndjson");
    writeFileSync(path, `${long}\nlast, not ended`);
    const lines: Array<[string | null, number, boolean]> = [];
    readLines(path, (text, bytes, whole) => lines.push([text, bytes, whole]));
    expect(lines).toEqual([
      [long, Buffer.byteLength(long) + 1, true],
      ["last, not ended", 15, false],
    ]);
  });
});

describe("readRunFile", () => {
  const write = (name: string, lines: string[]) => {
    const path = join(dir, name);
    writeFileSync(path, lines.join("\n"));
    return path;
  };

  it("skips damaged lines with one warning naming the file; a cut last line is no damage", () => {
    const path = write("damaged.ndjson", [JSON.stringify(start), "null", '{"type":"log"', JSON.stringify(assetEnd), '{"type":"run-end"}', '{"type":"asset-e']);
    const read = readRunFile(path);
    expect("notRun" in read).toBe(false);
    if ("notRun" in read) return;
    expect(read.events.map((e) => e.type)).toEqual(["run-start", "asset-end"]);
    expect(read.cut).toBe(true);
    expect(read.warning).toBe(`${path}: skipped 3 damaged lines (not pipes events)`);
  });

  it("a first line that is not a run-start makes no run; nor does anything after the run-end count", () => {
    expect(readRunFile(write("headless.ndjson", [JSON.stringify(assetEnd), JSON.stringify(end), ""]))).toEqual({ notRun: "not a run history file (garbage or truncated at its start)" });
    const after = readRunFile(write("after.ndjson", [JSON.stringify(start), JSON.stringify(end), JSON.stringify(assetEnd), ""]));
    expect("notRun" in after ? null : after.warning).toMatch(/skipped 1 damaged line/);
  });

  it("past the cap, leaves out log lines (its steps kept), with the warning", () => {
    const log = JSON.stringify({ type: "log", asset: "a", level: "INFO", message: "x".repeat(100) });
    const read = readRunFile(write("big.ndjson", [JSON.stringify(start), ...Array(100).fill(log), JSON.stringify(assetEnd), JSON.stringify(end), ""]), { maxRunBytes: 2000 });
    if ("notRun" in read) throw new Error(read.notRun);
    expect(read.events.filter((e) => e.type === "log").length).toBeLessThan(20);
    expect(read.events.map((e) => e.type).slice(-2)).toEqual(["asset-end", "run-end"]);
    expect(read.warning).toMatch(/big\.ndjson: larger than 2 KB: left out \d+ log lines past it/);
  });
});

describe("history caps", () => {
  it("100 runs and 200 MB, a run file a quarter of it; PIPES_HISTORY_MAX_MB sets the size, a bad one is named", () => {
    expect(historyLimits({})).toEqual({ maxRuns: 100, maxBytes: 200 * 1024 * 1024, maxRunBytes: 50 * 1024 * 1024 });
    expect(historyLimits({ PIPES_HISTORY_MAX_MB: "1" })).toEqual({ maxRuns: 100, maxBytes: 1024 * 1024, maxRunBytes: 256 * 1024 });
    expect(() => historyLimits({ PIPES_HISTORY_MAX_MB: "lots" })).toThrow(/PIPES_HISTORY_MAX_MB=lots: expected a size in MB above 0/);
  });
});
