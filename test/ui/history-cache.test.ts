// `pipes ui` keeps what it read of the history between requests (history/cache.ts); the page must still show the
// truth: a run in progress shows the events it appended since the last request (its half-written line once it is
// whole), a run file replaced shows its new content, a run removed is gone, and the runs list and an asset's history
// follow. The real server (bin/pipes.js ui) on a history written here line by line, as a recorder writes it.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, type Running, startPipes } from "../helpers/run-pipes.js";
import { uiApi } from "../helpers/ui-api.js";

let dir: string;
let runs: string;
let ui: Running;
let api: (path: string) => Promise<{ status: number; body: any }>;

const ID = "c0ffee00-0000-4000-8000-000000000000";
const start = JSON.stringify({ type: "run-start", runId: ID, startedAt: "2026-01-01T00:00:00.000Z", file: "defs.ts", profile: "local", target: "emulator", assets: ["raw_orders"], partition: null, partitionRequest: null, singleRun: false, retryOf: null, onlySteps: null, steps: 3, stepsPerAsset: { raw_orders: 3 }, extras: {} });
const log = (n: number) => JSON.stringify({ type: "log", asset: "raw_orders", partition: null, level: "INFO", message: `line ${n}` });
const end = (status: string) => JSON.stringify({ type: "asset-end", asset: "raw_orders", partition: null, status, durationMs: 3, reason: status === "failed" ? "function error" : null, endedAt: "2026-01-01T00:00:01.000Z" });
const file = () => join(runs, `20260101T000000.000Z-${ID}.ndjson`);
const messages = (body: { events: Array<{ type: string; message?: string }> }) => body.events.filter((e) => e.type === "log").map((e) => e.message);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pipes-ui-cache-"));
  copyFixture("orders", dir);
  runs = join(dir, ".pipes", "runs");
  mkdirSync(runs, { recursive: true });
  writeFileSync(file(), `${start}\n${log(1)}\n${log(2).slice(0, 25)}`);
  ui = startPipes(["ui", "--port", "0"], { cwd: dir });
  const [, url, token] = await ui.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/, 30_000);
  api = uiApi(url!, token);
}, 60_000);

afterAll(async () => {
  ui?.child.kill("SIGINT");
  await ui?.exited;
  rmSync(dir, { recursive: true, force: true });
});

describe("pipes ui on a history that changes between requests", () => {
  it("shows what a run in progress appended, its half-written line once whole, in its events, the runs list and the asset's history", async () => {
    const first = await api(`/api/runs/${ID}/events`);
    expect(first.status).toBe(200);
    expect(messages(first.body)).toEqual(["line 1"]);
    expect(first.body.cut).toBe(true);
    expect((await api("/api/runs")).body.runs).toMatchObject([{ runId: ID, outcome: "unfinished", counts: { materialized: 0 } }]);
    expect((await api("/api/assets/raw_orders/history")).body.attempts).toEqual([]);

    appendFileSync(file(), `${log(2).slice(25)}\n${log(3)}\n${end("materialized")}\n`);
    const second = await api(`/api/runs/${ID}/events`);
    expect(messages(second.body)).toEqual(["line 1", "line 2", "line 3"]);
    expect(second.body.cut).toBe(false);
    expect((await api("/api/runs")).body.runs).toMatchObject([{ runId: ID, outcome: "unfinished", counts: { materialized: 1 } }]);
    expect((await api("/api/assets/raw_orders/history")).body.attempts).toMatchObject([{ runId: ID, status: "materialized" }]);
    expect((await api("/api/defs")).body.assets.find((a: { key: string }) => a.key === "raw_orders").outcome).toMatchObject({ status: "materialized", runId: ID });
  });

  it("shows a replaced run file's new content, and forgets a removed one", async () => {
    const other = join(runs, "next.tmp");
    writeFileSync(other, `${start}\n${log(9)}\n${end("failed")}\n`);
    renameSync(other, file());
    expect(messages((await api(`/api/runs/${ID}/events`)).body)).toEqual(["line 9"]);
    expect((await api("/api/assets/raw_orders/history")).body.attempts).toMatchObject([{ runId: ID, status: "failed" }]);
    expect((await api("/api/defs")).body.assets.find((a: { key: string }) => a.key === "raw_orders").outcome).toMatchObject({ status: "failed" });
    rmSync(file());
    expect((await api(`/api/runs/${ID}/events`)).status).toBe(404);
    expect((await api("/api/runs")).body.runs).toEqual([]);
    expect((await api("/api/assets/raw_orders/history")).body.attempts).toEqual([]);
  });
});
