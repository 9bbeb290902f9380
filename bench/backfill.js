// A wide backfill: the whole `pipes materialize` process against a bare SDK loop (bench/bare-loop.js, also a whole
// process) at the same concurrency against the same emulator, started on its own so both pay the same server.
// Runs alternate; each round's pipes run is compared with that round's bare loop, and the median of those ratios is
// given, so a slow spell of a shared machine falls on both sides of a ratio alike. Then the peak RSS of the `pipes` process for 10× the
// partitions: a backfill streams its events, so memory should stay flat. Prints figures; asserts nothing.
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
const runs = { bare: [], loop: [], pipes: [], json: [] };
for (let round = 0; round < ROUNDS; round++) {
  const b = await bare(PARTITIONS);
  runs.bare.push(b.seconds);
  runs.loop.push(JSON.parse(b.stdout).loopSeconds);
  runs.pipes.push((await pipes(PARTITIONS)).seconds);
  runs.json.push((await pipes(PARTITIONS, ["--json"])).seconds);
}
const small = await pipes(PARTITIONS);
const large = await pipes(PARTITIONS * 10);
emulator.stop();

const rate = (seconds) => PARTITIONS / seconds;
const floor = rate(median(runs.bare));
/** The median over rounds of the bare loop's time over this run's: its rate as a share of the bare loop's. */
const share = (times) => median(times.map((seconds, round) => runs.bare[round] / seconds));
const line = (label, times) =>
  `  ${label.padEnd(30)} ${rate(median(times)).toFixed(0).padStart(5)} invocations/s  ${median(times).toFixed(2)} s  (${(share(times) * 100).toFixed(0)}% of the bare loop)`;
console.log(`backfill of ${PARTITIONS} partitions of a no-op function, --concurrency ${CONCURRENCY}, one emulator; whole processes, medians of ${ROUNDS} rounds`);
console.log(`  ${"bare SDK loop".padEnd(30)} ${floor.toFixed(0).padStart(5)} invocations/s  ${median(runs.bare).toFixed(2)} s  (its loop alone: ${rate(median(runs.loop)).toFixed(0)}/s)`);
console.log(`${line("pipes materialize", runs.pipes)}; target ≥ 80%`);
console.log(line("pipes materialize --json", runs.json));
console.log("peak RSS of the pipes process");
console.log(`  ${String(PARTITIONS).padStart(6)} partitions  ${small.peakMb.toFixed(0)} MB`);
console.log(`  ${String(PARTITIONS * 10).padStart(6)} partitions  ${large.peakMb.toFixed(0)} MB  (${(large.peakMb / small.peakMb).toFixed(2)}×; target ≤ 1.5×)`);
