// `npm run bench:peers` (opt-in: it installs from the npm registry): the emulator side by side with
// serverless-offline, the most used local Lambda endpoint, and the bare stub, through the same SDK client, in one
// run. serverless@3 and serverless-offline@13 are installed once into a scratch folder (PIPES_PEERS_DIR, default
// in the system's temp folder) with their telemetry off; a no-op nodejs20.x function and a no-op python3.11 one
// are served on its lambda port (fixtures/noop/peers.ts: the same functions on the emulator). Latency and
// throughput are both taken in rounds where the endpoints take turns; each ratio is the median of per-pair ratios,
// with their range. Prints figures; asserts nothing.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { latencySideBySide, ratioText, resets, sideBySide } from "./measure.js";
import { root, sdk, server } from "./server.js";

const CALLS = Number(process.env.BENCH_PEERS_CALLS ?? 2000);
const ROUNDS = Number(process.env.BENCH_PEERS_ROUNDS ?? 10);
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
      "functions: { noop: { handler: handler.noop }, noop_py: { handler: noop_py.peer, runtime: python3.11 } }",
      "",
    ].join("\n"),
  );
  writeFileSync(join(dir, "handler.js"), "exports.noop = async () => null;\n");
  copyFileSync(join(root, "fixtures/noop/noop_py.py"), join(dir, "noop_py.py"));
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
  return { url: `http://127.0.0.1:${lambdaPort}`, names: { node: "pipes-bench-peer-dev-noop", python: "pipes-bench-peer-dev-noop_py" }, stop };
}

install();
const peer = await serverlessOffline();
const stub = await server(["bench/stub-server.js"]);
const emulator = await server(["bin/pipes.js", "emulator", "-f", "fixtures/noop/peers.ts", "--port", "0"]);
const clients = { stub: sdk(stub.url), emulator: sdk(emulator.url), peer: sdk(peer.url) };
const runtimes = [
  { label: "nodejs20.x (emulator: nodejs24.x)", emulator: "noop", peer: peer.names.node },
  { label: "python3.11", emulator: "noop_py", peer: peer.names.python },
];
const results = [];
for (const runtime of runtimes) {
  const endpoints = [
    { label: "stub (floor)", client: clients.stub, name: "noop" },
    { label: "pipes emulator", client: clients.emulator, name: runtime.emulator },
    { label: "serverless-offline", client: clients.peer, name: runtime.peer },
  ];
  const latency = await latencySideBySide(endpoints, CALLS / ROUNDS, ROUNDS);
  const rate = await sideBySide(endpoints, CALLS / 2, ROUNDS);
  results.push({ runtime, endpoints, latency, rate });
}
for (const client of Object.values(clients)) client.destroy();
emulator.stop();
stub.stop();
peer.stop();

console.log(`side by side, a warm no-op function through @aws-sdk/client-lambda: p50 of ${CALLS / ROUNDS} sequential calls and throughput of ${CALLS / 2} calls at concurrency 8, in ${ROUNDS} rounds each, the endpoints taking turns (medians; ratios: median of per-pair ratios [range])`);
for (const { runtime, endpoints, latency, rate } of results) {
  console.log(runtime.label);
  for (const [i, e] of endpoints.entries()) {
    console.log(`  ${e.label.padEnd(20)} p50 ${latency.p50(i).toFixed(2)} ms  ${rate.rate(i).toFixed(0).padStart(5)} invocations/s (${(rate.ratio(i, 0) * 100).toFixed(0)}% of the stub)`);
  }
  console.log(`  emulator / serverless-offline: throughput ${ratioText(rate.pairs(1, 2))} (target ≥ 1.5×), p50 ${ratioText(latency.pairs(1, 2))} (target ≤ 0.6×)`);
}
if (resets.count > 0) console.log(`(${resets.count} calls met a server-closed keep-alive socket and were sent again)`);
