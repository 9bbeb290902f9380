/**
 * How one run file's lines become its events, as a fold a line at a time: readRunFile folds a whole file, and
 * history/cache.ts keeps the fold of a growing file's whole lines and folds only the lines appended since. Every
 * reader reads a file the same way: its first event must be a run-start (else it is no run, with the reason); a
 * later line that is not a valid event (garbage, `null`, a run-end without its fields, a second run-start, anything
 * after the run-end) is skipped and counted in one warning; a half-written last line is the mark of a killed run (or
 * of one still writing), not damage.
 */
import { type LinesRead, type OpenedFile, readLines } from "./files.js";
import { CHATTY_TYPES, formatSize, HISTORY_MAX_RUN_BYTES } from "./location.js";
import { asRunEvent, KNOWN_TYPES } from "./validate.js";
import type { RunEvent } from "../run/events.js";

/** What a reader keeps of each run (the others are read, checked and dropped), and its size cap. */
export interface ReadOptions {
  /** Event types to keep (run-start and run-end always are); all when absent. */
  types?: ReadonlySet<RunEvent["type"]>;
  /** Past this many bytes of a run file, its log, output and custom-message lines are left out (as when it was recorded). */
  maxRunBytes?: number;
  /** Keep each event's recorded line instead of its parsed value (RunFile.lines; `events` is then empty). */
  lines?: boolean;
  /**
   * Only this step's lines are parsed (the others are skipped as an unwanted type is): a line pipes wrote for it
   * holds its asset and partition as JSON.stringify writes them. Readers still check each event's own fields.
   */
  step?: { asset: string; partition: string | null };
}

export interface RunFile {
  events: RunEvent[];
  /** Its last line was half-written (the run was killed mid-write, or is writing it now). */
  cut: boolean;
  /** What was wrong with the file and left out, in one sentence naming it; null when nothing. */
  warning: string | null;
  /** With `lines`: each kept event's line as recorded (the page is sent these, not a re-stringified copy). */
  lines?: string[];
}

export type RunFileRead = RunFile | { notRun: string };

export const NOT_A_RUN = "not a run history file (garbage or truncated at its start)";

/** The state of folding a file's lines; `lines` set when the recorded text of each kept event is wanted. */
export interface Fold {
  events: RunEvent[];
  lines: string[] | null;
  started: boolean;
  notRun: string | null;
  ended: boolean;
  cut: boolean;
  damaged: number;
  dropped: number;
  /** Bytes of the file folded so far (the cap counts from the file's start). */
  bytes: number;
  /** Bytes of the kept lines: what the fold holds in memory, roughly. */
  keptBytes: number;
}

export const newFold = (withLines: boolean): Fold => ({ events: [], lines: withLines ? [] : null, started: false, notRun: null, ended: false, cut: false, damaged: 0, dropped: 0, bytes: 0, keptBytes: 0 });

/** A copy that a partial last line can be folded into without touching the fold of the whole lines. */
export const forkFold = (fold: Fold): Fold => ({ ...fold, events: [], lines: fold.lines ? [] : null });

/** Folds one line (`whole`: it ended with a newline). */
export function foldLine(fold: Fold, options: ReadOptions, text: string | null, size: number, whole: boolean): void {
  const maxRunBytes = options.maxRunBytes ?? HISTORY_MAX_RUN_BYTES;
  fold.bytes += size;
  if (fold.notRun !== null || (text !== null && text.trim() === "")) return;
  // A whole line of a type this reader leaves out, or past the cap, is not parsed (most of a big run's lines are
  // logs): it only has to look like one of pipes' lines, which a cut line, garbage or `null` does not.
  const shape = fold.started && whole && !fold.ended && text !== null ? stepTypeOf(text) : null;
  if (shape !== null) {
    if (fold.bytes > maxRunBytes && CHATTY_TYPES.has(shape)) {
      fold.dropped++;
      return;
    }
    if (options.types && !options.types.has(shape)) return;
    if (options.step && !mentions(text!, options.step)) return;
  }
  let event: RunEvent | null = null;
  let parsed = true;
  if (text !== null) {
    try {
      event = asRunEvent(JSON.parse(text));
    } catch {
      parsed = false;
    }
  }
  if (!fold.started) {
    if (event?.type === "run-start") {
      fold.started = true;
      keep(fold, event, text!, size);
    } else fold.notRun = NOT_A_RUN;
    return;
  }
  if (!parsed && !whole) {
    fold.cut = true;
    return;
  }
  if (!event || event.type === "run-start" || fold.ended) {
    fold.damaged++;
    return;
  }
  if (event.type === "run-end") fold.ended = true;
  else if (fold.bytes > maxRunBytes && CHATTY_TYPES.has(event.type)) {
    fold.dropped++; // one that did not look like one by its shape (another key order)
    return;
  } else if (options.types && !options.types.has(event.type)) return;
  keep(fold, event, text!, size);
}

