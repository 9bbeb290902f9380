/**
 * The run files of a history folder, read defensively: only regular files (a directory or a FIFO named
 * `*.ndjson` is skipped, and a FIFO is opened non-blocking so it can never hang a reader), read in chunks a
 * line at a time (a file of any size never becomes one string), a line past MAX_LINE_BYTES handed on as too long.
 */
import { closeSync, constants, type Dirent, existsSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";

/** A line longer than this is no event pipes wrote (an event is at most a few MB: the 6 MB Invoke limit). */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
const CHUNK = 1024 * 1024;

/** `*.ndjson` regular files, oldest first (names sort by start time), and a warning for each other entry. */
export function listRunFiles(dir: string): { names: string[]; warnings: string[] } {
  if (!existsSync(dir)) return { names: [], warnings: [] };
  const names: string[] = [];
  const warnings: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.name.endsWith(".ndjson")) continue;
    if (entry.isFile()) names.push(entry.name);
    else warnings.push(`skipped ${join(dir, entry.name)}: not a regular file (${kindOf(entry)})`);
  }
  return { names: names.sort(), warnings: warnings.sort() };
}

function kindOf(entry: Dirent): string {
  if (entry.isDirectory()) return "a directory";
  if (entry.isFIFO()) return "a FIFO";
  if (entry.isSymbolicLink()) return "a symbolic link";
  if (entry.isSocket()) return "a socket";
  return "a device";
}

/**
 * Calls `onLine` for each line: its text (null when it is longer than MAX_LINE_BYTES), its size in bytes, and
 * whether it ended with a newline (the last line of a killed run did not). Throws when the path is not a regular
 * file by the time it is opened (it was replaced after it was listed).
 */
export function readLines(path: string, onLine: (text: string | null, bytes: number, whole: boolean) => void): void {
  // O_NONBLOCK: a FIFO put in a file's place opens without waiting for a writer; O_NOFOLLOW: no link.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    if (!fstatSync(fd).isFile()) throw new Error("not a regular file");
    const buffer = Buffer.alloc(CHUNK);
    let parts: Buffer[] = [];
    let partBytes = 0;
    let tooLong = false;
    const end = (whole: boolean) => {
      onLine(tooLong ? null : Buffer.concat(parts, partBytes).toString("utf8"), partBytes + (whole ? 1 : 0), whole);
      parts = [];
      partBytes = 0;
      tooLong = false;
    };
    const add = (piece: Buffer) => {
      partBytes += piece.length;
      if (partBytes > MAX_LINE_BYTES) {
        tooLong = true;
        parts = [];
      } else if (!tooLong) parts.push(Buffer.from(piece));
    };
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      let from = 0;
      for (let nl = buffer.indexOf(10, from); nl !== -1 && nl < n; nl = buffer.indexOf(10, from)) {
        add(buffer.subarray(from, nl));
        end(true);
        from = nl + 1;
      }
      if (from < n) add(buffer.subarray(from, n));
    }
    if (partBytes > 0) end(false);
  } finally {
    closeSync(fd);
  }
}
