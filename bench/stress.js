// Stress, loopback only: `pipes emulator` serving Node.js and Python no-op functions at concurrency 8 for a
// while (STRESS_SECONDS, default 60) while 200 slow clients hold connections open (100 that never finish their
// headers, 100 that never send the body they announced; each is reopened when the emulator closes it). Samples
// the emulator's resident memory and open file descriptors every 5 s: both must stay flat. Prints figures.
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { sdk, server } from "./server.js";

const SECONDS = Number(process.env.STRESS_SECONDS ?? 60);
const CONCURRENCY = 8;
const SLOW = 200;

// A 2 MB log retention per function fills within seconds, so what the samples show is what is not bounded.
const emulator = await server(["bin/pipes.js", "emulator", "-f", "fixtures/noop/defs.ts", "--port", "0", "--log-retention-mb", "2"]);
const { hostname, port } = new URL(emulator.url);
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${emulator.pid}/status`, "utf8"))[1]) / 1024;
const fds = () => readdirSync(`/proc/${emulator.pid}/fd`).length;

let stopping = false;
let slowOpen = 0;
let slowReopened = 0;
function slowClient(i) {
  const socket = net.connect({ host: hostname, port: Number(port) });
  slowOpen++;
  socket.on("connect", () => {
    const head = `POST /2015-03-31/functions/noop/invocations HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`;
    // Half stop inside their headers; half send signed-looking complete headers and then too little body.
    if (i % 2 === 0) socket.write(head);
    else socket.write(`${head}Authorization: AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: 1000\r\n\r\n{`);
  });
  socket.on("error", () => undefined);
  socket.on("close", () => {
    slowOpen--;
    if (stopping) return;
    slowReopened++;
    slowClient(i);
  });
  return socket;
}
const slow = Array.from({ length: SLOW }, (_, i) => slowClient(i));

const client = sdk(emulator.url);
let calls = 0;
let errors = 0;
const firstErrors = [];
const deadline = Date.now() + SECONDS * 1000;
const samples = [];
const sample = () => samples.push({ at: Math.round((Date.now() - (deadline - SECONDS * 1000)) / 1000), calls, errors, rss: rssMb(), fds: fds(), slowOpen });
const sampler = setInterval(sample, 5000);
await Promise.all(
  Array.from({ length: CONCURRENCY }, async (_, lane) => {
    const name = lane % 2 === 0 ? "noop" : "noop_py";
    while (Date.now() < deadline) {
      try {
        const r = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
        if (r.FunctionError) throw new Error(`${name}: ${Buffer.from(r.Payload).toString()}`);
        calls++;
      } catch (error) {
        errors++;
        if (firstErrors.length < 3) firstErrors.push(String(error));
      }
    }
  }),
);
sample();
clearInterval(sampler);
stopping = true;
for (const socket of slow) socket.destroy();
client.destroy();
emulator.stop();

console.log(`stress: ${SECONDS} s at concurrency ${CONCURRENCY} (Node.js and Python no-ops), ${SLOW} slow connections held open`);
console.log("   t s   invocations  errors   RSS MB   fds   slow open");
for (const s of samples) {
  console.log(`  ${String(s.at).padStart(4)}  ${String(s.calls).padStart(11)}  ${String(s.errors).padStart(6)}  ${s.rss.toFixed(1).padStart(7)}  ${String(s.fds).padStart(4)}  ${String(s.slowOpen).padStart(10)}`);
}
const steady = samples.slice(1); // after the first 5 s: workers started, sockets pooled
const spread = (key) => Math.max(...steady.map((s) => s[key])) - Math.min(...steady.map((s) => s[key]));
console.log(`  ${(calls / SECONDS).toFixed(0)} invocations/s, ${errors} errors; slow connections reopened ${slowReopened} times (the 10 s body timeout)`);
console.log(`  after the first 5 s: RSS within ${spread("rss").toFixed(1)} MB, file descriptors within ${spread("fds")}`);
if (firstErrors.length) console.log(`  first errors: ${firstErrors.join(" | ")}`);
