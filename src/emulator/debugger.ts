/**
 * `pipes dev --inspect`: how a worker starts with a debugger. Node.js gets its inspector on the next port (it
 * prints its ws:// URL, and "Debugger attached." when a client attaches); Python runs under debugpy when its
 * interpreter has it (debugpy says nothing on attach, so such a worker counts as attached from the start).
 */
import { spawnSync } from "node:child_process";

export interface DebuggerPorts {
  nextPort(): number;
  /** Whether this interpreter can import debugpy (asked once per interpreter). */
  debugpy(python: string): boolean;
}

/** Ports from `base` on, one per worker (0: each picks a free one). */
export function debuggerPorts(base: number): DebuggerPorts {
  let next = base;
  const known = new Map<string, boolean>();
  return {
    nextPort: () => (base === 0 ? 0 : next++),
    debugpy(python) {
      if (!known.has(python)) {
        known.set(python, spawnSync(python, ["-c", "import debugpy"], { stdio: "ignore", timeout: 5000 }).status === 0);
      }
      return known.get(python)!;
    },
  };
}

export interface DebuggerLaunch {
  args: string[];
  /** Started with a debugger: not to be frozen between invocations. */
  inspecting: boolean;
  /** Counts as attached already (debugpy): its timeouts wait. */
  attached: boolean;
  /** What to tell the user, or why it runs without one. */
  note?: string;
  warning?: string;
}

/** The worker's arguments with a debugger; `python` is the interpreter for a Python function, else undefined. */
export function withDebugger(functionName: string, args: string[], python: string | undefined, ports: DebuggerPorts): DebuggerLaunch {
  const port = ports.nextPort();
  if (python === undefined) {
    // The URL is told when Node prints it (see Worker.addLine).
    return { args: [`--inspect=127.0.0.1:${port}`, ...args], inspecting: true, attached: false };
  }
  if (!ports.debugpy(python)) {
    return { args, inspecting: false, attached: false, warning: `${functionName}: no debugpy for ${python}, so it runs without a debugger (pip install debugpy)` };
  }
  return {
    args: ["-u", "-m", "debugpy", "--listen", `127.0.0.1:${port}`, ...args.filter((a) => a !== "-u")],
    inspecting: true,
    attached: true,
    note: `${functionName}: debugpy listens on 127.0.0.1:${port} (VS Code "Python: Attach"); its timeouts wait while --inspect is on`,
  };
}

/** Node's line for a worker's inspector: its ws:// URL, or null for any other line. */
export function inspectorUrl(line: string): string | null {
  return /^Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1] ?? null;
}

/**
 * A worker's line saying its debugger could not listen because the port is taken (Node's inspector then runs the
 * function without one; debugpy exits, and the invocation fails with its traceback): true for either.
 */
export function debuggerPortTaken(line: string): boolean {
  return /^Starting inspector on \S+ failed: address already in use/.test(line) || /Can't listen for client connections: .*Address already in use/.test(line);
}
