// `pipes dev --watch-run`: wall time from saving a handler to the end of the re-run it triggers (the
// function's worker restarted, so this includes a cold start, whose process starts as the save is seen, during the
// watcher's settle). Prints figures; asserts nothing.
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const ROUNDS = Number(process.env.BENCH_DEV_ROUNDS ?? 15);
const project = mkdtempSync(join(tmpdir(), "pipes-bench-dev-"));
cpSync(join(root, "fixtures/orders"), project, { recursive: true, dereference: true });
const handler = join(project, "handlers/ingest.mjs");

const child = spawn(process.execPath, [join(root, "bin/pipes.js"), "dev", "-f", join(project, "defs.ts"), "--watch-run"], {
  stdio: ["pipe", "pipe", "inherit"],
  env: { ...process.env, NO_COLOR: "1" },
});
let out = "";
child.stdout.on("data", (d) => (out += d));
const until = (pattern, from) =>
  new Promise((resolve) => {
    const timer = setInterval(() => {
      if (pattern.test(out.slice(from))) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });

await until(/watching/, 0);
child.stdin.write("raw_orders\n");
await until(/✔ 1 materialized/, 0);
const times = [];
for (let i = 0; i < ROUNDS; i++) {
  const mark = out.length;
  const start = performance.now();
  writeFileSync(handler, readFileSync(handler, "utf8").replace(/fetching orders( v\d+)?/, `fetching orders v${i}`));
  await until(new RegExp(`fetching orders v${i}\\b[\\s\\S]*✔ 1 materialized`), mark);
  times.push(performance.now() - start);
}
child.stdin.end();
await new Promise((resolve) => child.on("exit", resolve));
rmSync(project, { recursive: true, force: true });
times.sort((a, b) => a - b);
const at = (p) => times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))].toFixed(0);
console.log(`pipes dev: handler saved → re-run done (${ROUNDS} saves, includes the watcher's 60 ms settle and a cold start); goal p50 ≤ 100 ms`);
console.log(`  p50 ${at(50)} ms  p90 ${at(90)} ms  max ${times.at(-1).toFixed(0)} ms`);
