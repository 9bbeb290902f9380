import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { outputFor } from "./context.js";

interface ListOptions {
  file?: string;
  profile?: string;
  json?: boolean;
}

export function registerList(program: Command, ctx: CliContext): void {
  program
    .command("list")
    .description("show the assets in dependency order, with the function each invokes under the profile")
    .option("-f, --file <file>", "definitions file (default: defs.ts or pipes.defs.ts here)")
    .option("--profile <name>", "profile to resolve (default: PIPES_PROFILE, the file's defaultProfile, then local)")
    .option("--json", "print one JSON document")
    .action(async (options: ListOptions) => {
      const output = outputFor(ctx, options);
      const [{ loadDefinitions }, { renderList }] = await Promise.all([
        import("../defs/load.js"),
        import("../report/list.js"),
      ]);
      const defs = await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
      output.stdout.write(renderList(defs, output, ctx.cwd));
    });
}
