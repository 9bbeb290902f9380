// What the page's API answers carry, read in process from a history written here: /api/defs carries whole partition
// counts but only the grid's keys (not the 60,000 missing keys of an hourly asset since 2019); an asset's latest
// failure shows the logs of its own step, read from its run alone (the other steps' lines, even ones that mention
// its partition in their text, are not its logs), and a run that grows is read again only from where it was read.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDefinitions } from "../../src/defs/load.js";
import type { ResolvedDefinitions } from "../../src/defs/normalized.js";
import { HistoryCache } from "../../src/history/cache.js";
import { readRunFile } from "../../src/history/read.js";
import { assetHistory, defsView, GRID_KEYS, historyFolds } from "../../src/ui/api.js";

const dir = mkdtempSync(join(tmpdir(), "pipes-api-answers-"));
const runs = join(dir, ".pipes", "runs");
let defs: ResolvedDefinitions;

const ID = "a11ce000-0000-4000-8000-000000000000";
const key = (i: number) => `${new Date(Date.UTC(2019, 0, 1) + i * 3600_000).toISOString().slice(0, 13).replace("T", "-")}:00`;
const step = (i: number) => ({ asset: "events", partition: key(i) });
const line = (e: object) => JSON.stringify(e);

/** Steps 0..9 of the hourly asset, interleaved as a concurrent backfill writes them; step 5 fails after two logs. */
function history(): string {
  const lines = [line({ type: "run-start", runId: ID, startedAt: "2026-01-01T00:00:00.000Z", file: "defs.ts", profile: "local", target: "emulator", assets: ["events"], partition: null, partitionRequest: null, singleRun: false, retryOf: null, onlySteps: null, steps: 10, stepsPerAsset: { events: 10 }, extras: {} })];
  for (let i = 0; i < 10; i++) {
    lines.push(line({ type: "log", ...step(i), level: "INFO", message: `step ${i} starts` }));
    // Another step's line that names step 5's partition in its text is still not step 5's.
    if (i === 4) lines.push(line({ type: "log", ...step(i), level: "WARN", message: `waiting for ${key(5)}` }));
    if (i === 5) lines.push(line({ type: "log", ...step(i), level: "INFO", message: "about to fail" }));
  }
  for (let i = 0; i < 10; i++) {
    const failed = i === 5;
    if (failed) lines.push(line({ type: "error", ...step(i), source: "function", errorType: "Error", message: "kaboom-5", trace: ["at handler (noop.mjs:3:9)"] }));
    else lines.push(line({ type: "materialization", ...step(i), assetKey: "events", dataVersion: null, metadata: {}, implicit: false }));
    lines.push(line({ type: "log", ...step(i), level: "INFO", message: `step ${i} after its outcome` }));
    lines.push(line({ type: "asset-end", ...step(i), status: failed ? "failed" : "materialized", durationMs: 3, reason: failed ? "function error" : null, endedAt: "2026-01-01T00:00:01.000Z" }));
  }
  return `${lines.join("\n")}\n`;
}

