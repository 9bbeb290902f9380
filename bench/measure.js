// How the emulator benchmarks measure an endpoint through the SDK: sequential latency and throughput at a
// concurrency, each after a warm-up (workers, sockets, JIT).
import { InvokeCommand } from "@aws-sdk/client-lambda";

/** Calls that met a keep-alive socket the server closed as it was reused (the server's idle timeout, while the
 * other endpoints of a round ran): each is sent once more, as the SDK's retry would (the clients retry nothing). */
export const resets = { count: 0 };

export async function call(client, name) {
  try {
    return await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
  } catch (error) {
    if (error?.code !== "ECONNRESET") throw error;
    resets.count++;
    return client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
  }
}
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

/** The per-pair ratios of two sides measured in rounds that take turns (see pairedRatio). */
export function pairRatios(a, b) {
  const pairs = [];
  for (let round = 0; round + 1 < a.length; round += 2) pairs.push(Math.sqrt((a[round] / b[round]) * (a[round + 1] / b[round + 1])));
  return pairs;
}

/** `1.52× [1.40–1.61]`: the median of the pairs' ratios and their range. */
export function ratioText(pairs) {
  return `${median(pairs).toFixed(2)}× [${Math.min(...pairs).toFixed(2)}–${Math.max(...pairs).toFixed(2)}]`;
}

/**
 * The ratio of two sides measured in rounds that take turns, the order reversed every other round: each pair of
 * rounds (one in each order) gives the geometric mean of its two ratios, so what going first or second does
 * cancels out, and the median over the pairs leaves out a pair a slow spell of the machine spoiled.
 */
export function pairedRatio(a, b) {
  return median(pairRatios(a, b));
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
    pairs: (i, j) => pairRatios(rates[i], rates[j]),
  };
}

/**
 * Sequential latency of several endpoints side by side, as sideBySide takes throughput: `rounds` rounds of
 * `calls` sequential calls, the endpoints taking turns (reversed every other round). Each endpoint gets the median
 * of its rounds' p50s, and `pairs(i, j)` the per-pair ratios of their p50s.
 */
export async function latencySideBySide(endpoints, calls, rounds = 10) {
  const p50s = endpoints.map(() => []);
  for (const e of endpoints) for (let i = 0; i < 200; i++) await call(e.client, e.name);
  for (let round = 0; round < rounds; round++) {
    const order = [...endpoints.entries()];
    if (round % 2 === 1) order.reverse();
    for (const [i, e] of order) {
      const samples = [];
      for (let n = 0; n < calls; n++) {
        const t = performance.now();
        await call(e.client, e.name);
        samples.push(performance.now() - t);
      }
      p50s[i].push(pct(samples, 50));
    }
  }
  return {
    p50: (i) => median(p50s[i]),
    pairs: (i, j) => pairRatios(p50s[i], p50s[j]),
  };
}
