/** The commands of `pipes dev`, typed at its prompt or piped to its stdin. Pure. */

export type DevCommand =
  | { kind: "all" }
  | { kind: "rerun" }
  | { kind: "list" }
  | { kind: "help" }
  | { kind: "quit" }
  | { kind: "empty" }
  | { kind: "materialize"; assets: string[] };

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

/** `a`, `all`, `materialize --all`; `r`; `l`; `q`; `materialize KEY...` or just `KEY...`. */
export function parseCommand(line: string): DevCommand {
  const words = line.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return { kind: "empty" };
  const [first, ...rest] = words as [string, ...string[]];
  if (first === "materialize" || first === "m") {
    return rest.includes("--all") || rest.length === 0 ? { kind: "all" } : { kind: "materialize", assets: rest };
  }
  const kind = words.length === 1 ? WORDS[first.toLowerCase()] : undefined;
  if (kind && kind !== "materialize") return { kind } as DevCommand;
  return { kind: "materialize", assets: words };
}

/** readline completer: completes the last word of the line with the known asset keys. */
export function completeAssets(line: string, keys: readonly string[]): [string[], string] {
  const last = line.split(/\s+/).at(-1) ?? "";
  const hits = keys.filter((k) => k.startsWith(last));
  return [hits.length ? hits : [...keys], last];
}

export const HELP_LINE =
  "a ⏎ materialize all · r ⏎ re-run the last · l ⏎ list · q ⏎ quit · or type asset names (Tab completes)";
