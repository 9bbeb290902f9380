// What `pipes ui` keeps of the run history between requests (history/cache.ts): a growing run's file is read from
// where the last read stopped (its partial last line read again, not lost), a replaced or rewritten one whole, an
// unchanged one not at all; the byte bound evicts; a damaged file still gives its one warning; what the cache answers
// is what a reader of the whole file gets. Bytes read are counted by the cache, not timed.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { HistoryCache } from "../../src/history/cache.js";
import { readRunFile } from "../../src/history/read.js";
import { OUTCOME_TYPES } from "../../src/ui/outcomes.js";
import { runView, runViewJson } from "../../src/ui/api.js";

const dir = mkdtempSync(join(tmpdir(), "pipes-cache-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (runId: string) => JSON.stringify({ type: "run-start", runId, startedAt: "2024-01-01T00:00:00.000Z", file: "defs.ts", profile: "local", target: "emulator", assets: ["a"], partition: null, partitionRequest: null, singleRun: false, retryOf: null, onlySteps: null, steps: 3, stepsPerAsset: { a: 3 }, extras: {} });
const log = (n: number) => JSON.stringify({ type: "log", asset: "a", partition: `p${n}`, level: "INFO", message: `line ${n}` });
const assetEnd = (n: number) => JSON.stringify({ type: "asset-end", asset: "a", partition: `p${n}`, status: "materialized", durationMs: 1, reason: null, endedAt: "2024-01-01T00:00:01.000Z" });
const partitions = (read: ReturnType<HistoryCache["read"]>) => ("events" in read ? read.events.map((e) => (e.type !== "run-start" && "partition" in e ? e.partition : e.type)) : read);

let n = 0;
const file = (lines: string) => {
  const path = join(dir, `run-${n++}.ndjson`);
  writeFileSync(path, lines);
  return path;
};

describe("HistoryCache", () => {
  it("reads only what a growing run appended, and the line that was half-written when it last read is not lost", () => {
    const head = `${start("r1")}\n${log(1)}\n${assetEnd(1)}\n`;
    const half = assetEnd(2);
    const path = file(`${head}${half.slice(0, 30)}`);
    const cache = new HistoryCache();
    const first = cache.read(path);
    expect(partitions(first)).toEqual(["run-start", "p1", "p1"]);
    expect(first).toMatchObject({ cut: true, warning: null });
    expect(cache.stats).toMatchObject({ whole: 1, appends: 0, bytesRead: statSync(path).size });

    const appended = `${half.slice(30)}\n${log(3)}\n${assetEnd(3)}\n`;
    appendFileSync(path, appended);
    const second = cache.read(path);
    expect(partitions(second)).toEqual(["run-start", "p1", "p1", "p2", "p3", "p3"]);
    expect(second).toMatchObject({ cut: false, warning: null });
    // The new bytes and the partial line again, not the whole file.
    expect(cache.stats).toMatchObject({ whole: 1, appends: 1, bytesRead: statSync(path).size + 30 });
    expect(second).toEqual(readRunFile(path));

    // Unchanged: nothing read.
    const before = cache.stats.bytesRead;
    expect(cache.read(path)).toEqual(second);
    expect(cache.stats).toMatchObject({ hits: 1, bytesRead: before });
  });

  it("keeps each reader's view apart (the types it keeps), each one grown alone", () => {
    const path = file(`${start("r2")}\n${log(1)}\n${assetEnd(1)}\n`);
    const cache = new HistoryCache();
    expect(partitions(cache.read(path, { types: OUTCOME_TYPES }))).toEqual(["run-start", "p1"]);
    expect(partitions(cache.read(path))).toEqual(["run-start", "p1", "p1"]);
    appendFileSync(path, `${log(2)}\n${assetEnd(2)}\n`);
    expect(partitions(cache.read(path, { types: OUTCOME_TYPES }))).toEqual(["run-start", "p1", "p2"]);
    expect(partitions(cache.read(path))).toEqual(["run-start", "p1", "p1", "p2", "p2"]);
    expect(cache.stats.appends).toBe(2);
  });

  it("reads a replaced, shrunk or rewritten file again whole", () => {
    const path = file(`${start("r3")}\n${assetEnd(1)}\n${assetEnd(2)}\n`);
    const cache = new HistoryCache();
    expect(partitions(cache.read(path))).toEqual(["run-start", "p1", "p2"]);
    // Replaced (another inode) by a longer run.
    const other = join(dir, "other.ndjson");
    writeFileSync(other, `${start("r3b")}\n${assetEnd(7)}\n${assetEnd(8)}\n${assetEnd(9)}\n`);
    renameSync(other, path);
    expect(partitions(cache.read(path))).toEqual(["run-start", "p7", "p8", "p9"]);
    // Shrunk in place.
    writeFileSync(path, `${start("r3c")}\n${assetEnd(5)}\n`);
    expect(partitions(cache.read(path))).toEqual(["run-start", "p5"]);
    // Rewritten in place, longer, its first bytes not those read: not taken for an append.
    writeFileSync(path, `${start("r3d")}\n${assetEnd(4)}\n${assetEnd(6)}\n${assetEnd(6)}\n`);
    const read = cache.read(path);
    expect(partitions(read)).toEqual(["run-start", "p4", "p6", "p6"]);
    expect("events" in read && read.events[0]).toMatchObject({ runId: "r3d" });
    expect(cache.stats).toMatchObject({ whole: 4, appends: 0 });
  });

  it("drops the least recently used file past its byte bound, and keeps nothing with a bound of 0", () => {
    const a = file(`${start("ra")}\n${Array.from({ length: 50 }, (_, i) => log(i)).join("\n")}\n`);
    const b = file(`${start("rb")}\n${Array.from({ length: 50 }, (_, i) => log(i)).join("\n")}\n`);
    const cache = new HistoryCache(statSync(a).size * 3); // one file's entry (an estimate of twice its bytes), not two
    cache.read(a);
    expect(cache.size.entries).toBe(1);
    cache.read(b);
    expect(cache.size.entries).toBe(1);
    expect(cache.stats.evictions).toBe(1);
    expect(cache.size.bytes).toBeLessThanOrEqual(cache.maxBytes);
    cache.read(a); // evicted: read whole again
    expect(cache.stats).toMatchObject({ whole: 3, hits: 0 });
    const none = new HistoryCache(0);
    none.read(a);
    none.read(a);
    expect(none.size.entries).toBe(0);
    expect(none.stats).toMatchObject({ whole: 2, hits: 0 });
  });

  it("says a damaged file's damage once, also as it grows, as a reader of the whole file does", () => {
    const path = file(`${start("rd")}\n${assetEnd(1)}\nnull\n{garbage\n`);
    const cache = new HistoryCache();
    const first = cache.read(path);
    expect(first).toMatchObject({ warning: `${path}: skipped 2 damaged lines (not pipes events)` });
    appendFileSync(path, `${assetEnd(2)}\n[]\n`);
    const grown = cache.read(path);
    expect(grown).toEqual(readRunFile(path));
    expect(grown).toMatchObject({ warning: `${path}: skipped 3 damaged lines (not pipes events)` });
    expect(cache.stats.appends).toBe(1);
  });

  it("refuses what is not a regular file as every reader does: a directory, a FIFO (without hanging), a file that is no run", () => {
    const cache = new HistoryCache();
    const folder = join(dir, "folder.ndjson");
    mkdirSync(folder);
    expect(cache.read(folder)).toEqual(readRunFile(folder));
    const fifo = join(dir, "fifo.ndjson");
    execFileSync("mkfifo", [fifo]);
    expect(cache.read(fifo)).toEqual({ notRun: "not a regular file" });
    const garbage = file("garbage\n");
    expect(cache.read(garbage)).toEqual({ notRun: "not a run history file (garbage or truncated at its start)" });
    appendFileSync(garbage, `${start("late")}\n`);
    expect(cache.read(garbage)).toEqual(readRunFile(garbage));
  });
});

describe("the page's run events", () => {
  it("are the recorded lines as sent, the same values a parse and stringify gave", () => {
    const runs = join(dir, "runs");
    mkdirSync(runs);
    writeFileSync(join(runs, "20240101T000000.000Z-r9.ndjson"), `${start("r9")}\n${log(1)}\n{"type":"log","asset":"a","level":"INFO","message":"big 12345678901234567890 and 1.0","partition":null,"n":1.0}\nnull\n${assetEnd(1)}\n${assetEnd(2).slice(0, 10)}`);
    const cache = new HistoryCache();
    const text = runViewJson(runs, "r9", { cache });
    expect(text).not.toBeNull();
    expect(JSON.parse(text!)).toEqual(JSON.parse(JSON.stringify(runView(runs, "r9"))));
    expect(JSON.parse(text!)).toMatchObject({ cut: true, warnings: [expect.stringContaining("skipped 1 damaged line")] });
    expect(runViewJson(runs, "nope", { cache })).toBeNull();
  });
});
