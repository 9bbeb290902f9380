// `npm run bench:soak`: one long run of `pipes emulator` (a real child process, checking signatures with its own
// --credentials profile) under everything at once, read from the OS, with a verdict in the exit code.
//   1. the first minute (SOAK_SECONDS): signed invokes at concurrency 8 over a Node.js and a Python function, while
//      200 slow connections trickle their headers a byte a second or sit idle (reopened when closed);
//   2. then, with the signed invokes and slow connections still going: 20 unsigned POSTs (bogus Authorization) of
//      50 MB bodies at once, 1,000 functions created and invoked once each, 2,000 Event invocations of 256 KB to one;
//   3. a short settle (SOAK_SETTLE_SECONDS), then SIGINT, and a look for any process of the emulator left behind.
// The emulator's RSS (VmRSS, peak VmHWM) and open fds are sampled every second and printed at start, after the
// first minute and at the end. Exit 0 only when: no signed call failed, RSS and fds at the end are within 20% of
// the after-the-first-minute figures, the emulator stopped by itself, and nothing of it was left (zombies too).
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

// 1. The first minute.
const invoker = sdk(emulator.url, credentials);
const firstMinute = new Tally();
const later = new Tally();
const slow = slowConnections(emulator.url, config.slow);
const phaseOneEnds = Date.now() + config.seconds * 1000;
let phaseTwoDone = false;
await signedInvokes(invoker, ["noop", "noop_py"], config.concurrency, () => Date.now() >= phaseOneEnds, firstMinute);
const afterFirstMinute = sampleOrDie();
log(`first minute done: ${firstMinute.calls} signed invokes, ${firstMinute.errors} errors; slow connections open ${slow.state.open}, reopened ${slow.state.reopened}`);

// 2. Everything else at once, the signed invokes still going.
const phaseTwoLoad = signedInvokes(invoker, ["noop", "noop_py"], config.concurrency, () => phaseTwoDone, later);
const admin = sdk(emulator.url, credentials);
const functionCalls = new Tally();
const eventCalls = new Tally();
/** Logs what a load ended with, as soon as it ends, and passes it on. */
const tell = (message) => (result) => {
  log(message(result));
  return result;
};
const [unsigned, created, events] = await Promise.all([
  unsignedBodies(emulator.url, config.unsigned, config.unsignedMb, UNSIGNED_TIMEOUT_MS).then(tell((r) => `unsigned bodies answered: ${JSON.stringify(r)}`)),
  manyFunctions(admin, config.functions, 4, config.minAvailableMb, functionCalls, config.runtime).then(
    tell(() => `functions created and invoked: ${functionCalls.calls}, ${functionCalls.errors} errors`),
  ),
  createEventTarget(admin, "soak-events", config.runtime)
    .then(() => eventFlood(admin, "soak-events", config.events, config.eventKb, config.concurrency, eventCalls))
    .catch((error) => {
      eventCalls.fail(`creating soak-events: ${error}`);
      return { accepted: 0, throttled: 0 };
    })
    .then(tell((r) => `Event invocations: ${r.accepted} × 202, ${r.throttled} × 429, ${eventCalls.errors} errors`)),
]);
phaseTwoDone = true;
await phaseTwoLoad;
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
console.log(`soak: ${config.seconds} s of signed invokes at concurrency ${config.concurrency} (noop Node.js + noop_py Python) with ${config.slow} slow connections, then the rest at once`);
const line = (label, t) => {
  const p = (q) => (t.latencies.length ? `${pct(t.latencies, q).toFixed(1)} ms` : "-");
  console.log(`  ${label.padEnd(34)} ${String(t.calls).padStart(7)} ok  ${String(t.errors).padStart(4)} errors  p50 ${p(50)}  p99 ${p(99)}`);
  for (const e of t.firstErrors) console.log(`      e.g. ${e}`);
};
line("signed invokes, first minute", firstMinute);
line("signed invokes, during the rest", later);
line(`functions created + invoked (of ${config.functions})`, functionCalls);
line(`Event invocations (of ${config.events})`, eventCalls);
console.log(`  Event answers: ${events.accepted} × 202, ${events.throttled} × 429`);
console.log(`  unsigned ${config.unsignedMb} MB bodies (${config.unsigned}): ${Object.entries(unsigned).map(([k, v]) => `${v} × ${k}`).join(", ")}`);
console.log(`  slow connections: ${slow.state.reopened} reopened after the emulator closed them`);
if (created.stoppedEarly) console.log(`  functions: stopped early, ${created.stoppedEarly}`);

console.log("  emulator process          RSS MB   peak RSS MB   fds   processes under it (their RSS MB, summed)   machine MB available");
const row = (label, s) =>
  console.log(`  ${label.padEnd(24)} ${s.rss.toFixed(1).padStart(7)}  ${s.hwm.toFixed(1).padStart(12)}  ${String(s.fds).padStart(4)}   ${String(s.processes).padStart(5)} ${`(${s.sandboxRss.toFixed(0)})`.padEnd(36)} ${s.available.toFixed(0)}`);
row("at start", atStart);
row("after the first minute", afterFirstMinute);
row("at the end", atEnd);
// The highest of each figure (the lowest available memory) of the samples taken every second.
const most = (key) => Math.max(...watcher.samples.map((s) => s[key]));
row("worst during the run", { rss: most("rss"), hwm: atEnd.hwm, fds: most("fds"), processes: most("processes"), sandboxRss: most("sandboxRss"), available: Math.min(...watcher.samples.map((s) => s.available)) });
const growth = (key) => atEnd[key] / afterFirstMinute[key] - 1;
const flat = growth("rss") <= config.tolerance && growth("fds") <= config.tolerance;
console.log(
  `  end vs after the first minute: RSS ${(growth("rss") * 100).toFixed(0)}%, fds ${(growth("fds") * 100).toFixed(0)}% → ${flat ? "flat" : "NOT flat"} (within +${config.tolerance * 100}%)`,
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

const signedErrors = firstMinute.errors + later.errors + functionCalls.errors + eventCalls.errors;
const failures = [
  signedErrors > 0 && `${signedErrors} signed calls failed`,
  !flat && "RSS or fds grew past 20% after the first minute",
  stopped === null && "the emulator did not stop on SIGINT",
  leftAtExit.length > 0 && `${leftAtExit.length} processes of the emulator left after it stopped`,
  created.stoppedEarly && "stopped creating functions to keep the machine's memory",
].filter(Boolean);
console.log(failures.length ? `soak: FAIL — ${failures.join("; ")}` : "soak: PASS");
process.exitCode = failures.length ? 1 : 0;
