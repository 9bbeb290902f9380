// The CloudWatch Logs channel on the emulator, measured in one process through the real SDK clients:
// the extra cost of an invocation whose 4 KB tail was cut (its log read through the Logs API), the latency
// from a handler's log line to its event (live), and what the live machinery costs no-op throughput at
// concurrency 8. Prints figures; asserts nothing.
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { loadDefinitions } from "../dist/defs/load.js";
import { invokeWithPipes, pipesEvent } from "../dist/lambda/invoke.js";
import { EMULATOR_PACING, LogsChannel } from "../dist/lambda/logs-channel.js";
import { buildContext } from "../dist/protocol/context.js";
import { openTarget } from "../dist/target/index.js";
import { silenceSdkNodeVersionWarning } from "../dist/util/quiet-warnings.js";
import { median, pairedRatio, pct } from "./measure.js";
import { server } from "./server.js";

silenceSdkNodeVersionWarning();
const CALLS = Number(process.env.BENCH_LOGS_CALLS ?? 200);
const THROUGHPUT_CALLS = Number(process.env.BENCH_THROUGHPUT ?? 6000);
const ms = (x) => `${x.toFixed(2)} ms`;

const defs = await loadDefinitions({ file: "fixtures/logs/defs.ts", cwd: process.cwd(), env: {} });
const target = await openTarget(defs);
const context = buildContext({ runId: "bench", assetKeys: ["sized"] });
const pipes = (t, event, emit = () => {}) => invokeWithPipes(t, { asset: "sized", functionName: "sized", event, context }, emit);
const raw = (event) =>
  target.client.send(new InvokeCommand({ FunctionName: "sized", LogType: "Tail", Payload: Buffer.from(JSON.stringify(pipesEvent(event, context))) }));

async function timed(fn, n) {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    samples.push(performance.now() - t);
  }
  return pct(samples, 50);
}

// 1. A cut tail: the same invocation through the bare SDK call, and through pipes (which then reads the log).
const small = { bytes: 2000 };
const big = { bytes: 6000 };
const rawSmall = await timed(() => raw(small), CALLS);
const pipesSmall = await timed(() => pipes(target, small), CALLS);
const rawBig = await timed(() => raw(big), CALLS);
const pipesBig = await timed(() => pipes(target, big), CALLS);

// 2. Live latency: each message carries the time it was written; the event's arrival is compared with it.
// The bare calls above are nobody's to claim: let them leave the window in which a START line is matched.
await new Promise((resolve) => setTimeout(resolve, 2500));
const latencies = [];
for (let round = 0; round < 5; round++) {
  const start = Date.now();
  await pipes(target, { stamps: 8, gapMs: 200 }, (event) => {
    const written = event.type === "log" ? Number(/^stamp (\d+)$/.exec(event.message)?.[1]) : NaN;
    // Lines written before live following begins wait for it by design; count the steady state.
    if (written > start + EMULATOR_PACING.liveAfterMs + 100) latencies.push(Date.now() - written);
  });
}

// 3. No-op throughput at concurrency 8, with and without the live machinery, in alternating rounds. The emulator
// runs in its own process here (`pipes emulator`), so this process does only what the client side does.
const external = await server(["bin/pipes.js", "emulator", "-f", "fixtures/logs/defs.ts", "--port", "0"]);
// The profile's endpoints come from the environment the definitions file is loaded in.
process.env.PIPES_EMULATOR_URL = external.url;
process.env.PIPES_LOGS_URL = external.url;
const externalDefs = await loadDefinitions({ file: "fixtures/logs/defs.ts", profile: "logs_elsewhere", cwd: process.cwd(), env: {} });
const live = await openTarget(externalDefs);
const notLive = { ...live, logs: new LogsChannel({ endpoint: external.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } }, { ...EMULATOR_PACING, liveAfterMs: null }) };
async function rate(t, calls) {
  let next = 0;
  const began = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next++ < calls) await pipes(t, {});
  }));
  return calls / ((performance.now() - began) / 1000);
}
await rate(live, 200);
await rate(notLive, 200);
const withLive = [];
const without = [];
// Alternating rounds, each side first in every other one, so both see the same noise of a busy 2-core machine
// (the loss comes from pairedRatio, bench/measure.js).
const ROUNDS = 10;
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? [[live, withLive], [notLive, without]] : [[notLive, without], [live, withLive]];
  for (const [t, rates] of order) rates.push(await rate(t, THROUGHPUT_CALLS / ROUNDS));
}
notLive.logs.destroy();
await live.close();
external.stop();
await target.close();

console.log(`logs channel on the emulator (p50 of ${CALLS} sequential calls each)`);
console.log(`  2 KB of messages (tail whole)   SDK Invoke ${ms(rawSmall)}   pipes ${ms(pipesSmall)}   (+${ms(pipesSmall - rawSmall)} decoding)`);
console.log(`  6 KB of messages (tail cut)     SDK Invoke ${ms(rawBig)}   pipes ${ms(pipesBig)}   (+${ms(pipesBig - rawBig)}: the Logs API read and decoding)`);
console.log(`live: handler log line → its event, ${latencies.length} lines: p50 ${ms(pct(latencies, 50))}, max ${ms(Math.max(...latencies))} (target ≤ 150 ms)`);
const loss = (1 - pairedRatio(withLive, without)) * 100;
console.log(`no-op throughput at concurrency 8: ${median(withLive).toFixed(0)}/s with live following, ${median(without).toFixed(0)}/s without (${loss.toFixed(1)}% lost, over ${ROUNDS} rounds taking turns; target ≤ 5%)`);
