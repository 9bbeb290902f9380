/**
 * Makes every worker die with the emulator's process, however that process ends (SIGKILL included).
 *
 * A worker cannot always see its parent go: it is frozen (SIGSTOP) between invocations, as a Lambda sandbox is,
 * or its handler's busy loop blocks its own watch. So a small process of its own, which nothing freezes, holds
 * the worker pids; the kernel closes its stdin when the emulator's process ends in any way, and it then kills
 * every worker still listed. One per emulator, started with the first worker.
 */
import { spawn, type ChildProcess } from "node:child_process";

// Lines on stdin: "+PID" a worker started, "-PID" it exited (so a reused pid is never killed).
const SCRIPT = `
const pids = new Set();
let rest = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => {
  const lines = (rest + chunk).split("\\n");
  rest = lines.pop();
  for (const line of lines) (line[0] === "+" ? pids.add(line.slice(1)) : pids.delete(line.slice(1)));
});
process.stdin.on("end", () => {
  for (const pid of pids) try { process.kill(Number(pid), "SIGKILL"); } catch {}
  process.exit(0);
});`;

/** In the reaper's command line, so tools (and tests) can tell it from the workers. */
export const REAPER_MARK = "pipes-emulator-reaper";

export class Reaper {
  private child: ChildProcess | undefined;

  watch(pid: number): void {
    this.send(`+${pid}`);
  }

  forget(pid: number): void {
    this.send(`-${pid}`);
  }

  /** Ends the reaper (the workers are gone by then); it kills any worker still listed on its way out. */
  close(): void {
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private send(line: string): void {
    if (!this.child) {
      this.child = spawn(process.execPath, ["--max-old-space-size=16", "-e", SCRIPT, REAPER_MARK], { stdio: ["pipe", "ignore", "ignore"] });
      this.child.on("error", () => undefined); // without it, workers still have their own watch on stdin
      this.child.stdin!.on("error", () => undefined);
      // The reaper must not keep an emulator embedder's event loop alive.
      this.child.unref();
      (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    }
    this.child.stdin!.write(`${line}\n`);
  }
}
