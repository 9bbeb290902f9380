// How the emulator benchmarks measure an endpoint through the SDK: sequential latency and throughput at a
// concurrency, each after a warm-up (workers, sockets, JIT).
import { InvokeCommand } from "@aws-sdk/client-lambda";

export const call = (client, name) => client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
export const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

export async function latency(client, name, calls) {
  for (let i = 0; i < 200; i++) await call(client, name);
  const samples = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await call(client, name);
    samples.push(performance.now() - t);
  }
  return { p50: pct(samples, 50), p99: pct(samples, 99) };
}

export async function throughput(client, name, calls, concurrency = 8) {
  for (let round = 0; round < 20; round++) await Promise.all(Array.from({ length: concurrency }, () => call(client, name)));
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < calls) await call(client, name);
    }),
  );
  return calls / ((performance.now() - t) / 1000);
}

export const median = (xs) => pct(xs, 50);

/**
 * The ratio of two sides measured in rounds that take turns, the order reversed every other round: each pair of
 * rounds (one in each order) gives the geometric mean of its two ratios, so what going first or second does
 * cancels out, and the median over the pairs leaves out a pair a slow spell of the machine spoiled.
 */
export function pairedRatio(a, b) {
  const pairs = [];
  for (let round = 0; round + 1 < a.length; round += 2) pairs.push(Math.sqrt((a[round] / b[round]) * (a[round + 1] / b[round + 1])));
  return median(pairs);
}

/**
 * Throughput of several endpoints measured side by side: `rounds` rounds of `calls` each, the endpoints taking
 * turns in every round (in reverse order every other round), so a slow spell of a shared machine falls on all of
 * them alike. Each endpoint gets its median rate, and `ratio(i, j)` is pairedRatio of their rates.
 */
export async function sideBySide(endpoints, calls, rounds = 10, concurrency = 8) {
  const rates = endpoints.map(() => []);
  for (let round = 0; round < rounds; round++) {
    const order = [...endpoints.entries()];
    if (round % 2 === 1) order.reverse();
    for (const [i, e] of order) rates[i].push(await throughput(e.client, e.name, calls, concurrency));
  }
  return {
    rate: (i) => median(rates[i]),
    ratio: (i, j) => pairedRatio(rates[i], rates[j]),
  };
}
