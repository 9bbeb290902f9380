// `npm run bench:soak`: one long run of `pipes emulator` (a real child process, checking signatures with its own
// --credentials profile) under everything at once, read from the OS, with a verdict in the exit code.
//   1. round 1, the first minute (SOAK_SECONDS, longer if its bursts take longer): signed invokes at concurrency 8
//      over a Node.js and a Python function while, at once, 20 unsigned POSTs (bogus Authorization) of 50 MB bodies,
//      1,000 functions created and invoked once each and 2,000 Event invocations of 256 KB to one run; 200 slow
//      connections trickle their headers a byte a second or sit idle (reopened when closed) throughout;
//   2. round 2: the same again, the 1,000 functions invoked once more (cold: past the idle-sandbox bound);
//   3. a short settle (SOAK_SETTLE_SECONDS), then SIGINT, and a look for any process of the emulator left behind.
// The emulator's RSS (VmRSS, peak VmHWM) and open fds are sampled every second and printed at start, after each
// round and at the end. Exit 0 only when: no signed call failed, RSS and fds after round 2 are within 20% of those
// after round 1 (a leak grows with each round; the state and allocator high-water mark round 1 leaves do not), the
// emulator stopped by itself, and nothing of it was left (zombies too).
// Every count is an env variable (see `config`); SOAK_SECONDS=20 SOAK_FUNCTIONS=150 runs in about a minute.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pct } from "./measure.js";
import { sdk, server } from "./server.js";
import { createEventTarget, eventFlood, manyFunctions, signedInvokes, slowConnections, Tally, unsignedBodies } from "./soak/loads.js";
import { processTable, watch } from "./soak/watch.js";

const num = (name, fallback) => Number(process.env[name] ?? fallback);
const memTotalMb = Number(/MemTotal:\s+(\d+)/.exec(readFileSync("/proc/meminfo", "utf8"))[1]) / 1024;
const config = {
  seconds: num("SOAK_SECONDS", 60),
  concurrency: num("SOAK_CONCURRENCY", 8),
  slow: num("SOAK_SLOW", 200),
  unsigned: num("SOAK_UNSIGNED", 20),
  unsignedMb: num("SOAK_UNSIGNED_MB", 50),
  functions: num("SOAK_FUNCTIONS", 1000),
  events: num("SOAK_EVENTS", 2000),
  eventKb: num("SOAK_EVENT_KB", 256),
  settleSeconds: num("SOAK_SETTLE_SECONDS", 10),
  runtime: process.env.SOAK_RUNTIME ?? "nodejs24.x",
  // Stop creating functions before a leak of sandboxes takes the machine (shared with other work) under this.
  minAvailableMb: num("SOAK_MIN_AVAILABLE_MB", Math.round(memTotalMb / 4)),
  tolerance: 0.2,
};
const STOP_TIMEOUT_MS = 60_000;
const UNSIGNED_TIMEOUT_MS = 120_000;

// The emulator's own AWS profile in a scratch credentials file: signed calls use its key, nobody else's works.
const scratch = mkdtempSync(join(tmpdir(), "pipes-soak-"));
const credentials = { accessKeyId: "AKIDPIPESSOAK0000001", secretAccessKey: "soak-secret-0123456789abcdefghijklmnopqrs" };
writeFileSync(join(scratch, "credentials"), `[soak]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`, { mode: 0o600 });
const emulator = await server(
  ["bin/pipes.js", "emulator", "-f", "fixtures/noop/defs.ts", "--port", "0", "--credentials", "soak", "--log-retention-mb", "2"],
  { env: { AWS_SHARED_CREDENTIALS_FILE: join(scratch, "credentials"), AWS_CONFIG_FILE: join(scratch, "config") } },
);
const exited = new Promise((resolve) => emulator.child.once("exit", (code, signal) => resolve(signal ?? code)));
const watcher = watch(emulator.pid);
const log = (line) => console.log(`[${watcher.samples.at(-1).at.toFixed(0).padStart(4)} s] ${line}`);
const atStart = watcher.samples[0];
/** A sample now; an emulator gone before its stop ends the soak with what it printed. */
function sampleOrDie() {
  const s = watcher.sample();
  if (s !== null) return s;
  console.error(`soak: FAIL — the emulator exited during the soak; its output ends:\n${emulator.output().slice(-2000)}`);
  process.exit(1);
}
log(`pipes emulator pid ${emulator.pid} on ${emulator.url}; ${JSON.stringify(config)}`);

