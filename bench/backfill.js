// A wide backfill: the whole `pipes materialize` process against a bare SDK loop (bench/bare-loop.js, also a whole
// process) at the same concurrency against the same emulator, started on its own so both pay the same server.
// Runs alternate; each round's pipes run is compared with that round's bare loop, and the median of those ratios is
// given, so a slow spell of a shared machine falls on both sides of a ratio alike. Then the peak RSS of the `pipes` process for 10× the
// partitions: a backfill streams its events, so memory should stay flat. Prints figures; asserts nothing.
// What a ratio holds: both sides are whole processes with their own start-up (node, the SDK; pipes also its CLI and
// the defs file), about the same (~0.19 s of CPU each for one invocation); the emulator's start is in neither. At
// 1,000 partitions most of each side's time is code V8 has not optimized yet (its SDK's as much as pipes' own), so
// per-step work weighs several times what it does in a 10,000-partition run. The bare loop uses the SDK's default
// client; pipes' (cacheMiddleware) costs ~0.1 ms less CPU per Invoke, which hides that much of pipes' own work.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { median } from "./measure.js";
import { root, server } from "./server.js";

const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 16;
const DEFS = "fixtures/backfill/defs.ts";

const emulator = await server(["bin/pipes.js", "emulator", "-f", DEFS, "--port", "0"]);

/** Runs a process to its end; resolves with its wall time, its stdout and its peak RSS (VmHWM, sampled). */
function timed(args, env = {}) {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  let peakKb = 0;
  child.stdout.on("data", (chunk) => (stdout += chunk));
  // VmHWM is the process's high-water mark: the last reading before it exits is its peak.
  const sample = setInterval(() => {
    try {
      peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1] ?? 0));
    } catch {} // it has exited
  }, 10);
  const t = performance.now();
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      clearInterval(sample);
      const seconds = (performance.now() - t) / 1000;
      if (code === 0) resolve({ seconds, stdout, peakMb: peakKb / 1024 });
      else reject(new Error(`${args.join(" ")} exited ${code}: ${stdout.slice(-2000)}`));
    });
  });
}

const bare = (count) => timed(["bench/bare-loop.js", emulator.url, String(count), String(CONCURRENCY)]);
const pipes = (count, extra = []) =>
  timed(["bin/pipes.js", "materialize", "-f", DEFS, "--profile", "bench", "wide", "--all-partitions", "--concurrency", String(CONCURRENCY), "--no-history", ...extra], {
    PIPES_BENCH_ENDPOINT: emulator.url,
    PIPES_BENCH_PARTITIONS: String(count),
  });

await bare(200); // warm the emulator's workers
// BENCH_JSON=0 leaves out the --json rounds (a 10,000-partition run takes minutes a round on a loaded machine).
const WITH_JSON = process.env.BENCH_JSON !== "0";
const runs = { bare: [], loop: [], pipes: [], json: [], rss: [] };
for (let round = 0; round < ROUNDS; round++) {
  // The order turns every round: going first or second (a warmer emulator, a busier spell) falls on both sides.
  const sides = [
    async () => {
      const b = await bare(PARTITIONS);
      runs.bare[round] = b.seconds;
      runs.loop[round] = JSON.parse(b.stdout).loopSeconds;
    },
    async () => {
      const p = await pipes(PARTITIONS);
      runs.pipes[round] = p.seconds;
      runs.rss[round] = p.peakMb;
    },
  ];
  if (round % 2 === 1) sides.reverse();
  for (const side of sides) await side();
  if (WITH_JSON) runs.json[round] = (await pipes(PARTITIONS, ["--json"])).seconds;
}
// Peak RSS for 10× the partitions, in rounds beside the size measured (RSS_ROUNDS; 0 skips it).
const RSS_ROUNDS = Number(process.env.BENCH_RSS_ROUNDS ?? 1);
const rss = { small: [], large: [] };
for (let round = 0; round < RSS_ROUNDS; round++) {
  const sides = [async () => rss.small.push((await pipes(PARTITIONS)).peakMb), async () => rss.large.push((await pipes(PARTITIONS * 10)).peakMb)];
  if (round % 2 === 1) sides.reverse();
  for (const side of sides) await side();
}
emulator.stop();

const rate = (seconds) => PARTITIONS / seconds;
const floor = rate(median(runs.bare));
const range = (xs) => `[${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}]`;
/** Per round, the bare loop's time over this run's: its rate as a share of the bare loop's; the median and range. */
const shares = (times) => times.map((seconds, round) => runs.bare[round] / seconds);
const line = (label, times) =>
  `  ${label.padEnd(30)} ${rate(median(times)).toFixed(0).padStart(5)} invocations/s  ${median(times).toFixed(2)} s  ${median(shares(times)).toFixed(2)}× the bare loop ${range(shares(times))}`;
console.log(`backfill of ${PARTITIONS} partitions of a no-op function, --concurrency ${CONCURRENCY}, one emulator; whole processes, ${ROUNDS} rounds, the order turning; median [range] of per-round ratios`);
console.log(`  ${"bare SDK loop".padEnd(30)} ${floor.toFixed(0).padStart(5)} invocations/s  ${median(runs.bare).toFixed(2)} s  (its loop alone: ${rate(median(runs.loop)).toFixed(0)}/s)`);
console.log(`${line("pipes materialize", runs.pipes)}; goal ≥ 0.9×`);
if (WITH_JSON) console.log(line("pipes materialize --json", runs.json));
console.log(`peak RSS of the pipes process: ${median(runs.rss).toFixed(0)} MB in the rounds above ${range(runs.rss)}`);
if (RSS_ROUNDS > 0) {
  const ratios = rss.large.map((mb, i) => mb / rss.small[i]);
  console.log(`  ${String(PARTITIONS).padStart(6)} partitions  ${median(rss.small).toFixed(0)} MB`);
  console.log(`  ${String(PARTITIONS * 10).padStart(6)} partitions  ${median(rss.large).toFixed(0)} MB  (${median(ratios).toFixed(2)}× ${range(ratios)}; goal ≤ 1.3×)`);
}
