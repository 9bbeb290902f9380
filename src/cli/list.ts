import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { outputFor } from "./context.js";
import { collect } from "./parse-options.js";
import { withSharedOptions } from "./shared-options.js";
import { displayPath } from "../util/paths.js";

interface ListOptions {
  file?: string;
  profile?: string;
  json?: boolean;
  exclude: string[];
}

export function registerList(program: Command, ctx: CliContext): void {
  withSharedOptions(
    program.command("list").description("show the assets in dependency order, with the function each invokes under the profile"),
    "file",
    ["profile", "profile to resolve (default: PIPES_PROFILE, the file's defaultProfile, then local)"],
    ["json", "print one JSON document"],
  )
    .argument("[selection...]", "only these assets, as materialize selects them (name, +name, name+, key:glob, tag:k=v, group:g)")
    .option("--exclude <selection>", "leave out what this selection matches (repeatable)", collect, [])
    .action(async (selection: string[], options: ListOptions) => {
      const output = outputFor(ctx, options);
      const [{ loadDefinitions }, { renderList }, { selectAssets }, { runtimeNotices }, { calendarToday }] = await Promise.all([
        import("../defs/load.js"),
        import("../report/list.js"),
        import("../run/select.js"),
        import("../defs/runtime-notices.js"),
        import("../util/clock.js"),
      ]);
      const defs = await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
      const filtered = selection.length > 0 || options.exclude.length > 0;
      const selected = filtered ? selectAssets(defs.assets, selection.length ? selection : ["key:*"], { upstream: false, exclude: options.exclude, file: displayPath(defs.file, ctx.cwd) }) : undefined;
      const warnings = runtimeNotices(defs, selected ?? defs.assets, calendarToday(ctx.env));
      output.stdout.write(renderList(defs, output, ctx.cwd, selected, warnings));
    });
}