function keep(fold: Fold, event: RunEvent, text: string, size: number): void {
  // With the recorded lines kept, the parsed event is not: it was parsed to be checked, the line is what is sent.
  if (fold.lines) fold.lines.push(text);
  else fold.events.push(event);
  fold.keptBytes += size;
}

/** The file as readers see it: the fold of its whole lines and, when the last line was partial, of that line. */
export function finishFold(path: string, options: ReadOptions, whole: Fold, tail: Fold | null): RunFileRead {
  const fold = tail ?? whole;
  if (fold.notRun !== null || !fold.started) return { notRun: fold.notRun ?? NOT_A_RUN };
  const maxRunBytes = options.maxRunBytes ?? HISTORY_MAX_RUN_BYTES;
  const problems = [
    fold.damaged ? `skipped ${fold.damaged} damaged line${fold.damaged === 1 ? "" : "s"} (not pipes events)` : "",
    fold.dropped ? `larger than ${formatSize(maxRunBytes)}: left out ${fold.dropped} log line${fold.dropped === 1 ? "" : "s"} past it` : "",
  ].filter(Boolean);
  const join = <T>(a: T[], b: T[] | undefined | null): T[] => (b?.length ? a.concat(b) : a);
  const events = tail ? join(whole.events, tail.events) : whole.events;
  const read: RunFile = { events, cut: fold.cut, warning: problems.length ? `${path}: ${problems.join("; ")}` : null };
  if (whole.lines) read.lines = tail ? join(whole.lines, tail.lines) : whole.lines;
  return read;
}

/**
 * Folds the lines `readLines` hands on: whole lines into `whole`, a partial last one into a fork of it. `resume`,
 * given the opened file, may say to go on folding into a kept fold from a byte offset instead (a grown file's
 * appended lines, history/cache.ts); `fingerprint` is readLines'. The answer's `whole` is the fold folded into.
 */
export function foldLines(
  path: string,
  options: ReadOptions,
  whole: Fold,
  resume?: (file: OpenedFile) => { fold: Fold; at: number } | null,
  fingerprint?: number,
): LinesRead & { whole: Fold; tail: Fold | null } {
  let tail: Fold | null = null;
  const read = readLines(
    path,
    (text, size, isWhole) => {
      if (isWhole) foldLine(whole, options, text, size, true);
      else {
        tail = forkFold(whole);
        foldLine(tail, options, text, size, false);
      }
    },
    resume &&
      ((file) => {
        const kept = resume(file);
        if (!kept) return 0;
        whole = kept.fold;
        return kept.at;
      }),
    fingerprint,
  );
  return { ...read, whole, tail };
}

/** One run file, read whole. */
export function readRunFile(path: string, options: ReadOptions = {}): RunFileRead {
  const fold = newFold(options.lines ?? false);
  try {
    const { tail } = foldLines(path, options, fold);
    return finishFold(path, options, fold, tail);
  } catch (error) {
    return { notRun: notRunReason(error) };
  }
}

export const notRunReason = (error: unknown): string => ((error as NodeJS.ErrnoException).code === "ELOOP" ? "not a regular file (a symbolic link)" : (error as Error).message);

const TYPE_PREFIX = '{"type":"';

/** Each step's asset and partition as JSON text, written once for all of a file's lines. */
const needles = new WeakMap<NonNullable<ReadOptions["step"]>, [string, string | null]>();

function mentions(text: string, step: NonNullable<ReadOptions["step"]>): boolean {
  let pair = needles.get(step);
  if (!pair) {
    pair = [JSON.stringify(step.asset), step.partition === null ? null : JSON.stringify(step.partition)];
    needles.set(step, pair);
  }
  return (pair[1] === null || text.includes(pair[1])) && text.includes(pair[0]);
}

/** The type of a line that looks like one of pipes' step events by its start and end (not a run boundary), or null. */
function stepTypeOf(text: string): RunEvent["type"] | null {
  if (!text.startsWith(TYPE_PREFIX) || !text.endsWith("}")) return null;
  const type = text.slice(TYPE_PREFIX.length, text.indexOf('"', TYPE_PREFIX.length)) as RunEvent["type"];
  return KNOWN_TYPES.has(type) && type !== "run-start" && type !== "run-end" ? type : null;
}
