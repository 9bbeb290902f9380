/**
 * Makes every worker die with the emulator's process, however that process ends (SIGKILL included).
 *
 * A worker cannot always see its parent go: it is frozen (SIGSTOP) between invocations, as a Lambda sandbox is,
 * or its handler's busy loop blocks its own watch. So a small process of its own, which nothing freezes, holds
 * the worker pids; the kernel closes its stdin when the emulator's process ends in any way, and it then kills
 * every worker still listed. One per emulator, started with the first worker.
 */
import { spawn, type ChildProcess } from "node:child_process";

// Lines on stdin: "+PID" a worker started, "-PID" it exited (so a reused pid is never killed). POSIX sh, so the
// reaper costs a millisecond to start and a megabyte to keep, where another Node.js process would cost 40 of each.
const SCRIPT = `
pids=" "
while IFS= read -r line; do
  id="\${line#?}"
  case "$line" in
    +*) pids="$pids$id " ;;
    -*) case "$pids" in *" $id "*) pids="\${pids%% $id *} \${pids#* $id }" ;; esac ;;
  esac
done
for id in $pids; do kill -9 "$id" 2>/dev/null; done
exit 0`;

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
      // `sh -c SCRIPT NAME`: NAME is the script's $0, and shows in its command line.
      this.child = spawn("/bin/sh", ["-c", SCRIPT, REAPER_MARK], { stdio: ["pipe", "ignore", "ignore"] });
      this.child.on("error", () => undefined); // without it, workers still have their own watch on stdin
      this.child.stdin!.on("error", () => undefined);
      // The reaper must not keep an emulator embedder's event loop alive.
      this.child.unref();
      (this.child.stdin as unknown as { unref?: () => void }).unref?.();
    }
    this.child.stdin!.write(`${line}\n`);
  }
}
