/** The commands of `pipes dev`, typed at its prompt or piped to its stdin. Pure. */

export type DevCommand =
  | { kind: "all" }
  | { kind: "rerun" }
  | { kind: "list" }
  | { kind: "help" }
  | { kind: "quit" }
  | { kind: "empty" }
  /** A selection with `pipes materialize`'s flags, as words (the CLI's option table reads them). */
  | { kind: "materialize"; args: string[] }
  | { kind: "invalid"; message: string };

const WORDS: Record<string, DevCommand["kind"]> = {
  a: "all",
  all: "all",
  r: "rerun",
  rerun: "rerun",
  l: "list",
  list: "list",
  h: "help",
  help: "help",
  "?": "help",
  q: "quit",
  quit: "quit",
  exit: "quit",
};

/** `a`, `all`; `r`; `l`; `q`; `materialize ARGS...`, `m ARGS...` or just `ARGS...` (names, then flags). */
export function parseCommand(line: string): DevCommand {
  const words = splitWords(line);
  if (typeof words === "string") return { kind: "invalid", message: words };
  if (words.length === 0) return { kind: "empty" };
  const [first, ...rest] = words as [string, ...string[]];
  if (first === "materialize" || first === "m") return rest.length === 0 ? { kind: "all" } : { kind: "materialize", args: rest };
  const kind = words.length === 1 ? WORDS[first.toLowerCase()] : undefined;
  if (kind && kind !== "materialize" && kind !== "invalid") return { kind } as DevCommand;
  return { kind: "materialize", args: words };
}

/** Words as a shell splits them: blanks separate, '…' and "…" keep blanks (`--extra 'note=a b'`). A message if a quote is left open. */
export function splitWords(line: string): string[] | string {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= "";
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (quote) return `unclosed ${quote} in: ${line.trim()}`;
  if (word !== null) words.push(word);
  return words;
}

export interface Completions {
  assets: readonly string[];
  flags: readonly string[];
  /** The partition keys an option's value may take (newest last), for `--partition` and `--partition-range`. */
  partitionKeys: () => readonly string[];
}

/**
 * readline's completer: the last word of the line completes to a flag when it starts with `-`, to a partition key
 * after `--partition` (or the start and end of a `--partition-range`), else to an asset key.
 */
export function complete(line: string, from: Completions): [string[], string] {
  const words = line.split(/\s+/);
  const last = words.at(-1) ?? "";
  const previous = words.at(-2) ?? "";
  if (previous === "--partition" || previous === "--partition-range") {
    const keys = from.partitionKeys();
    const dots = last.indexOf("...");
    if (previous === "--partition-range" && dots >= 0) {
      const start = last.slice(0, dots + 3);
      const hits = keys.filter((k) => k.startsWith(last.slice(dots + 3))).map((k) => start + k);
      return [hits.slice(-200), last];
    }
    return [keys.filter((k) => k.startsWith(last)).slice(-200), last];
  }
  const pool = last.startsWith("-") ? from.flags : from.assets;
  const hits = pool.filter((k) => k.startsWith(last));
  return [hits.length ? hits : [...pool], last];
}

export const HELP_LINE =
  "a ⏎ materialize all · r ⏎ re-run the last · l ⏎ list · q ⏎ quit · or type assets and materialize's flags (Tab completes)";
