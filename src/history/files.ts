/**
 * The run files of a history folder, read defensively: only regular files (a directory or a FIFO named
 * `*.ndjson` is skipped, and a FIFO is opened non-blocking so it can never hang a reader), read in chunks a
 * line at a time (a file of any size never becomes one string), a line past MAX_LINE_BYTES handed on as too long.
 */
import { type BigIntStats, closeSync, constants, type Dirent, existsSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";

/** A line longer than this is no event pipes wrote (an event is at most a few MB: the 6 MB Invoke limit). */
export const MAX_LINE_BYTES = 32 * 1024 * 1024;
const CHUNK = 1024 * 1024;
/** A file that grows while it is read still is read in pieces of at least this. */
const MIN_CHUNK = 64 * 1024;

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

/** A file opened for reading: its status (bigint: nanosecond times) and reads of a few bytes at a position. */
export interface OpenedFile {
  stat: BigIntStats;
  readAt(position: number, length: number): Buffer;
}

export interface LinesRead {
  stat: BigIntStats;
  /** The byte offset just past the last whole line: where an appending writer's next line starts. */
  end: number;
  /** Bytes read from the file (what an incremental reader saves). */
  bytesRead: number;
  /** With `fingerprint`: that many bytes at the file's start, and just before `end` (to tell an appending writer later). */
  head: Buffer;
  before: Buffer;
}

/**
 * Calls `onLine` for each line: its text (null when it is longer than MAX_LINE_BYTES), its size in bytes, and
 * whether it ended with a newline (the last line of a killed run did not). Throws when the path is not a regular
 * file by the time it is opened (it was replaced after it was listed). `startAt`, given the opened file, says the
 * byte offset to start at (a line's start: history/cache.ts reads only what a growing file appended).
 */
export function readLines(path: string, onLine: (text: string | null, bytes: number, whole: boolean) => void, startAt?: (file: OpenedFile) => number, fingerprint = 0): LinesRead {
  // O_NONBLOCK: a FIFO put in a file's place opens without waiting for a writer; O_NOFOLLOW: no link.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
  try {
    const stat = fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw new Error("not a regular file");
    let position = startAt ? startAt({ stat, readAt: (at, length) => readAt(fd, at, length) }) : 0;
    let end = position;
    let bytesRead = 0;
    // No bigger than what is left to read (a run of 20 steps is a few KB; a MB zeroed for each of a hundred files
    // was most of what listing them cost), and not zeroed: only the bytes read are looked at.
    const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(MIN_CHUNK, Number(stat.size) - position + 1)));
    // Decoded a chunk at a time (a character split between chunks waits for the next); a line's bytes are counted
    // from the chunk's bytes, so they need no second encoding.
    const decoder = new StringDecoder("utf8");
    let rest = "";
    let restBytes = 0;
    let tooLong = false;
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, position);
      if (n === 0) break;
      position += n;
      bytesRead += n;
      const text = decoder.write(buffer.subarray(0, n));
      let from = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", from)) {
        const piece = text.slice(from, nl);
        const bytes = restBytes + Buffer.byteLength(piece) + 1;
        end += bytes;
        onLine(tooLong || bytes > MAX_LINE_BYTES ? null : rest + piece, bytes, true);
        rest = "";
        restBytes = 0;
        tooLong = false;
        from = nl + 1;
      }
      const tail = text.slice(from);
      restBytes += Buffer.byteLength(tail);
      if (restBytes > MAX_LINE_BYTES) {
        tooLong = true;
        rest = "";
      } else rest += tail;
    }
    rest += decoder.end();
    if (restBytes > 0 || rest !== "") onLine(tooLong ? null : rest, restBytes, false);
    const head = readAt(fd, 0, Math.min(fingerprint, end));
    const before = readAt(fd, end - Math.min(fingerprint, end), Math.min(fingerprint, end));
    return { stat, end, bytesRead, head, before };
  } finally {
    closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(Math.max(0, length));
  const n = length > 0 ? readSync(fd, buffer, 0, length, position) : 0;
  return buffer.subarray(0, n);
}
