import { readFileSync } from "node:fs";

/** Resident and peak memory of a process in MB, from /proc (Linux); undefined where it cannot be read. */
export function processMemory(pid: number | undefined): { rssMb: number; peakMb: number } | undefined {
  if (pid === undefined || process.platform !== "linux") return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
    return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}
