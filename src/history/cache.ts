/**
 * What `pipes ui` has read of the run history, kept between requests: a page of a 10,000-step run must not reread
 * and reparse the whole file on each request. Each run file is folded (run-file.ts) once; when it is asked again,
 * its status says what to do: unchanged (same inode, size and nanosecond times) → the kept answer; grown by an
 * appending writer (a run in progress: same inode, larger, its first bytes and the bytes before the last whole line
 * unchanged) → only the appended bytes are read, from the start of the line that was partial; anything else
 * (replaced, shrunk, rewritten) → read again whole. The same defensive reading as every reader: regular files only,
 * opened non-blocking, damaged lines skipped and told of once, the size cap. Memory is bounded: entries are dropped
 * least recently used first past `maxBytes` (an estimate: twice the bytes of the lines an entry keeps).
 */
import { type BigIntStats, lstatSync } from "node:fs";
import { join } from "node:path";
import { listRunFiles, type OpenedFile } from "./files.js";
import { type Fold, finishFold, foldLines, newFold, notRunReason, type ReadOptions, type RunFileRead } from "./run-file.js";

/** The default bound on what the cache keeps, and the variable that changes it (in MB). */
export const CACHE_MAX_BYTES = 200 * 1024 * 1024;
export const CACHE_ENV = "PIPES_UI_CACHE_MB";

/** The bound from `PIPES_UI_CACHE_MB` (0 keeps nothing), or the default; null when the value is no size. */
export function cacheBytes(env: Record<string, string | undefined>): number | null {
  const text = env[CACHE_ENV];
  if (text === undefined || text === "") return CACHE_MAX_BYTES;
  const mb = Number(text);
  return Number.isFinite(mb) && mb >= 0 ? Math.round(mb * 1024 * 1024) : null;
}

/** Bytes compared to tell an appending writer from a rewrite: the file's first ones and those before the kept end. */
const FINGERPRINT = 256;

interface Entry {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Offset just past the last whole line folded: where the next read starts. */
  end: number;
  head: Buffer;
  before: Buffer;
  fold: Fold;
  result: RunFileRead;
  cost: number;
}

export interface CacheStats {
  /**
   * Bytes read from run files (an unchanged file costs none; a grown one its new bytes and its partial line), not
   * counting the few hundred of the fingerprint that tells an append.
   */
  bytesRead: number;
  hits: number;
  /** Reads of only what a file appended. */
  appends: number;
  /** Reads of a whole file (first read, or replaced, shrunk, rewritten). */
  whole: number;
  evictions: number;
}

export class HistoryCache {
  readonly stats: CacheStats = { bytesRead: 0, hits: 0, appends: 0, whole: 0, evictions: 0 };
  /** In order of use, least recent first (a Map keeps insertion order: a used entry is moved to the end). */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(readonly maxBytes: number = CACHE_MAX_BYTES) {}

  /** What the cache holds now, by its estimate. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  /**
   * One run file, as readRunFile reads it. The events and lines of the answer are the cache's own arrays (a grown
   * file's are appended to): read them now, do not keep or change them.
   */
  read(path: string, options: ReadOptions = {}): RunFileRead {
    const key = keyOf(path, options);
    const entry = this.entries.get(key);
    if (entry) {
      this.remove(key, entry);
      const stat = statOf(path);
      if (stat && unchanged(entry, stat)) {
        this.stats.hits++;
        this.store(key, entry);
        return entry.result;
      }
    }
    try {
      const read = foldLines(path, options, newFold(options.lines ?? false), (file) => (entry && appendedTo(entry, file) ? { fold: entry.fold, at: entry.end } : null), FINGERPRINT);
      const { whole: fold, tail } = read;
      const appended = fold === entry?.fold;
      this.stats.bytesRead += read.bytesRead;
      if (appended) this.stats.appends++;
      else this.stats.whole++;
      const result = finishFold(path, options, fold, tail);
      const { stat, end, head, before } = read;
      // A fork counts its fold's bytes and its own line's.
      const cost = 2 * (tail ?? fold).keptBytes + 1024;
      this.store(key, { dev: stat.dev, ino: stat.ino, size: stat.size, mtimeNs: stat.mtimeNs, ctimeNs: stat.ctimeNs, end, head, before, fold, result, cost });
      return result;
    } catch (error) {
      return { notRun: notRunReason(error) };
    }
  }

  private store(key: string, entry: Entry): void {
    if (entry.cost > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.cost;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldKey, old);
      this.stats.evictions++;
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.cost;
  }
}

const keyOf = (path: string, options: ReadOptions): string =>
  `${path}\0${options.types ? [...options.types].sort().join(",") : "*"}\0${options.maxRunBytes ?? ""}\0${options.lines ? "lines" : ""}\0${options.step ? JSON.stringify(options.step) : ""}`;

function statOf(path: string): BigIntStats | null {
  try {
    return lstatSync(path, { bigint: true });
  } catch {
    return null;
  }
}

const unchanged = (entry: Entry, stat: BigIntStats): boolean =>
  stat.isFile() && stat.dev === entry.dev && stat.ino === entry.ino && stat.size === entry.size && stat.mtimeNs === entry.mtimeNs && stat.ctimeNs === entry.ctimeNs;

/** The same file, longer, its kept bytes as they were: only what follows `entry.end` is new. */
function appendedTo(entry: Entry, file: OpenedFile): boolean {
  const { stat } = file;
  if (stat.dev !== entry.dev || stat.ino !== entry.ino || stat.size <= entry.size) return false;
  return file.readAt(0, entry.head.length).equals(entry.head) && file.readAt(entry.end - entry.before.length, entry.before.length).equals(entry.before);
}

/**
 * What the run files of a folder are now, in one string (names, sizes, inodes, times): an answer computed from
 * them is still right while this is the same.
 */
export function historySignature(dir: string): string {
  const listed = listRunFiles(dir);
  const parts = [listed.warnings.join("\n")];
  for (const name of listed.names) {
    const stat = statOf(join(dir, name));
    parts.push(stat ? `${name}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : `${name}:gone`);
  }
  return parts.join("\n");
}
