/** `pipes runs`, `pipes logs`, `pipes status`: what run history (.pipes/runs beside the defs file) holds. */
import type { Command } from "commander";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import type { RunEvent } from "../run/events.js";
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
      const { dir } = await historyOf(options, ctx);
      const [{ listRuns }, { renderRuns }] = await Promise.all([import("../history/read.js"), import("../report/history.js")]);
      const runs = listRuns(dir);
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
      const { dir } = await historyOf(options, ctx);
      const [{ readRun }, { createRunReporter }] = await Promise.all([import("../history/read.js"), import("../report/run.js")]);
      const read = readRun(dir, which);
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
      const { dir, defs } = await historyOf(options, ctx);
      const [{ readAllRuns }, { foldStatus, statusRows }, { partitionKeys }, { selectAssets }, { renderStatus }] = await Promise.all([
        import("../history/read.js"),
        import("../history/status.js"),
        import("../partitions/keys.js"),
        import("../run/select.js"),
        import("../report/history.js"),
      ]);
      const assets = selection.length ? selectAssets(defs.assets, selection, { upstream: false, file: defs.file }) : defs.assets;
      const runs = readAllRuns(dir);
      warn(ctx, runs.warnings);
      const now = new Date();
      const order = new Map(assets.map((a) => [a.key, a.partitions ? partitionKeys(a.partitions, now) : []]));
      const rows = statusRows(assets.map((a) => ({ key: a.key, keys: a.partitions ? order.get(a.key)! : null })), foldStatus(runs.value));
      output.stdout.write(options.json ? `${JSON.stringify({ dir, runs: runs.value.length, assets: rows }, null, 2)}\n` : renderStatus(rows, order, output));
    });
}

async function historyOf(options: HistoryOptions, ctx: CliContext): Promise<{ dir: string; defs: ResolvedDefinitions }> {
  const [{ loadDefinitions }, { historyDir }] = await Promise.all([import("../defs/load.js"), import("../history/location.js")]);
  const defs = await loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
  return { dir: historyDir(defs.file), defs };
}

function warn(ctx: CliContext, warnings: string[]): void {
  for (const w of warnings) ctx.stderr.write(`⚠ ${w}\n`);
}

/** A run's events for one asset (and partition): its run-start says how many steps are left, so a replay shows them as the run did. */
function* filterEvents(events: RunEvent[], asset: string | undefined, partition: string | undefined): Generator<RunEvent> {
  if (asset === undefined && partition === undefined) return yield* events;
  const keep = (e: RunEvent) => e.type === "run-start" || e.type === "run-end" || ((asset === undefined || e.asset === asset) && (partition === undefined || e.partition === partition));
  const kept = events.filter(keep);
  const steps = kept.filter((e) => e.type === "asset-end");
  for (const event of kept) {
    if (event.type === "run-start") {
      const perAsset: Record<string, number> = {};
      for (const s of steps) if (s.type === "asset-end") perAsset[s.asset] = (perAsset[s.asset] ?? 0) + 1;
      yield { ...event, assets: event.assets.filter((a) => asset === undefined || a === asset), steps: steps.length, stepsPerAsset: perAsset };
    } else yield event;
  }
}
