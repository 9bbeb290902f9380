/** `pipes runs`, `pipes logs`, `pipes status`: what run history (.pipes/runs beside the defs file) holds. */
import type { Command } from "commander";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { displayPath } from "../util/paths.js";
import { outputFor, type CliContext } from "./context.js";
import { withSharedOptions } from "./shared-options.js";

interface HistoryOptions {
  file?: string;
  profile?: string;
  json?: boolean;
  partition?: string;
}

export function registerHistory(program: Command, ctx: CliContext): void {
  withSharedOptions(program.command("runs").description("the recent runs recorded in .pipes/runs (newest first)"), "file", ["json", "print one JSON document"]).action(
    async (options: HistoryOptions) => {
      const output = outputFor(ctx, options);
      const { dir, maxRunBytes } = await historyOf(options, ctx);
      const [{ listRuns }, { renderRuns }] = await Promise.all([import("../history/read.js"), import("../report/history.js")]);
      const runs = listRuns(dir, { maxRunBytes });
      warn(ctx, runs.warnings);
      output.stdout.write(options.json ? `${JSON.stringify({ dir, runs: runs.value }, null, 2)}\n` : renderRuns(runs.value, output, displayPath(dir, ctx.cwd)));
    },
  );

  withSharedOptions(program.command("logs").description("replay a recorded run's output (or one asset's), as it was shown"), "file", ["json", "the run's events, one per line, as --json printed them"])
    .argument("<run>", "a run id (its first characters are enough) or last")
    .argument("[asset]", "only this asset's output")
    .option("--partition <key>", "only this partition's output")
    .action(async (which: string, asset: string | undefined, options: HistoryOptions) => {
      const output = outputFor(ctx, options);
      const { dir, maxRunBytes } = await historyOf(options, ctx);
      const [{ readRun }, { createRunReporter }, { filterEvents }] = await Promise.all([import("../history/read.js"), import("../report/run.js"), import("../history/filter.js")]);
      const read = readRun(dir, which, { maxRunBytes });
      warn(ctx, read.warnings);
      const { events, cut } = read.value;
      const start = events[0]!;
      if (asset !== undefined && start.type === "run-start" && !start.assets.includes(asset)) {
        throw new UserError(`Run ${start.runId.slice(0, 8)} did not materialize "${asset}"; it ran ${start.assets.join(", ")}`);
      }
      const reporter = await createRunReporter(output, { cwd: ctx.cwd });
      try {
        for (const event of filterEvents(events, asset, options.partition)) reporter.onEvent(event);
      } finally {
        reporter.close();
      }
      if (!events.some((e) => e.type === "run-end")) {
        ctx.stderr.write(`⚠ run ${start.type === "run-start" ? start.runId.slice(0, 8) : which} has no end: it was stopped before it finished${cut ? " (its last line was cut)" : ""}\n`);
      }
    });

  withSharedOptions(program.command("status").description("per asset: its last materialization, and which partitions have materialized"), "file", ["json", "print one JSON document"])
    .argument("[selection...]", "assets, as materialize takes them (default: all)")
    .option("--profile <name>", "profile whose definitions to read (partitions do not depend on it)")
    .action(async (selection: string[], options: HistoryOptions) => {
      const output = outputFor(ctx, options);
      const { dir, defs, maxRunBytes } = await historyOf(options, ctx);
      const [{ readAllRuns, STATUS_TYPES }, { foldStatus, statusRows }, { partitionKeys }, { selectAssets }, { renderStatus }] = await Promise.all([
        import("../history/read.js"),
        import("../history/status.js"),
        import("../partitions/keys.js"),
        import("../run/select.js"),
        import("../report/history.js"),
      ]);
      const assets = selection.length ? selectAssets(defs.assets, selection, { upstream: false, file: displayPath(defs.file, ctx.cwd) }) : defs.assets;
      const runs = readAllRuns(dir, { types: STATUS_TYPES, maxRunBytes });
      warn(ctx, runs.warnings);
      const now = new Date();
      const order = new Map(assets.map((a) => [a.key, a.partitions ? partitionKeys(a.partitions, now) : []]));
      const rows = statusRows(assets.map((a) => ({ key: a.key, keys: a.partitions ? order.get(a.key)! : null })), foldStatus(runs.value));
      output.stdout.write(options.json ? `${JSON.stringify({ dir, runs: runs.value.length, assets: rows }, null, 2)}\n` : renderStatus(rows, order, output));
    });
}

async function historyOf(options: HistoryOptions, ctx: CliContext): Promise<{ dir: string; defs: ResolvedDefinitions; maxRunBytes: number }> {
  const [{ loadDefinitions }, { historyDir, historyLimits }] = await Promise.all([import("../defs/load.js"), import("../history/location.js")]);
  const defs = await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
  return { dir: historyDir(defs.file), defs, maxRunBytes: historyLimits(ctx.env).maxRunBytes };
}

function warn(ctx: CliContext, warnings: string[]): void {
  for (const w of warnings) ctx.stderr.write(`⚠ ${w}\n`);
}
