// The loads of the soak benchmark, each against a running `pipes emulator`: signed invokes in lanes, slow
// connections, unsigned oversized bodies, many functions created and invoked once, and a flood of Event calls.
import { CreateFunctionCommand, InvokeCommand } from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import http from "node:http";
import net from "node:net";
import { availableMb } from "./watch.js";

const ROLE = "arn:aws:iam::123456789012:role/soak";
const statusOf = (error) => error?.$metadata?.httpStatusCode ?? null;
const describe = (error) => `${error?.name ?? "Error"} ${statusOf(error) ?? ""}: ${String(error?.message ?? error).slice(0, 200)}`;

/** Counts of one kind of call, with its first few errors kept to print. */
export class Tally {
  calls = 0;
  errors = 0;
  firstErrors = [];
  latencies = [];
  fail(what) {
    this.errors++;
    if (this.firstErrors.length < 3) this.firstErrors.push(what);
  }
}

/**
 * Signed RequestResponse invokes in `concurrency` lanes spread over `names` until `until()` says stop. An error is
 * a rejected call or a FunctionError; latency is kept per call.
 */
export async function signedInvokes(client, names, concurrency, until, tally) {
  await Promise.all(
    Array.from({ length: concurrency }, async (_, lane) => {
      const name = names[lane % names.length];
      while (!until()) {
        const t = performance.now();
        try {
          const r = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from("{}") }));
          if (r.FunctionError) throw new Error(`${name} FunctionError: ${Buffer.from(r.Payload ?? []).toString().slice(0, 200)}`);
          tally.calls++;
        } catch (error) {
          tally.fail(`${name}: ${describe(error)}`);
        }
        tally.latencies.push(performance.now() - t);
      }
    }),
  );
}

/**
 * `count` slow connections held open until close(): half trickle an endless request header one byte a second,
 * half connect and send nothing. One the emulator closes is reopened (and counted), as a patient attacker would.
 */
export function slowConnections(url, count) {
  const { hostname, port } = new URL(url);
  const state = { open: 0, reopened: 0, stopping: false, sockets: new Set() };
  const connect = (i) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    state.sockets.add(socket);
    state.open++;
    let trickle = null;
    socket.on("connect", () => {
      if (i % 2 === 1) return; // idle
      const head = `POST /2015-03-31/functions/noop/invocations HTTP/1.1\r\nHost: ${hostname}:${port}\r\nX-Slow: `;
      let sent = 0;
      trickle = setInterval(() => socket.write(sent < head.length ? head[sent++] : "a"), 1000);
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(trickle);
      state.sockets.delete(socket);
      state.open--;
      if (state.stopping) return;
      state.reopened++;
      connect(i);
    });
  };
  for (let i = 0; i < count; i++) connect(i);
  return {
    state,
    close() {
      state.stopping = true;
      for (const socket of state.sockets) socket.destroy();
    },
  };
}

/**
 * `count` POSTs at once to Invoke with a bogus Authorization and a body of `mb` MB each, streamed as fast as the
 * emulator reads it. Each ends in an HTTP status, "reset" (closed without an answer) or "timeout"; by status.
 */
export async function unsignedBodies(url, count, mb, timeoutMs) {
  const { hostname, port } = new URL(url);
  const chunk = Buffer.alloc(1024 * 1024, "a");
  const date = new Date().toISOString().replace(/[-:]|\.\d+/g, "");
  const one = () =>
    new Promise((resolve) => {
      let done = false;
      const finish = (outcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        req.destroy();
        resolve(outcome);
      };
      const req = http.request({
        host: hostname,
        port: Number(port),
        method: "POST",
        path: "/2015-03-31/functions/noop/invocations",
        agent: false,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": String(mb * chunk.length),
          "X-Amz-Date": date,
          Authorization: `AWS4-HMAC-SHA256 Credential=AKIDSOAKBOGUS/${date.slice(0, 8)}/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
        },
      });
      const timer = setTimeout(() => finish("timeout"), timeoutMs);
      req.on("response", (res) => {
        res.resume();
        finish(String(res.statusCode));
      });
      req.on("error", () => finish("reset"));
      let sent = 0;
      const pump = () => {
        while (!done && sent < mb) {
          sent++;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!done) req.end();
      };
      pump();
    });
  const outcomes = await Promise.all(Array.from({ length: count }, one));
  const byOutcome = {};
  for (const o of outcomes) byOutcome[o] = (byOutcome[o] ?? 0) + 1;
  return byOutcome;
}

const SMALL_ZIP = zipSync({ "app.mjs": strToU8("export const handler = async (event) => ({ ok: true, echo: event });\n") });

/**
 * Creates `count` functions (a small Node.js zip each) and invokes each once, `concurrency` at a time (with
 * `create: false`, invokes the ones an earlier call created: cold again, past the idle-sandbox bound). Stops early
 * (and says so) when the machine's available memory falls under `minAvailableMb`: a leak must not starve the
 * other work on a shared machine.
 */
export async function manyFunctions(client, count, concurrency, minAvailableMb, tally, runtime, { create = true } = {}) {
  let next = 0;
  let stoppedEarly = null;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && stoppedEarly === null) {
        if (availableMb() < minAvailableMb) {
          stoppedEarly = `after ${next} functions: the machine's available memory fell under ${minAvailableMb} MB`;
          break;
        }
        const name = `soak-fn-${String(next++).padStart(4, "0")}`;
        try {
          if (create) await client.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: runtime, Handler: "app.handler", Code: { ZipFile: SMALL_ZIP } }));
          const r = await client.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{"n":1}') }));
          if (r.FunctionError) throw new Error(`FunctionError: ${Buffer.from(r.Payload ?? []).toString().slice(0, 200)}`);
          tally.calls++;
        } catch (error) {
          tally.fail(`${name}: ${describe(error)}`);
        }
      }
    }),
  );
  return { created: next, stoppedEarly };
}

/** A function for the Event flood: a few milliseconds of work per event, so a queue can build up. */
export async function createEventTarget(client, name, runtime) {
  const code = zipSync({ "app.mjs": strToU8("export const handler = async () => { await new Promise((r) => setTimeout(r, 5)); return null; };\n") });
  await client.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: runtime, Handler: "app.handler", Code: { ZipFile: code } }));
}

/**
 * `count` Event invocations of `kb` KB each to one function, `concurrency` in flight. 202 is accepted, 429 is the
 * emulator's queue saying no (as AWS answers when it throttles); anything else is an error in `tally`.
 */
export async function eventFlood(client, name, count, kb, concurrency, tally) {
  const payload = Buffer.from(JSON.stringify({ pad: "x".repeat(Math.max(0, kb * 1024 - 20)) }));
  const result = { accepted: 0, throttled: 0 };
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        try {
          const r = await client.send(new InvokeCommand({ FunctionName: name, InvocationType: "Event", Payload: payload }));
          if (r.StatusCode === 202) result.accepted++;
          else tally.fail(`Event answered ${r.StatusCode}`);
        } catch (error) {
          if (statusOf(error) === 429) result.throttled++;
          else tally.fail(`Event: ${describe(error)}`);
        }
      }
    }),
  );
  tally.calls += result.accepted + result.throttled;
  return result;
}
