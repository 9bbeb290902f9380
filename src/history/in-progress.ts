/**
 * Which runs are in progress, so pruning never deletes a file while it is written. A recorder leaves a marker
 * beside its run file while it writes (`<run>.running`: its pid and host) and removes it when the run ends; a
 * marker whose process is gone (a run killed with SIGKILL) is stale and removed by the next look. A pid that
 * was reused keeps a dead run's files a little longer: the safe way to be wrong. A marker from another host
 * (a history folder on a shared disk) cannot be checked: it counts while its run file changed within a day.
 */
import { hostname } from "node:os";
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SUFFIX = ".running";
const FOREIGN_STALE_MS = 24 * 60 * 60 * 1000;

const markerOf = (dir: string, runFile: string) => join(dir, `${runFile.replace(/\.ndjson$/, "")}${SUFFIX}`);

export function markInProgress(dir: string, runFile: string): void {
  writeFileSync(markerOf(dir, runFile), `${JSON.stringify({ pid: process.pid, host: hostname() })}\n`, { mode: 0o600 });
}

export function unmarkInProgress(dir: string, runFile: string): void {
  rmSync(markerOf(dir, runFile), { force: true });
}

/** The run files (`*.ndjson` names) of the runs in progress now; stale markers are removed on the way. */
export function runsInProgress(dir: string): string[] {
  const running: string[] = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith(SUFFIX)) continue;
    const marker = join(dir, name);
    const runFile = `${name.slice(0, -SUFFIX.length)}.ndjson`;
    const state = markerState(marker, join(dir, runFile));
    if (state === "running") running.push(runFile);
    else if (state === "stale") rmSync(marker, { force: true });
  }
  return running.sort();
}

function markerState(marker: string, runFile: string): "running" | "stale" | "unknown" {
  let owner: { pid?: unknown; host?: unknown };
  try {
    owner = JSON.parse(readFileSync(marker, "utf8"));
  } catch {
    return "unknown"; // being written, or not ours: left alone, and it protects nothing
  }
  if (typeof owner?.pid !== "number" || !Number.isInteger(owner.pid) || owner.pid <= 0) return "unknown";
  if (owner.host !== hostname()) {
    const changed = Math.max(mtimeOf(marker), mtimeOf(runFile));
    return Date.now() - changed < FOREIGN_STALE_MS ? "running" : "stale";
  }
  return alive(owner.pid) ? "running" : "stale";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, another user's
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}
