import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { outputFor } from "./context.js";
import { withSharedOptions } from "./shared-options.js";

interface ListOptions {
  file?: string;
  profile?: string;
  json?: boolean;
}

export function registerList(program: Command, ctx: CliContext): void {
  withSharedOptions(
    program.command("list").description("show the assets in dependency order, with the function each invokes under the profile"),
    "file",
    ["profile", "profile to resolve (default: PIPES_PROFILE, the file's defaultProfile, then local)"],
    ["json", "print one JSON document"],
  )
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
