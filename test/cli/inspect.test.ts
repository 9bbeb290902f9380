// pipes dev --inspect: each worker starts with a debugger; while one is attached, a timeout does not end it.
import { spawnSync } from "node:child_process";
import { get } from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startPipes, tempProject, type Running } from "../helpers/run-pipes.js";

let dev: Running | undefined;
afterEach(() => {
  dev?.child.kill("SIGKILL");
  dev = undefined;
});

const project = () =>
  tempProject({
    "defs.ts": `
      import { defineDefinitions } from "pipes";
      export default defineDefinitions({
        assets: { sleepy: { function: "sleepy" } },
        functions: { sleepy: { handler: "./fn/sleepy.handler", timeout: 2 } },
      });`,
    "fn/sleepy.mjs": `export const handler = async () => { await new Promise((r) => setTimeout(r, 3500)); console.log("woke up"); return 1; };\n`,
  });

/**
 * A port for the debugger: below Linux's ephemeral range (32768–60999), so no outgoing connection of a parallel
 * test can take it between this probe and the worker's listen, and free now.
 */
async function debuggerPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer().once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

const json = (url: string) =>
  new Promise<unknown>((resolve, reject) => {
    get(url, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve(JSON.parse(body)));
    }).on("error", reject);
  });

/** Attaches as a debugger client would: the inspector's WebSocket handshake (nothing more is needed). */
async function attach(port: number): Promise<net.Socket> {
  let targets: Array<{ webSocketDebuggerUrl: string }> = [];
  for (let i = 0; i < 200 && targets.length === 0; i++) {
    targets = (await json(`http://127.0.0.1:${port}/json/list`).catch(() => [])) as typeof targets;
    if (targets.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  const path = new URL(targets[0]!.webSocketDebuggerUrl).pathname;
  const socket = net.connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise<void>((resolve) => socket.once("data", () => resolve()));
  return socket;
}

describe("pipes dev --inspect", () => {
  it("says where the debugger listens; with one attached, a 3.5 s invocation outlives its 2 s timeout", async () => {
    const port = await debuggerPort();
    const dir = project();
    dev = startPipes(["dev", "--inspect", String(port)], { cwd: dir });
    await dev.waitFor(/watching/);
    dev.child.stdin.write("sleepy\n");
    const debuggerClient = await attach(port);
    await dev.waitFor(/✔ 1 materialized|✖/, 20_000);
    const out = dev.output();
    expect(out).toMatch(new RegExp(`ℹ sleepy: a debugger can attach at ws://127\\.0\\.0\\.1:${port}/[0-9a-f-]{36}`));
    expect(out, out).toContain("woke up");
    expect(out, out).not.toContain("Sandbox.Timedout");
    debuggerClient.destroy();
    dev.child.stdin.end();
    expect((await dev.exited).code).toBe(0);
  });

  it("without a debugger attached, the timeout holds", async () => {
    const dir = project();
    dev = startPipes(["dev", "--inspect", "0"], { cwd: dir });
    await dev.waitFor(/watching/);
    dev.child.stdin.write("sleepy\n");
    await dev.waitFor(/✖ 1 failed/, 20_000);
    expect(dev.output()).toContain("Task timed out after 2.00 seconds");
    dev.child.stdin.end();
    await dev.exited;
  });

  it("a debugger port another process holds: the user is told, and the Node.js function still runs", async () => {
    const port = await debuggerPort();
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(port, "127.0.0.1", resolve));
    try {
      const dir = tempProject({
        "defs.ts": `
          import { defineDefinitions } from "pipes";
          export default defineDefinitions({ assets: { quick: { function: "quick" } }, functions: { quick: { handler: "./quick.handler" } } });`,
        "quick.mjs": `export const handler = async () => { console.log("ran anyway"); return 1; };\n`,
      });
      dev = startPipes(["dev", "--inspect", String(port)], { cwd: dir });
      await dev.waitFor(/watching/);
      dev.child.stdin.write("quick\n");
      await dev.waitFor(/✔ 1 materialized|✖/, 20_000);
      const out = dev.output();
      // Before: only Node's own "Starting inspector ... failed" line, in the function's log.
      expect(out, out).toContain("quick: its debugger's port is taken by another process");
      expect(out, out).toContain("ran anyway");
      dev.child.stdin.end();
      await dev.exited;
    } finally {
      holder.close();
    }
  });

  const hasDebugpy = spawnSync("/usr/bin/python3", ["-c", "import debugpy"]).status === 0;
  it.skipIf(!hasDebugpy)("runs a Python worker under debugpy, listening on its port, its timeout waiting", async () => {
    const port = await debuggerPort();
    const dir = tempProject({
      "defs.ts": `
        import { defineDefinitions } from "pipes";
        export default defineDefinitions({
          assets: { slow_py: { function: "slow_py" } },
          functions: { slow_py: { handler: "./py/slow.handler", runtime: "python3.12", timeout: 1 } },
        });`,
      "py/slow.py": "import time\n\ndef handler(event, context):\n    time.sleep(2)\n    print('woke up')\n    return 1\n",
    });
    dev = startPipes(["dev", "--inspect", String(port)], { cwd: dir, env: { PIPES_PYTHON: "/usr/bin/python3" } });
    await dev.waitFor(/watching/);
    dev.child.stdin.write("slow_py\n");
    await dev.waitFor(/✔ 1 materialized|✖/, 20_000);
    const out = dev.output();
    expect(out, out).toContain(`ℹ slow_py: debugpy listens on 127.0.0.1:${port}`);
    expect(out, out).toContain("woke up");
    dev.child.stdin.end();
    await dev.exited;
  });
});
