// `npm run bench`: wall-time benchmarks of whole `pipes` processes against `node -e 0`.
// Prints figures; never asserts (tests stay deterministic on a noisy machine).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 21);
const node = process.execPath;
const env = { ...process.env, NO_COLOR: "1" };

const cases = [
  ["node -e 0", [node, "-e", "0"]],
  ["pipes --version", [node, "bin/pipes.js", "--version"]],
  ["pipes list -f fixtures/orders/defs.ts", [node, "bin/pipes.js", "list", "-f", "fixtures/orders/defs.ts"]],
  // A whole cold run: the embedded emulator, a new worker, one no-op invocation, output.
  ["pipes materialize -f fixtures/noop/defs.ts noop", [node, "bin/pipes.js", "materialize", "-f", "fixtures/noop/defs.ts", "noop"]],
];

function time([cmd, ...args]) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, env, stdio: ["ignore", "ignore", "pipe"] });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const results = [];
for (const [name, argv] of cases) {
  time(argv); // warm-up: file cache, jiti's transform cache
  const samples = Array.from({ length: runs }, () => time(argv));
  results.push({ name, median: median(samples) });
}
const base = results[0].median;
console.log(`startup, median of ${runs} runs (node ${process.version})`);
for (const r of results) {
  console.log(`  ${r.name.padEnd(50)} ${r.median.toFixed(1).padStart(7)} ms  ${(r.median / base).toFixed(2)}× node -e 0`);
}
