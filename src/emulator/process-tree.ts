/**
 * A sandbox's processes: its worker and everything the handler started, as Lambda freezes and destroys a whole
 * execution environment, not one process.
 *
 * Each worker is a session and process group leader (spawned detached), so what it starts is in its group: one
 * signal to the group reaches all of that. A child may leave the group (`setsid`, Node's `detached`, Python's
 * `start_new_session`) and then be reparented to init once its parent exits (a double fork). Those are found in
 * /proc: descendants by parent id while the parent lives, and, once reparented, by the sandbox's own
 * AWS_LAMBDA_LOG_STREAM_NAME (random per sandbox) in their inherited environment — a mark every sandbox already
 * has, so nothing is added to what a handler sees. Members once seen are remembered (by pid and start time, so a
 * reused pid is never taken). A Linux child subreaper would need prctl from native code, and cgroups need
 * privileges a user rarely has; /proc needs neither. Without /proc (macOS) the group is all there is.
 */
import { readdirSync, readFileSync } from "node:fs";

interface Stat {
  ppid: number;
  pgrp: number;
  session: number;
  /** Clock ticks after boot: with the pid, names one process for good. */
  start: string;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: the fields start after the last ")".
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]), start: fields[19]! };
  } catch {
    return undefined;
  }
}

/** `mark` is `NAME=value\0`: environ is NUL-separated, so it must start the block or follow a NUL. */
function carries(pid: number, mark: Buffer): boolean {
  try {
    const environ = readFileSync(`/proc/${pid}/environ`);
    for (let at = environ.indexOf(mark); at >= 0; at = environ.indexOf(mark, at + 1)) {
      if (at === 0 || environ[at - 1] === 0) return true;
    }
    return false;
  } catch {
    return false;
  }
}

/** Only a process started after the sandbox can be one of its own: the others' environments are not read. */
function startedSince(stat: Stat, since: string | undefined): boolean {
  return since === undefined || Number(stat.start) >= Number(since);
}

/** How often a freeze reads the whole process table for the sandbox's escaped processes. */
const FULL_LOOK_EVERY_MS = 2000;

/** A process's children, from each of its threads' children list (Linux 3.5+); none when unreadable. */
function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").split(" ").filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

function allPids(): number[] | undefined {
  try {
    return readdirSync("/proc").flatMap((name) => (/^\d+$/.test(name) ? [Number(name)] : []));
  } catch {
    return undefined; // no /proc
  }
}

export class ProcessTree {
  /** `pid:start` of every process seen as the sandbox's. */
  private readonly members = new Set<string>();
  private readonly mark: Buffer;
  private readonly leaderStart: string | undefined;
  private lastFullLook = 0;
  private killedOnce = false;

  constructor(
    /** The worker: leader of its own session and process group. */
    readonly leader: number,
    /** `NAME=value` that only this sandbox's environment holds. */
    mark: string,
  ) {
    this.mark = Buffer.from(`${mark}\0`);
    this.leaderStart = readStat(leader)?.start;
  }

  /**
   * The sandbox's processes as far as its tree and what was seen before reach: children lists from the leader and
   * the remembered members down. Costs reads in proportion to the sandbox's processes, not the machine's.
   */
  near(): number[] {
    const found = new Set<number>();
    const queue = [this.leader];
    for (const member of this.members) {
      const [pid, start] = member.split(":");
      if (readStat(Number(pid))?.start === start) queue.push(Number(pid));
      else this.members.delete(member);
    }
    while (queue.length > 0) {
      const pid = queue.pop()!;
      if (found.has(pid)) continue;
      found.add(pid);
      queue.push(...childrenOf(pid));
    }
    return [...found];
  }

  /** Every live process of the sandbox: the whole process table is read (see the file's comment). */
  pids(): number[] {
    this.lastFullLook = Date.now();
    const pids = allPids();
    if (!pids) return [this.leader];
    const stats = new Map<number, Stat>();
    for (const pid of pids) {
      const stat = readStat(pid);
      if (stat) stats.set(pid, stat);
    }
    const found = new Set<number>();
    for (const [pid, stat] of stats) {
      const leader = pid === this.leader && stat.start === this.leaderStart;
      if (leader || stat.pgrp === this.leader || stat.session === this.leader || this.members.has(`${pid}:${stat.start}`)) found.add(pid);
    }
    // Reparented ones: the sandbox's mark in their environment (a child that cleared it is found below instead).
    for (const pid of stats.keys()) {
      if (found.has(pid) || pid === process.pid || !startedSince(stats.get(pid)!, this.leaderStart)) continue;
      if (carries(pid, this.mark)) found.add(pid);
    }
    // Children of members, however far down, while their parents live.
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, stat] of stats) {
        if (!found.has(pid) && found.has(stat.ppid)) {
          found.add(pid);
          grew = true;
        }
      }
    }
    this.members.clear();
    for (const pid of found) this.members.add(`${pid}:${stats.get(pid)!.start}`);
    return [...found];
  }

  /**
   * Sends `signal` to the group and to every member outside it. The whole table is read at most every few
   * seconds: a sandbox frozen after each of many quick invocations would otherwise pay for it each time (tens of
   * milliseconds on a loaded machine); between, its tree and known members are.
   */
  signal(signal: NodeJS.Signals): number[] {
    send(-this.leader, signal);
    const pids = Date.now() - this.lastFullLook > FULL_LOOK_EVERY_MS ? this.pids() : this.near();
    for (const pid of pids) send(pid, signal);
    return pids;
  }

  /**
   * Ends every process of the sandbox: stopped first, so none can start another while they are found. The whole
   * table is read the first time only: a kill's own exit handler kills again (a runtime that exits by itself takes
   * its sandbox along), moments after the processes it would find were stopped and killed; the tree and the
   * members the first look found are looked at again instead. Each read of the table cost ~15–25 ms of every cold
   * `pipes materialize`'s exit on a loaded machine.
   */
  kill(): void {
    send(-this.leader, "SIGSTOP");
    const pids = this.killedOnce ? this.near() : this.pids();
    this.killedOnce = true;
    for (const pid of pids) send(pid, "SIGSTOP");
    send(-this.leader, "SIGKILL");
    for (const pid of pids) send(pid, "SIGKILL");
    // A second look down the tree: a child started between the look and the stop.
    for (const pid of this.near()) send(pid, "SIGKILL");
  }
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // gone already (or never a group)
  }
}
