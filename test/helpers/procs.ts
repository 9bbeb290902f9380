/**
 * The OS process table (/proc), not the emulator's own list: what a test checks is left behind after a stop.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcInfo {
  pid: number;
  ppid: number;
  /** One letter: R, S, T (stopped), Z (zombie)… */
  state: string;
  command: string;
}

function info(pid: number): ProcInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    let command = "";
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim();
    } catch {
      // a zombie has none
    }
    return { pid, ppid: Number(fields[1]), state: fields[0]!, command: command || stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) };
  } catch {
    return undefined;
  }
}

/** Every process now, zombies included. */
export function processes(): ProcInfo[] {
  return readdirSync("/proc").flatMap((name) => (/^\d+$/.test(name) ? (info(Number(name)) ?? []) : []));
}

/** The processes whose parent (or its parent…) is `pid`, zombies included. */
export function descendants(pid: number): ProcInfo[] {
  const all = processes();
  const found: ProcInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** The processes whose environment holds `marker` (e.g. `PIPES_TEST_MARK=…`), whoever their parent is now. */
export function carrying(marker: string): ProcInfo[] {
  return processes().filter((p) => {
    if (p.pid === process.pid) return false;
    try {
      return readFileSync(`/proc/${p.pid}/environ`, "utf8").split("\0").includes(marker);
    } catch {
      return false;
    }
  });
}

/** Describes processes for an assertion message. */
export const describe = (procs: ProcInfo[]) => procs.map((p) => `${p.pid} ${p.state} ${p.command.slice(0, 80)}`);

/** Polls until `check` returns an empty list, or returns the last non-empty one at the deadline. */
export async function whenNone(check: () => ProcInfo[], timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = check();
    if (left.length === 0 || Date.now() > deadline) return describe(left);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Kills whatever carries `marker` (a test's cleanup, whether or not it passed). */
export function killCarrying(marker: string): void {
  for (const p of carrying(marker)) {
    try {
      process.kill(p.pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}

/**
 * Runs `close` (an emulator's stop) and lists what is left of this process's children, as the OS sees them: each
 * process under this one before the stop that still exists after it (a zombie included), and any under it now.
 */
export async function leftAfter(close: () => Promise<void>): Promise<string[]> {
  const before = descendants(process.pid);
  await close();
  const now = new Map(processes().map((p) => [p.pid, p]));
  const left = new Map(descendants(process.pid).map((p) => [p.pid, p]));
  for (const p of before) {
    const still = now.get(p.pid);
    if (still && still.command === p.command) left.set(p.pid, still);
  }
  return describe([...left.values()]);
}
