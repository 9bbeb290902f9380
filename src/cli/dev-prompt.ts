/**
 * `pipes dev`'s prompt reads a typed selection with `pipes materialize`'s own option table (run-request.ts), so
 * `raw_events --partition 2024-01-05 --extra sample=0.1` means there what it means on the command line.
 */
import { Command, CommanderError } from "commander";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { complete } from "../dev/commands.js";
import { UserError } from "../errors.js";
import { partitionKeys } from "../partitions/keys.js";
import { type RunSelectionOptions, withRunSelectionOptions } from "./run-request.js";

export interface PromptRun {
  keys: string[];
  options: RunSelectionOptions & { concurrency?: string };
}

/** A fresh command each time: commander keeps option values on the command it parsed. */
function promptCommand(onParsed: (run: PromptRun) => void, out: (text: string) => void): Command {
  return withRunSelectionOptions(new Command("materialize"))
    .option("--concurrency <n>", "invocations in flight at once, for this run")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: () => {}, outputError: () => {} })
    .action((keys: string[], options: PromptRun["options"]) => onParsed({ keys, options }));
}

/** The run a prompt line asks for, or its help text (`--help`); a UserError when its flags are wrong. */
export function parsePromptRun(args: string[]): PromptRun | { help: string } {
  let parsed: PromptRun | undefined;
  let help = "";
  try {
    promptCommand((run) => (parsed = run), (text) => (help += text)).parse(args, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.help") return { help };
      throw new UserError(`${error.message.replace(/^error: /, "").replace(/\n/g, " ")} (at the prompt, as for pipes materialize; --help lists the flags)`);
    }
    throw error;
  }
  return parsed!;
}

/** The long flags the prompt takes, for Tab. */
export const PROMPT_FLAGS: readonly string[] = promptCommand(() => {}, () => {})
  .options.map((o) => o.long)
  .filter((f): f is string => f !== undefined)
  .concat("--help");

/** A prompt run's flags as typed, for its separator line. */
export function describeFlags(options: PromptRun["options"]): string[] {
  const flags: string[] = [];
  if (options.upstream) flags.push("--upstream");
  for (const e of options.exclude) flags.push("--exclude", e);
  if (options.all) flags.push("--all");
  if (options.partition !== undefined) flags.push("--partition", options.partition);
  if (options.partitionRange !== undefined) flags.push("--partition-range", options.partitionRange);
  if (options.allPartitions) flags.push("--all-partitions");
  if (options.singleRun) flags.push("--single-run");
  for (const e of options.extra) flags.push("--extra", e);
  return flags;
}

/** Tab at the prompt: asset keys, the prompt's flags, and the partition keys of the definitions' assets. */
export function completeAtPrompt(line: string, defs: ResolvedDefinitions): [string[], string] {
  return complete(line, {
    assets: defs.assets.map((a) => a.key),
    flags: PROMPT_FLAGS,
    partitionKeys: () => [...new Set(defs.assets.flatMap((a) => (a.partitions ? partitionKeys(a.partitions, new Date()) : [])))],
  });
}
