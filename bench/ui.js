// `npm run bench:ui`: how fast `pipes ui` answers the requests its pages make, on a history with a 10,000-step run
// (an hourly asset since 2019: 61,000 partition keys) among 100 runs. Starts the real server (bin/pipes.js ui) on a
// seeded project and times each endpoint's first answer after start (cold: nothing kept yet), its first answer after
// the graph's (/api/defs, which the page asks first, read every run's outcomes), its next answers (warm: nothing
// changed), and its answer after the 10,000-step run's file grew by a line and a half-written one (in progress).
// Prints median [range] over rounds, each figure beside its goal (< 1 s, cold and warm alike); never asserts (tests
// stay deterministic). "cold" is truly cold: a fresh server process, nothing of the history read (no warm-up runs);
// only the OS's file cache is warm. The machine's load average is printed before and after: the 2 cores are shared.
// With BENCH_BASE=<another checkout, built> (e.g. `git worktree add /tmp/base main && cd /tmp/base && npm run build`)
// both servers are measured in alternating rounds, the order reversed every other round, and the ratio quoted.
import { spawn } from "node:child_process";
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./measure.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const rounds = Number(process.env.BENCH_RUNS ?? 5);
const warmCalls = 5;
const STEPS = 10_000;
const RUNS = 100;
const sides = [["this checkout", root], ...(process.env.BENCH_BASE ? [["base", process.env.BENCH_BASE]] : [])];

// BENCH_UI_SEED=<folder>: only write the project and its history there (to profile, or to look at it with pipes ui).
const seedOnly = process.env.BENCH_UI_SEED;
const dir = seedOnly ?? mkdtempSync(join(tmpdir(), "pipes-bench-ui-"));
const runs = join(dir, ".pipes", "runs");
const bigId = "b1g00000-0000-4000-8000-000000000000";
const bigFile = join(runs, `20260101T000000.000Z-${bigId}.ndjson`);

/** Hourly keys from 2019-01-01 (UTC), as the definition has them. */
const keyAt = (i) => `${new Date(Date.UTC(2019, 0, 1) + i * 3600_000).toISOString().slice(0, 13).replace("T", "-")}:00`;

function runLines(runId, startedAt, steps, firstKey, failEvery) {
  const lines = [];
  const push = (e) => lines.push(JSON.stringify(e));
  const request = { kind: "range", start: keyAt(firstKey), end: keyAt(firstKey + steps - 1) };
  push({ type: "run-start", runId, startedAt, file: join(dir, "defs.ts"), profile: "local", target: "emulator", assets: ["events"], partition: null, partitionRequest: request, singleRun: false, retryOf: null, onlySteps: null, steps, stepsPerAsset: { events: steps }, extras: {} });
  const counts = { materialized: 0, failed: 0, skipped: 0, interrupted: 0 };
  for (let i = 0; i < steps; i++) {
    const step = { asset: "events", partition: keyAt(firstKey + i) };
    const failed = failEvery > 0 && i % failEvery === failEvery - 1;
    push({ type: "invocation-start", ...step, functionName: "noop", startedAt });
    for (let l = 0; l < 3; l++) push({ type: "log", ...step, level: "INFO", message: `step ${i} line ${l}: read 1000 rows from the source table` });
    if (failed) push({ type: "error", ...step, source: "function", errorType: "Error", message: `kaboom-${i}`, trace: ["at handler (noop.mjs:3:9)"] });
    else push({ type: "materialization", ...step, assetKey: "events", dataVersion: null, metadata: { rows: { raw_value: 1000 + i, type: "int" } }, implicit: false });
    push({ type: "invocation-end", ...step, functionName: "noop", requestId: `req-${i}`, ok: !failed, durationMs: 12, costUsd: 0.0000002 });
    push({ type: "asset-end", ...step, status: failed ? "failed" : "materialized", durationMs: 14, reason: failed ? "function error" : null, endedAt: startedAt });
    counts[failed ? "failed" : "materialized"]++;
  }
  return { lines, end: { type: "run-end", runId, ok: counts.failed === 0, materialized: counts.materialized ? ["events"] : [], failed: counts.failed ? ["events"] : [], skipped: [], interrupted: [], counts, throttles: 0, durationMs: 1000, costUsd: 0.001 } };
}

function seed() {
  mkdirSync(runs, { recursive: true });
  copyFileSync(join(root, "fixtures/noop/hourly-2019.ts"), join(dir, "defs.ts"));
  copyFileSync(join(root, "fixtures/noop/noop.mjs"), join(dir, "noop.mjs"));
  for (let r = 0; r < RUNS - 1; r++) {
    const id = `00000000-0000-4000-8000-${String(r).padStart(12, "0")}`;
    const { lines, end } = runLines(id, `2025-01-01T00:${String(Math.floor(r / 60)).padStart(2, "0")}:${String(r % 60).padStart(2, "0")}.000Z`, 20, r * 20, 7);
    writeFileSync(join(runs, `20250101T00${String(Math.floor(r / 60)).padStart(2, "0")}${String(r % 60).padStart(2, "0")}.000Z-${id}.ndjson`), `${[...lines, JSON.stringify(end)].join("\n")}\n`);
  }
  // The big run is in progress: no run-end yet, so it can grow.
  const { lines } = runLines(bigId, "2026-01-01T00:00:00.000Z", STEPS, 30_000, 500);
  writeFileSync(bigFile, `${lines.join("\n")}\n`);
}

/** A few more lines of the in-progress run, the last one half-written (as a recorder mid-write leaves it). */
let grown = 0;
let pending = "";
function grow() {
  const step = { asset: "events", partition: keyAt(30_000 + STEPS) };
  const line = JSON.stringify({ type: "log", ...step, level: "INFO", message: `appended ${grown++}` });
  appendFileSync(bigFile, `${pending}${line}\n${line.slice(0, 20)}`);
  pending = `${line.slice(20)}\n`;
}

