/**
 * Makes every sandbox die with the emulator's process, however that process ends (SIGKILL included).
 *
 * A worker cannot always see its parent go: it is frozen (SIGSTOP) between invocations, as a Lambda sandbox is,
 * or its handler's busy loop blocks its own watch. So a small process of its own, which nothing freezes, holds
 * the worker pids (each the leader of its sandbox's process group) and their marks (process-tree.ts); the kernel
 * closes its stdin when the emulator's process ends in any way, and it then kills every sandbox still listed:
 * the group, and the processes that left it but carry the sandbox's mark. One per emulator, started with the
 * first worker; a stop waits for it to end.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** How long a stop waits for the reaper to end before it is killed. */
const CLOSE_WAIT_MS = 3000;

// Lines on stdin: "+ PID MARK" a worker started, "- PID" it exited (so a reused pid is never killed). A mark is
// `NAME=value` of hex, digits and `/[]$` only (the log stream name): stored per pid, matched as a fixed string.
// POSIX sh, so the reaper costs a millisecond to start and a megabyte to keep, where another Node.js process
// would cost 40 of each.
const SCRIPT = `
pids=" "
while read -r op id mark; do
  case "$id" in *[!0-9]*|"") continue ;; esac
  case "$op" in
    +) pids="$pids$id "; eval "m_$id=\\$mark" ;;
    -) case "$pids" in *" $id "*) pids="\${pids%% $id *} \${pids#* $id }" ;; esac; eval "m_$id=" ;;
  esac
done
for id in $pids; do kill -STOP -"$id" 2>/dev/null; kill -9 -"$id" "$id" 2>/dev/null; done
for id in $pids; do
  eval "mark=\\$m_$id"
  [ -n "$mark" ] || continue
  for file in $(grep -lzxF -e "$mark" /proc/[0-9]*/environ 2>/dev/null); do
    pid="\${file#/proc/}"; kill -9 "\${pid%/environ}" 2>/dev/null
  done
done
exit 0`;

/** In the reaper's command line, so tools (and tests) can tell it from the workers. */
export const REAPER_MARK = "pipes-emulator-reaper";

export class Reaper {
  private child: ChildProcess | undefined;

  /** `mark`: `NAME=value` in the sandbox's environment, which its escaped processes carry. */
  watch(pid: number, mark: string): void {
    this.send(`+ ${pid} ${mark}`);
  }

  forget(pid: number): void {
    this.send(`- ${pid}`);
  }

  /** Ends the reaper (the workers are gone by then) and resolves once it has exited, killed if it lingers. */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.once("error", () => resolve());
      child.stdin?.end();
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve();
      }, CLOSE_WAIT_MS);
    });
    clearTimeout(timer);
  }

  private send(line: string): void {
    if (!this.child) {
      // `sh -c SCRIPT NAME`: NAME is the script's $0, and shows in its command line.
      this.child = spawn("/bin/sh", ["-c", SCRIPT, REAPER_MARK], { stdio: ["pipe", "ignore", "ignore"] });
      this.child.on("error", () => undefined); // without it, workers still have their own watch on stdin
      this.child.stdin!.on("error", () => undefined);
      // The reaper must not keep an emulator embedder's event loop alive (close() waits for it while it runs).
      this.child.unref();
      (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    }
    this.child.stdin!.write(`${line}\n`);
  }
}
