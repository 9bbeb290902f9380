// A bare SDK loop as its own process, the floor a `pipes materialize` backfill is measured against: COUNT Invoke
// calls of the no-op function at CONCURRENCY in flight, each with LogType Tail and an event the size of a pipes
// context. Prints {"loopSeconds": …} when done. Usage: node bench/bare-loop.js URL COUNT CONCURRENCY
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { sdk } from "./server.js";

const [url, count, concurrency] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const client = sdk(url);
const payload = Buffer.from(JSON.stringify({ __dagster_pipes: { context: "x".repeat(600), messages: "y".repeat(80) } }));
const call = () => client.send(new InvokeCommand({ FunctionName: "noop", Payload: payload, LogType: "Tail" }));
let next = 0;
const t = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next++ < count) await call();
  }),
);
console.log(JSON.stringify({ loopSeconds: (performance.now() - t) / 1000 }));
client.destroy();
