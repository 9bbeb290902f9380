// What the soak benchmark reads of the emulator from the OS (Linux /proc), never from the emulator itself: its
// memory and open file descriptors, and every process it started. Descendants are snapshotted every second while
// it runs (pid plus start time, so a reused pid is not mistaken for one of them), and each one's Runtime API
// address is noted: a sandbox that left the emulator's tree (double fork, new session, reparented to init) still
// carries `AWS_LAMBDA_RUNTIME_API=<that address>` in its environment, the marker looked for after the stop.
import { readdirSync, readFileSync } from "node:fs";

const read = (path) => {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // gone, or not ours to read
  }
};

/** VmRSS and VmHWM (peak) in MB, and the open fd count, of one process; null once it is gone. */
export function footprint(pid) {
  const status = read(`/proc/${pid}/status`);
  if (status === null) return null;
  const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  let fds = null;
  try {
    fds = readdirSync(`/proc/${pid}/fd`).length;
  } catch {}
  return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024, fds };
}

/** Every process now: pid → { comm, state, ppid, start } from /proc/<pid>/stat (zombies included). */
export function processTable() {
  const table = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = read(`/proc/${name}/stat`);
    if (stat === null) continue;
    // The command name sits in parentheses and may hold spaces or parentheses itself: split after the last one.
    const close = stat.lastIndexOf(")");
    const fields = stat.slice(close + 2).split(" ");
    table.set(Number(name), { pid: Number(name), comm: stat.slice(stat.indexOf("(") + 1, close), state: fields[0], ppid: Number(fields[1]), start: fields[19] });
  }
  return table;
}

function descendantsOf(root, table) {
  const children = new Map();
  for (const p of table.values()) {
    if (!children.has(p.ppid)) children.set(p.ppid, []);
    children.get(p.ppid).push(p);
  }
  const found = [];
  const queue = [root];
  while (queue.length) {
    for (const child of children.get(queue.shift()) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** A process's command line on one line, cut short: a shell script given with -c spans many. */
const commandLine = (pid) => (read(`/proc/${pid}/cmdline`) ?? "").replace(/[\0\s]+/g, " ").trim().slice(0, 100);

const runtimeApiOf = (pid) => /(?:^|\0)AWS_LAMBDA_RUNTIME_API=([^/\0]+)/.exec(read(`/proc/${pid}/environ`) ?? "")?.[1] ?? null;

/** Watches one process: samples() its footprint and descendants every second; leftovers() after it stopped. */
export function watch(pid, everyMs = 1000) {
  const seen = new Map(); // `${pid}:${start}` → { pid, start, comm, cmdline }
  const runtimeApis = new Set();
  const samples = [];
  const started = Date.now();
  const sample = () => {
    const own = footprint(pid);
    if (own === null) return null;
    const descendants = descendantsOf(pid, processTable());
    let sandboxRss = 0;
    for (const p of descendants) {
      const key = `${p.pid}:${p.start}`;
      if (!seen.has(key)) {
        seen.set(key, { pid: p.pid, start: p.start, comm: p.comm, cmdline: commandLine(p.pid) });
        const api = runtimeApiOf(p.pid);
        if (api) runtimeApis.add(api);
      }
      sandboxRss += footprint(p.pid)?.rss ?? 0;
    }
    const s = { at: (Date.now() - started) / 1000, ...own, processes: descendants.length, sandboxRss, available: availableMb() };
    samples.push(s);
    return s;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    samples,
    sample,
    stop: () => clearInterval(timer),
    seenCount: () => seen.size,
    runtimeApis: () => [...runtimeApis],
    /**
     * The processes of the emulator still there: every descendant ever seen that still exists with the same start
     * time (zombies included), and any process whose environment names one of its Runtime API addresses.
     */
    leftovers() {
      const table = processTable();
      const left = new Map();
      for (const p of seen.values()) {
        const now = table.get(p.pid);
        if (now && now.start === p.start) left.set(p.pid, { ...p, state: now.state, ppid: now.ppid, why: "descendant" });
      }
      for (const p of table.values()) {
        if (left.has(p.pid) || p.pid === process.pid) continue;
        const api = runtimeApiOf(p.pid);
        if (api && runtimeApis.has(api)) left.set(p.pid, { ...p, cmdline: commandLine(p.pid), why: "sandbox marker" });
      }
      return [...left.values()];
    },
  };
}

/** The machine's available memory in MB (MemAvailable), to stop before a leak starves other work on it. */
export const availableMb = () => Number(/MemAvailable:\s+(\d+)/.exec(read("/proc/meminfo") ?? "")?.[1] ?? 0) / 1024;
