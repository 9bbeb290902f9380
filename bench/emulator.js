// Emulator benchmarks through the real @aws-sdk/client-lambda. The emulator runs as `pipes emulator` in its
// own process, beside a bare loopback HTTP stub in its own process that answers the same Invoke at once (the
// floor of the SDK path); the client is this process for both. Prints figures; asserts nothing.
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { latency, pct, sideBySide } from "./measure.js";
import { sdk, server } from "./server.js";

const WARM_CALLS = Number(process.env.BENCH_WARM ?? 2000);
const THROUGHPUT_CALLS = Number(process.env.BENCH_THROUGHPUT ?? 1000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const COLD_STARTS = Number(process.env.BENCH_COLD ?? 15);

/** A fresh emulator process per cold start: the first call of a function starts its worker. */
async function coldStart(name) {
  const totals = [];
  const inits = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    const emulator = await server(["bin/pipes.js", "emulator", "-f", "fixtures/noop/defs.ts", "--port", "0"]);
    const client = sdk(emulator.url);
    const t = performance.now();
    const r = await client.send(new InvokeCommand({ FunctionName: name, LogType: "Tail" }));
    totals.push(performance.now() - t);
    inits.push(Number(/Init Duration: ([\d.]+) ms/.exec(Buffer.from(r.LogResult, "base64").toString())?.[1]));
    client.destroy();
    emulator.stop();
  }
  return { total: pct(totals, 50), init: pct(inits, 50) };
}

const stub = await server(["bench/stub-server.js"]);
const emulator = await server(["bin/pipes.js", "emulator", "-f", "fixtures/noop/defs.ts", "--port", "0"]);
const stubClient = sdk(stub.url);
const client = sdk(emulator.url);

const stubLatency = await latency(stubClient, "noop", WARM_CALLS);
const emuLatency = await latency(client, "noop", WARM_CALLS);
const rounds = await sideBySide(
  [
    { client: stubClient, name: "noop" },
    { client, name: "noop" },
  ],
  THROUGHPUT_CALLS,
  ROUNDS,
);
client.destroy();
stubClient.destroy();
emulator.stop();
stub.stop();
const coldNode = await coldStart("noop");
const coldPython = await coldStart("noop_py");

const ms = (x) => `${x.toFixed(2)} ms`;
console.log(`emulator, warm no-op Node handler through @aws-sdk/client-lambda (${WARM_CALLS} sequential calls)`);
console.log(`  stub (floor)   p50 ${ms(stubLatency.p50)}  p99 ${ms(stubLatency.p99)}`);
console.log(`  emulator       p50 ${ms(emuLatency.p50)}  p99 ${ms(emuLatency.p99)}  (p50 ${(emuLatency.p50 / stubLatency.p50).toFixed(2)}× the stub; target ≤ 2×)`);
console.log(`throughput at concurrency 8 (medians of ${ROUNDS} rounds of ${THROUGHPUT_CALLS} calls, stub and emulator taking turns)`);
console.log(`  stub (floor)   ${rounds.rate(0).toFixed(0)} invocations/s`);
console.log(`  emulator       ${rounds.rate(1).toFixed(0)} invocations/s  (${(rounds.ratio(1, 0) * 100).toFixed(0)}% of the stub; target ≥ 80%)`);
console.log(`cold start, median of ${COLD_STARTS} (first call through the SDK / Init Duration)`);
console.log(`  node worker    ${ms(coldNode.total)} / ${ms(coldNode.init)}`);
console.log(`  python worker  ${ms(coldPython.total)} / ${ms(coldPython.init)}`);
