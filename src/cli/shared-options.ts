/**
 * The options several commands take, declared once: the same flag, the same words in every `--help`. A
 * command may say what the option means for it in a few words (`--profile`: "whose Lambda client uploads").
 */
import type { Command } from "commander";

const SHARED = {
  file: { flags: "-f, --file <file>", help: "definitions file (default: defs.ts or pipes.defs.ts here)" },
  profile: { flags: "--profile <name>", help: "profile (default: PIPES_PROFILE, the file's defaultProfile, then local)" },
  json: { flags: "--json", help: "print JSON instead of text" },
  allowHostRuntime: {
    flags: "--allow-host-runtime",
    help: "run a Node.js function on this machine's Node when its runtime's Node.js cannot be had (offline, not cached), with a warning",
  },
} as const;

export type SharedOption = keyof typeof SHARED;

/** Adds the shared options to `command`; `[name, help]` replaces the help text for this command. */
export function withSharedOptions(command: Command, ...options: Array<SharedOption | [SharedOption, string]>): Command {
  for (const option of options) {
    const [name, help] = typeof option === "string" ? [option, SHARED[option].help] : option;
    command.option(SHARED[name].flags, help);
  }
  return command;
}

/** The environment the emulator looks interpreters up in: the user's, with `--allow-host-runtime` said in it. */
export function runtimeEnv(env: NodeJS.ProcessEnv, options: { allowHostRuntime?: boolean }): NodeJS.ProcessEnv {
  return options.allowHostRuntime ? { ...env, PIPES_ALLOW_HOST_RUNTIME: "1" } : env;
}
