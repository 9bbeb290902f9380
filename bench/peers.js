// `npm run bench:peers` (opt-in: it installs from the npm registry): the emulator side by side with
// serverless-offline, the most used local Lambda endpoint, and the bare stub, through the same SDK client, in one
// run. serverless@3 and serverless-offline@13 are installed once into a scratch folder (PIPES_PEERS_DIR, default
// in the system's temp folder) with their telemetry off; a no-op nodejs20.x function is served on its lambda port.
// Prints figures; asserts nothing.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latency, sideBySide } from "./measure.js";
import { sdk, server } from "./server.js";

const CALLS = Number(process.env.BENCH_PEERS_CALLS ?? 2000);
const START_TIMEOUT_MS = 90_000;
const dir = process.env.PIPES_PEERS_DIR ?? join(tmpdir(), "pipes-bench-peers");
const quiet = { SLS_TELEMETRY_DISABLED: "1", SLS_NOTIFICATIONS_MODE: "off", SLS_DEPRECATION_DISABLE: "*" };

function install() {
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, "package.json"))) writeFileSync(join(dir, "package.json"), '{ "name": "pipes-bench-peers", "private": true }\n');
  if (existsSync(join(dir, "node_modules", "serverless-offline"))) return;
  console.log(`installing serverless@3 serverless-offline@13 into ${dir} ...`);
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, ["install", "--no-audit", "--no-fund", "serverless@3", "serverless-offline@13"], { cwd: dir, stdio: "inherit", env: { ...process.env, ...quiet } });
  if (result.status !== 0) throw new Error(`npm install in ${dir} failed (exit ${result.status})`);
}

/** A port free right now on loopback (serverless-offline takes fixed ports, not 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Starts `serverless offline start` in its own process group (it starts children), resolved once it listens. */
async function serverlessOffline() {
  writeFileSync(
    join(dir, "serverless.yml"),
    [
      "service: pipes-bench-peer",
      'frameworkVersion: "3"',
      "provider: { name: aws, runtime: nodejs20.x, region: us-east-1 }",
      "plugins: [serverless-offline]",
      "custom: { serverless-offline: { noPrependStageInUrl: true, reloadHandler: false } }",
      "functions: { noop: { handler: handler.noop } }",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "handler.js"), "exports.noop = async () => null;\n");
  const [lambdaPort, httpPort, websocketPort] = [await freePort(), await freePort(), await freePort()];
  const args = ["node_modules/serverless/bin/serverless.js", "offline", "start", "--lambdaPort", lambdaPort, "--httpPort", httpPort, "--websocketPort", websocketPort];
  const child = spawn(process.execPath, args.map(String), { cwd: dir, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...quiet } });
  let output = "";
  const stop = () => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {} // already gone
  };
  process.on("exit", stop);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serverless offline did not start within ${START_TIMEOUT_MS / 1000} s:\n${output}`)), START_TIMEOUT_MS);
    const read = (chunk) => {
      output += chunk;
      if (output.includes(`listening on http://localhost:${lambdaPort}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.on("exit", (code) => reject(new Error(`serverless offline exited ${code}:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${lambdaPort}`, name: "pipes-bench-peer-dev-noop", stop };
}

install();
const peer = await serverlessOffline();
const stub = await server(["bench/stub-server.js"]);
const emulator = await server(["bin/pipes.js", "emulator", "-f", "fixtures/noop/defs.ts", "--port", "0"]);
const endpoints = [
  { label: "stub (floor)", client: sdk(stub.url), name: "noop" },
  { label: "pipes emulator", client: sdk(emulator.url), name: "noop" },
  { label: "serverless-offline", client: sdk(peer.url), name: peer.name },
];
for (const e of endpoints) e.latency = await latency(e.client, e.name, CALLS);
const ROUNDS = 10;
const rounds = await sideBySide(endpoints, CALLS / 2, ROUNDS);
for (const [i, e] of endpoints.entries()) {
  e.rate = rounds.rate(i);
  e.ofStub = rounds.ratio(i, 0);
}
for (const e of endpoints) e.client.destroy();
emulator.stop();
stub.stop();
peer.stop();

const [, ours, theirs] = endpoints;
console.log(`side by side, a warm no-op nodejs20.x function through @aws-sdk/client-lambda (${CALLS} sequential calls; medians of ${ROUNDS} rounds of ${CALLS / 2} at concurrency 8, the endpoints taking turns)`);
for (const e of endpoints) {
  console.log(`  ${e.label.padEnd(20)} p50 ${e.latency.p50.toFixed(2)} ms  p99 ${e.latency.p99.toFixed(2)} ms  ${e.rate.toFixed(0).padStart(5)} invocations/s (${(e.ofStub * 100).toFixed(0)}% of the stub)`);
}
console.log(`  emulator / serverless-offline: ${rounds.ratio(1, 2).toFixed(2)}× the throughput (target ≥ 1.5×), p50 ${(ours.latency.p50 / theirs.latency.p50).toFixed(2)}× (lower is better)`);