beforeAll(async () => {
  mkdirSync(runs, { recursive: true });
  writeFileSync(join(dir, "defs.ts"), `import { defineDefinitions } from "pipes";
export default defineDefinitions({
  assets: { events: { function: "noop", partitions: { type: "hourly", start: "2019-01-01" } } },
  functions: { noop: { handler: "./noop.handler", runtime: "nodejs20.x" } },
});
`);
  writeFileSync(join(dir, "noop.mjs"), "export const handler = async () => ({});\n");
  writeFileSync(join(runs, `20260101T000000.000Z-${ID}.ndjson`), history());
  defs = await loadDefinitions({ file: join(dir, "defs.ts"), cwd: dir, env: {} });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the page's API answers", () => {
  it("/api/defs: whole counts of an hourly asset since 2019, and of its keys only the grid's, not every missing one", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const view = defsView(defs, runs, {}, now);
    const asset = view.assets.find((a) => a.key === "events")!;
    const p = asset.status!.partitions!;
    expect(p.total).toBeGreaterThan(60_000);
    expect(p).toMatchObject({ materialized: 9, failed: 1 });
    expect(asset.partitionKeys).toHaveLength(GRID_KEYS);
    // The grid's keys that are missing: all of them but the 9 materialized; the failed one among them.
    expect(p.gridMissing).toHaveLength(GRID_KEYS - 9);
    expect(p.gridMissing.every((k) => asset.partitionKeys!.includes(k))).toBe(true);
    expect(p.gridFailed).toEqual([key(5)]);
    expect(p).not.toHaveProperty("missing");
    // What the page is sent for the graph: tens of KB (the grid's keys), not the MB of 60,000 missing keys.
    expect(JSON.stringify(view).length).toBeLessThan(120_000);
    expect(JSON.stringify(view)).not.toContain(key(GRID_KEYS + 1));
  });

  it("an asset's latest failure shows its own step's logs; a grown run is read again only from where it was read", () => {
    const cache = new HistoryCache();
    const read = { cache };
    historyFolds(runs, read);
    const history = assetHistory(runs, "events", read);
    const last = history.attempts.at(-1)!;
    expect(last).toMatchObject({ partition: key(9), status: "materialized" });
    const failed = history.attempts.find((a) => a.status === "failed")!;
    expect(failed.error?.message).toBe("kaboom-5");
    // The failure box's logs come only for the latest attempt; fold an asset whose latest attempt failed.
    writeFileSync(join(runs, "20260101T000001.000Z-b0000000-0000-4000-8000-000000000000.ndjson"), history2());
    const again = assetHistory(runs, "events", read);
    const latest = again.attempts.at(-1)!;
    expect(latest).toMatchObject({ partition: key(5), status: "failed" });
    expect(latest.logs).toEqual(["INFO step 5 starts", "INFO about to fail"]);
    // The failed run grows by another step's line: only what it appended is read again, for each view kept of it.
    const appended = `${line({ type: "log", ...step(4), level: "INFO", message: "later" })}\n`;
    appendFileSync(join(runs, "20260101T000001.000Z-b0000000-0000-4000-8000-000000000000.ndjson"), appended);
    const before = cache.stats.bytesRead;
    expect(assetHistory(runs, "events", read).attempts.at(-1)!.logs).toEqual(["INFO step 5 starts", "INFO about to fail"]);
    expect(cache.stats.bytesRead - before).toBe(2 * appended.length);
  });

  it("a read of one step parses only its lines: the run's start and end, and that step's events", () => {
    const path = join(runs, `20260101T000000.000Z-${ID}.ndjson`);
    const read = readRunFile(path, { step: step(5) });
    if ("notRun" in read) throw new Error(read.notRun);
    expect(read.events.map((e) => ("partition" in e && e.type !== "run-start" ? `${e.type} ${e.partition}` : e.type))).toEqual(["run-start", `log ${key(5)}`, `log ${key(5)}`, `error ${key(5)}`, `log ${key(5)}`, `asset-end ${key(5)}`]);
    expect(read.warning).toBeNull();
  });
});

/** A later run that retried step 5 and failed again. */
function history2(): string {
  const id = "b0000000-0000-4000-8000-000000000000";
  return `${[
    line({ type: "run-start", runId: id, startedAt: "2026-01-01T00:00:01.000Z", file: "defs.ts", profile: "local", target: "emulator", assets: ["events"], partition: key(5), partitionRequest: null, singleRun: false, retryOf: ID, onlySteps: null, steps: 1, stepsPerAsset: { events: 1 }, extras: {} }),
    line({ type: "log", ...step(5), level: "INFO", message: "step 5 starts" }),
    line({ type: "log", ...step(4), level: "WARN", message: `not a step of this run, naming ${key(5)}` }),
    line({ type: "log", ...step(5), level: "INFO", message: "about to fail" }),
    line({ type: "error", ...step(5), source: "function", errorType: "Error", message: "kaboom-5", trace: [] }),
    line({ type: "asset-end", ...step(5), status: "failed", durationMs: 3, reason: "function error", endedAt: "2026-01-01T00:00:02.000Z" }),
    line({ type: "run-end", runId: id, ok: false, materialized: [], failed: ["events"], skipped: [], interrupted: [], counts: { materialized: 0, failed: 1, skipped: 0, interrupted: 0 }, throttles: 0, durationMs: 5 }),
  ].join("\n")}\n`;
}
