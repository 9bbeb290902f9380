// commander is bundled into the CLI (scripts/build-cli.mjs), so it is imported as any module is.
import { Command } from "commander";
import type { CliContext } from "./context.js";
import { handleError } from "./handle-error.js";
import { packageVersion } from "./version.js";

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Each command's module, by the names it declares, in `--help` order. Only the module of the command being run is
 * loaded (`pipes list` need not load materialize's reporters, nor anything they import); `--help`, a bare `pipes`,
 * `pipes help …` and a mistyped name load them all, for the full list and "did you mean".
 */
const COMMANDS: Array<{ names: string[]; load: () => Promise<Register> }> = [
  { names: ["materialize"], load: async () => (await import("./materialize.js")).registerMaterialize },
  { names: ["list"], load: async () => (await import("./list.js")).registerList },
  { names: ["dev"], load: async () => (await import("./dev.js")).registerDev },
  { names: ["runs", "logs", "status"], load: async () => (await import("./history.js")).registerHistory },
  { names: ["deploy-handler"], load: async () => (await import("./deploy-handler.js")).registerDeployHandler },
  { names: ["vendor"], load: async () => (await import("./vendor.js")).registerVendor },
  { names: ["init"], load: async () => (await import("./init.js")).registerInit },
  { names: ["ui"], load: async () => (await import("./ui.js")).registerUi },
  { names: ["emulator"], load: async () => (await import("./emulator.js")).registerEmulator },
  { names: ["runtimes"], load: async () => (await import("./runtimes.js")).registerRuntimes },
];

/** The registrations `argv` needs: its command's alone when its first word names one, else all of them. */
export function commandsFor(argv: string[]): Array<() => Promise<Register>> {
  const named = COMMANDS.find((command) => argv[0] !== undefined && command.names.includes(argv[0]));
  return (named ? [named] : COMMANDS).map((command) => command.load);
}

/** Runs `pipes` with argv (without node and script) and returns the exit code; never calls process.exit. */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const program = new Command("pipes")
    .description("Run Lambda-backed Dagster Pipes pipelines in development and CI")
    .version(packageVersion(), "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    });
  for (const register of await Promise.all(commandsFor(argv).map((load) => load()))) register(program, ctx);
  for (const command of program.commands) {
    command.exitOverride().showHelpAfterError(`(run pipes ${command.name()} --help for usage)`);
    command.configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
  }
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    return handleError(error, ctx, argv.includes("--json"));
  }
}
