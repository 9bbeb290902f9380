/**
 * Starts a worker as the root of its own process tree (process-tree.ts) and reads its output without letting
 * what the handler started hold the emulator: a background child inherits the worker's stdout and stderr, and
 * would keep them open (and the embedding CLI's event loop alive) for as long as it runs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { LineSplitter } from "./line-splitter.js";
import { ProcessTree } from "./process-tree.js";

/** After the worker exits, how long its output may still drain before the pipes are closed on our side. */
const DRAIN_AFTER_EXIT_MS = 500;

export interface SandboxProcess {
  child: ChildProcess;
  /** Undefined when the process could not start. */
  tree: ProcessTree | undefined;
}

/**
 * `mark`: `NAME=value` of the sandbox's environment that no other sandbox has. fd 3 is the worker's private
 * channel to the Runtime API (channel.ts).
 */
export function spawnSandbox(command: string, args: string[], cwd: string, env: Record<string, string>, mark: string): SandboxProcess {
  // detached: a session and process group of its own, so its whole tree is signalled at once, and a Ctrl-C at the
  // terminal reaches the CLI only (which stops the sandboxes itself).
  const child = spawn(command, args, { cwd, env, stdio: ["pipe", "pipe", "pipe", "pipe"], detached: true });
  return { child, tree: child.pid === undefined ? undefined : new ProcessTree(child.pid, mark) };
}

/**
 * Feeds the output to `splitter`s line by line; once the process has exited, the rest is read for a moment only.
 * Returns what ends both streams' unterminated lines where a fence would have: the worker calls it for a runtime
 * that answered without fences once what its pipes held is read (see Worker.outputRead). The lines are split in
 * the streams' read callbacks themselves, so they are in once the event loop's I/O callbacks have run.
 */
export function readOutput(child: ChildProcess, fence: string, onLine: (line: string) => void, onFence: () => void): () => void {
  const streams = [child.stdout!, child.stderr!];
  // Each stream's own decoder, ended at a cut as at the stream's end: the bytes of a character the invocation left
  // half written (a UTF-8 sequence cut short) end its own log as U+FFFD, as they do before a fence, and cannot
  // prefix the next invocation's first line (where they would hide a pipes message starting it).
  const cuts: Array<() => void> = [];
  for (const stream of streams) {
    const splitter = new LineSplitter(fence, onLine, onFence);
    const decoder = new StringDecoder("utf8");
    const end = () => {
      splitter.push(decoder.end());
      splitter.flush();
    };
    cuts.push(end);
    stream.on("data", (chunk: Buffer) => splitter.push(decoder.write(chunk)));
    stream.on("end", end);
    stream.on("close", end);
  }
  child.once("exit", () => {
    const timer = setTimeout(() => streams.forEach(closeEarly), DRAIN_AFTER_EXIT_MS);
    timer.unref();
  });
  return () => {
    for (const cut of cuts) cut();
  };
}

function closeEarly(stream: Readable): void {
  if (!stream.readableEnded) stream.destroy();
}
