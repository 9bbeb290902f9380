// `npm run bench`: wall-time benchmarks of whole `pipes` processes against `node -e 0`, side by side: each round
// runs every case once, in reverse order every other round, so a slow spell of a shared machine falls on all of
// them alike; each ratio is the median of per-round ratios to that round's `node -e 0`, with its range.
// Prints figures; never asserts (tests stay deterministic on a noisy machine).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./measure.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const rounds = Number(process.env.BENCH_RUNS ?? 21);
const node = process.execPath;
const env = { ...process.env, NO_COLOR: "1", PIPES_HISTORY: "0" };
const pipes = (...args) => [node, "bin/pipes.js", ...args];

// [name, argv, goal (× node -e 0) or null]
const cases = [
  ["node -e 0", [node, "-e", "0"], null],
  ["pipes --version", pipes("--version"), null],
  ["pipes list -f fixtures/orders/defs.ts", pipes("list", "-f", "fixtures/orders/defs.ts"), 1.5],
  ["pipes list, an hourly asset since 2019", pipes("list", "-f", "fixtures/noop/hourly-2019.ts"), 1.5],
  // A whole cold run: the embedded emulator, a new worker, one no-op invocation, output.
  ["pipes materialize noop (Node.js only)", pipes("materialize", "-f", "fixtures/noop/node-only.ts", "noop"), 3],
  ["pipes materialize noop (a Python function too)", pipes("materialize", "-f", "fixtures/noop/defs.ts", "noop"), 3],
  // The same 10 partitions from a short and a long definition: partition math must not grow with the definition.
  ["10 partitions of a daily asset (2,000 keys)", pipes("materialize", "-f", "fixtures/noop/daily-2021.ts", "events", "--partition-range", "2024-01-01...2024-01-10"), null],
  ["10 partitions of an hourly asset (60,000 keys)", pipes("materialize", "-f", "fixtures/noop/hourly-2019.ts", "events", "--partition-range", "2024-01-01-00:00...2024-01-01-09:00"), null],
];
// [the case, the case it is compared with, goal]: per-round ratios, as against node -e 0.
const pairs = [[cases.length - 1, cases.length - 2, 1.05]];

function time([cmd, ...args]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

for (const [, argv] of cases) time(argv); // warm-up: file cache, jiti's transform cache
const samples = cases.map(() => []);
for (let round = 0; round < rounds; round++) {
  const order = [...cases.keys()];
  if (round % 2 === 1) order.reverse();
  for (const i of order) samples[i].push(time(cases[i][1]));
}
console.log(`startup, ${rounds} rounds side by side (node ${process.version}): median ms, and × node -e 0 as the median [range] of per-round ratios`);
/** Case i over case j, round by round: "median× [min–max]". */
function ratioOf(i, j) {
  const ratios = samples[i].map((ms, round) => ms / samples[j][round]);
  return `${median(ratios).toFixed(2)}× [${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}]`;
}
for (const [i, [name, , goal]] of cases.entries()) {
  const against = goal === null ? "" : `  goal ≤ ${goal}×`;
  console.log(`  ${name.padEnd(50)} ${median(samples[i]).toFixed(1).padStart(7)} ms  ${ratioOf(i, 0)}${against}`);
}
for (const [i, j, goal] of pairs) {
  console.log(`  ${cases[i][0]} ÷ ${cases[j][0].replace(/^10 partitions of /, "")}: ${ratioOf(i, j)}  goal ≤ ${goal}×`);
}