async function start(checkout) {
  const child = spawn(process.execPath, [join(checkout, "bin/pipes.js"), "ui", "--port", "0"], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const ready = await new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const m = /Ready on (http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/.exec(out);
      if (m) resolve({ url: m[1], token: m[2] });
    });
    child.on("exit", (code) => reject(new Error(`pipes ui exited ${code}: ${out}`)));
  });
  return { ...ready, pid: child.pid, stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGINT");
      }), };
}

/**
 * The server process's CPU time so far (ms, user + system, all its threads), from Linux's /proc; null elsewhere. The
 * 2 cores are shared with other work: an answer's wall time grows with the load, its CPU time much less.
 */
function cpuOf(pid) {
  if (!existsSync(`/proc/${pid}/stat`)) return null;
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 1/100 s (USER_HZ)
}

/** The cold answer, with the server's CPU time for it. */
async function timed(server, path) {
  const before = cpuOf(server.pid);
  const answer = await get(server, path);
  const after = cpuOf(server.pid);
  return { ...answer, cpu: before === null || after === null ? null : after - before };
}

function get(server, path) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const req = request(`${server.url}${path.slice(1)}`, { headers: { "X-Pipes-Token": server.token } }, (res) => {
      let bytes = 0;
      res.on("data", (d) => (bytes += d.length));
      res.on("end", () => (res.statusCode === 200 ? resolve({ ms: performance.now() - t, bytes }) : reject(new Error(`${path}: ${res.statusCode}`))));
    });
    req.on("error", reject);
    req.end();
  });
}

// What the pages ask: the graph, the runs list, the 10,000-step run's events, the asset's history.
const endpoints = ["/api/defs", "/api/runs", `/api/runs/${bigId}/events`, "/api/assets/events/history"];
const kinds = ["cold", "cold, server CPU", "cold after the graph", "warm", "grown"];
const KIND_LABELS = {
  cold: "cold (fresh server)",
  "cold, server CPU": "  its CPU time",
  "cold after the graph": "after /api/defs",
  warm: "warm (unchanged)",
  grown: "grown (appended)",
};
const samples = new Map(); // `${side}\0${endpoint}\0${kind}` → ms[]
const sizes = new Map();
const add = (side, endpoint, kind, ms) => samples.set(`${side}\0${endpoint}\0${kind}`, [...(samples.get(`${side}\0${endpoint}\0${kind}`) ?? []), ms]);

async function round(side, checkout) {
  for (const endpoint of endpoints) {
    // A fresh server for each endpoint's cold answer: nothing read yet (the OS's file cache is warm for both sides).
    let server = await start(checkout);
    try {
      // As the page asks: the graph first (it reads every run's outcomes, which an asset page reads too).
      if (endpoint !== "/api/defs") {
        await get(server, "/api/defs");
        add(side, endpoint, "cold after the graph", (await get(server, endpoint)).ms);
        await server.stop();
        server = await start(checkout);
      }
      const cold = await timed(server, endpoint);
      add(side, endpoint, "cold", cold.ms);
      if (cold.cpu !== null) add(side, endpoint, "cold, server CPU", cold.cpu);
      sizes.set(`${side}\0${endpoint}`, cold.bytes);
      const warm = [];
      for (let i = 0; i < warmCalls; i++) warm.push((await get(server, endpoint)).ms);
      add(side, endpoint, "warm", median(warm));
      grow();
      add(side, endpoint, "grown", (await get(server, endpoint)).ms);
    } finally {
      await server.stop();
    }
  }
}

if (seedOnly) {
  seed();
  console.log(`seeded ${dir}`);
  process.exit(0);
}
const load = () => loadavg().map((l) => l.toFixed(1)).join(" ");
const loadBefore = load();
try {
  seed();
  for (const [, checkout] of sides) await round("warm-up", checkout);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...sides].reverse() : sides;
    for (const [side, checkout] of order) await round(side, checkout);
  }
  console.log(`pipes ui, ${RUNS} runs, one of ${STEPS.toLocaleString("en")} steps in progress, an hourly asset since 2019; ${rounds} paired rounds${sides.length === 2 ? " (order alternating)" : ""} (node ${process.version}; load average ${loadBefore} before, ${load()} after): median [range] ms, goal < 1 s`);
  for (const endpoint of endpoints) {
    console.log(`  ${endpoint}  (${sides.map(([side]) => `${side}: ${(sizes.get(`${side}\0${endpoint}`) / 1024).toFixed(0)} KB`).join(", ")})`);
    for (const kind of kinds) {
      if (!samples.has(`${sides[0][0]}\0${endpoint}\0${kind}`)) continue;
      const cells = sides.map(([side]) => {
        const xs = samples.get(`${side}\0${endpoint}\0${kind}`);
        return `${side}: ${median(xs).toFixed(0).padStart(5)} [${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}]`;
      });
      let ratio = "";
      if (sides.length === 2) {
        const a = samples.get(`${sides[0][0]}\0${endpoint}\0${kind}`);
        const b = samples.get(`${sides[1][0]}\0${endpoint}\0${kind}`);
        const ratios = a.map((x, i) => b[i] / x);
        ratio = `  base/this ${median(ratios).toFixed(1)}× [${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}]`;
      }
      const ok = median(samples.get(`${sides[0][0]}\0${endpoint}\0${kind}`)) < 1000 ? "< 1 s ✓" : "< 1 s ✗";
      console.log(`    ${KIND_LABELS[kind].padEnd(20)} ${cells.join("   ")}   goal ${ok}${ratio}`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