// Two rounds of the same load. Round 1 (the first minute and what it takes to finish): signed invokes at
// concurrency 8 for SOAK_SECONDS while, at once, 20 unsigned 50 MB bodies, 1,000 functions created and invoked once
// and 2,000 Event invocations run. Round 2: the same again (the 1,000 functions invoked once more, cold: past the
// idle-sandbox bound). A leak grows with each round; state (the functions' configurations, the allocator's high-water
// mark of round 1's bursts) does not, so round 2's end is compared with round 1's.
const invoker = sdk(emulator.url, credentials);
const admin = sdk(emulator.url, credentials);
const slow = slowConnections(emulator.url, config.slow);
/** Logs what a load ended with, as soon as it ends, and passes it on. */
const tell = (message) => (result) => {
  log(message(result));
  return result;
};
await createEventTarget(admin, "soak-events", config.runtime);
async function round(n) {
  const t = { signed: new Tally(), functions: new Tally(), events: new Tally() };
  const ends = Date.now() + config.seconds * 1000;
  let burstsDone = false;
  const signed = signedInvokes(invoker, ["noop", "noop_py"], config.concurrency, () => burstsDone && Date.now() >= ends, t.signed);
  const [unsigned, created, events] = await Promise.all([
    unsignedBodies(emulator.url, config.unsigned, config.unsignedMb, UNSIGNED_TIMEOUT_MS).then(tell((r) => `round ${n}: unsigned bodies answered: ${JSON.stringify(r)}`)),
    manyFunctions(admin, config.functions, 4, config.minAvailableMb, t.functions, config.runtime, { create: n === 1 }).then(
      tell(() => `round ${n}: functions ${n === 1 ? "created and " : ""}invoked: ${t.functions.calls}, ${t.functions.errors} errors`),
    ),
    eventFlood(admin, "soak-events", config.events, config.eventKb, config.concurrency, t.events).then(
      tell((r) => `round ${n}: Event invocations: ${r.accepted} × 202, ${r.throttled} × 429, ${t.events.errors} errors`),
    ),
  ]);
  burstsDone = true;
  await signed;
  log(`round ${n} done: ${t.signed.calls} signed invokes, ${t.signed.errors} errors; slow connections open ${slow.state.open}, reopened ${slow.state.reopened}`);
  return { tally: t, unsigned, created, flood: events, sample: sampleOrDie() };
}
const first = await round(1);
const second = await round(2);
invoker.destroy();
admin.destroy();

// 3. Settle, then stop.
await new Promise((resolve) => setTimeout(resolve, config.settleSeconds * 1000));
const atEnd = sampleOrDie();
watcher.stop();
slow.close();
log(`stopping with SIGINT (${atEnd.processes} processes under the emulator now, ${watcher.seenCount()} seen in all)`);
emulator.child.kill("SIGINT");
const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), STOP_TIMEOUT_MS).unref())]);
if (stopped === null) emulator.child.kill("SIGKILL");
const leftAtExit = watcher.leftovers();
await new Promise((resolve) => setTimeout(resolve, 5000));
const leftAfter5s = watcher.leftovers();

// Report.
console.log("");
console.log(`soak: two rounds, each ${config.seconds} s (at least) of signed invokes at concurrency ${config.concurrency} (noop Node.js + noop_py Python) with the rest at once, ${config.slow} slow connections throughout`);
const line = (label, t) => {
  const p = (q) => (t.latencies.length ? `${pct(t.latencies, q).toFixed(1)} ms` : "-");
  console.log(`  ${label.padEnd(34)} ${String(t.calls).padStart(7)} ok  ${String(t.errors).padStart(4)} errors  p50 ${p(50)}  p99 ${p(99)}`);
  for (const e of t.firstErrors) console.log(`      e.g. ${e}`);
};
for (const [n, r] of [[1, first], [2, second]]) {
  line(`round ${n}: signed invokes`, r.tally.signed);
  line(`round ${n}: functions ${n === 1 ? "created + " : ""}invoked (of ${config.functions})`, r.tally.functions);
  line(`round ${n}: Event invocations (of ${config.events})`, r.tally.events);
  console.log(`  round ${n}: Event answers: ${r.flood.accepted} × 202, ${r.flood.throttled} × 429; unsigned ${config.unsignedMb} MB bodies (${config.unsigned}): ${Object.entries(r.unsigned).map(([k, v]) => `${v} × ${k}`).join(", ")}`);
  if (r.created.stoppedEarly) console.log(`  round ${n}: functions stopped early, ${r.created.stoppedEarly}`);
}
console.log(`  slow connections: ${slow.state.reopened} reopened after the emulator closed them`);

