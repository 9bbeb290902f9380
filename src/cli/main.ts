import type * as Commander from "commander";
import { requireCjs } from "../util/cjs.js";
import type { CliContext } from "./context.js";
import { handleError } from "./handle-error.js";
import { registerDev } from "./dev.js";
import { registerEmulator } from "./emulator.js";
import { registerHistory } from "./history.js";
import { registerList } from "./list.js";
import { registerMaterialize } from "./materialize.js";
import { registerVendor } from "./vendor.js";
import { registerInit } from "./init.js";
import { registerUi } from "./ui.js";
import { registerDeployHandler } from "./deploy-handler.js";
import { registerRuntimes } from "./runtimes.js";
import { packageVersion } from "./version.js";

const { Command } = requireCjs("commander") as typeof Commander;

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
  registerMaterialize(program, ctx);
  registerList(program, ctx);
  registerDev(program, ctx);
  registerHistory(program, ctx);
  registerDeployHandler(program, ctx);
  registerVendor(program, ctx);
  registerInit(program, ctx);
  registerUi(program, ctx);
  registerEmulator(program, ctx);
  registerRuntimes(program, ctx);
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
