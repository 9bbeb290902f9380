/**
 * The run files of a history folder, read defensively: only regular files (a directory or a FIFO named
 * `*.ndjson` is skipped, and a FIFO is opened non-blocking so it can never hang a reader), read in chunks a
 * line at a time (a file of any size never becomes one string), a line past MAX_LINE_BYTES handed on as too long.
 */
import { closeSync, constants, type Dirent, existsSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";

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
    // Decoded a chunk at a time (a character split between chunks waits for the next); a line's bytes are counted
    // from the chunk's bytes, so they need no second encoding.
    const decoder = new StringDecoder("utf8");
    let rest = "";
    let restBytes = 0;
    let tooLong = false;
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      const text = decoder.write(buffer.subarray(0, n));
      let from = 0;
      for (let nl = text.indexOf("\n"); nl !== -1; nl = text.indexOf("\n", from)) {
        const piece = text.slice(from, nl);
        const bytes = restBytes + Buffer.byteLength(piece) + 1;
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
  } finally {
    closeSync(fd);
  }
}