console.log("  emulator process          RSS MB   peak RSS MB   fds   processes under it (their RSS MB, summed)   machine MB available");
const row = (label, s) =>
  console.log(`  ${label.padEnd(24)} ${s.rss.toFixed(1).padStart(7)}  ${s.hwm.toFixed(1).padStart(12)}  ${String(s.fds).padStart(4)}   ${String(s.processes).padStart(5)} ${`(${s.sandboxRss.toFixed(0)})`.padEnd(36)} ${s.available.toFixed(0)}`);
row("at start", atStart);
row("after round 1", first.sample);
row("after round 2", second.sample);
row("at the end", atEnd);
// The highest of each figure (the lowest available memory) of the samples taken every second.
const most = (key) => Math.max(...watcher.samples.map((s) => s[key]));
row("worst during the run", { rss: most("rss"), hwm: atEnd.hwm, fds: most("fds"), processes: most("processes"), sandboxRss: most("sandboxRss"), available: Math.min(...watcher.samples.map((s) => s.available)) });
const growth = (key) => second.sample[key] / first.sample[key] - 1;
const flat = growth("rss") <= config.tolerance && growth("fds") <= config.tolerance;
console.log(
  `  round 2 vs round 1: RSS ${(growth("rss") * 100).toFixed(0)}%, fds ${(growth("fds") * 100).toFixed(0)}% → ${flat ? "flat" : "NOT flat"} (within +${config.tolerance * 100}%)`,
);

console.log(`  stop: ${stopped === null ? `did NOT exit within ${STOP_TIMEOUT_MS / 1000} s of SIGINT (killed)` : `exited (${stopped})`}; Runtime API seen: ${watcher.runtimeApis().join(", ") || "none"}`);
const describeLeft = (p) => `pid ${p.pid} ${p.state === "Z" ? "zombie" : `state ${p.state}`} ppid ${p.ppid} (${p.why}) ${p.cmdline || p.comm}`;
console.log(`  processes of the emulator left when it exited: ${leftAtExit.length}; 5 s later: ${leftAfter5s.length}`);
for (const p of leftAtExit.slice(0, 10)) console.log(`      ${describeLeft(p)}`);
if (leftAtExit.length > 10) console.log(`      … and ${leftAtExit.length - 10} more`);

// This benchmark started them: end what it left (by pid and start time), so the machine is as before.
const table = processTable();
let killed = 0;
for (const p of leftAfter5s) {
  if (table.get(p.pid)?.start !== p.start || p.state === "Z") continue;
  try {
    process.kill(p.pid, "SIGKILL");
    killed++;
  } catch {}
}
if (killed) console.log(`  (killed the ${killed} left over)`);
rmSync(scratch, { recursive: true, force: true });

const signedErrors = [first, second].reduce((sum, r) => sum + r.tally.signed.errors + r.tally.functions.errors + r.tally.events.errors, 0);
const failures = [
  signedErrors > 0 && `${signedErrors} signed calls failed`,
  !flat && "RSS or fds grew past 20% from round 1 to round 2",
  stopped === null && "the emulator did not stop on SIGINT",
  leftAtExit.length > 0 && `${leftAtExit.length} processes of the emulator left after it stopped`,
  (first.created.stoppedEarly || second.created.stoppedEarly) && "stopped creating functions to keep the machine's memory",
].filter(Boolean);
console.log(failures.length ? `soak: FAIL — ${failures.join("; ")}` : "soak: PASS");
process.exitCode = failures.length ? 1 : 0;
