import type { Command } from "commander";
import { ExitCode, UserError } from "../errors.js";
import { type PartitionRequest, parseRange } from "../partitions/request.js";
import { DEFAULT_CONCURRENCY } from "../run/concurrency.js";
import { outputFor, type CliContext } from "./context.js";
import { collect, parseConcurrency, parseFailOnChecks } from "./parse-options.js";
import { ciReports, reportTargets } from "./ci-reports.js";
import { onStopSignals } from "./process-signals.js";
import { runtimeEnv, withSharedOptions } from "./shared-options.js";

interface MaterializeOptions {
  allowHostRuntime?: boolean;
  file?: string;
  profile?: string;
  upstream?: boolean;
  exclude: string[];
  all?: boolean;
  partition?: string;
  partitionRange?: string;
  allPartitions?: boolean;
  singleRun?: boolean;
  extra: string[];
  concurrency: string;
  failOnChecks: string;
  junit?: string;
  report: string[];
  plan?: boolean;
  checkAccess?: boolean;
  retry?: string;
  history: boolean;
  json?: boolean;
}

export function registerMaterialize(program: Command, ctx: CliContext): void {
  withSharedOptions(
    program.command("materialize").description("invoke the functions of assets and show their logs, metadata, checks and errors"),
    "file",
    "profile",
    ["json", "one JSON event per line on stdout"],
    "allowHostRuntime",
  )
    .argument("[selection...]", "assets: name, +name (and what it depends on), name+ (and its dependents), 2+name (two levels), key:raw_* (a glob)")
    .option("--upstream", "also materialize what the assets depend on, first (as +name)")
    .option("--exclude <selection>", "leave out what this selection matches (repeatable)", collect, [])
    .option("--all", "materialize every asset")
    .option("--partition <key>", "the partition to materialize (for unpartitioned assets: a key passed to each)")
    .option("--partition-range <start...end>", "every partition from START to END, one invocation each (Dagster's syntax)")
    .option("--all-partitions", "every partition of the partitioned assets")
    .option("--single-run", "one invocation per asset with the whole range in partition_key_range")
    .option("--extra <key=value>", "an extra for the pipes context (repeatable; JSON values allowed)", collect, [])
    .option("--concurrency <n>", "invocations in flight at once, across the run", String(DEFAULT_CONCURRENCY))
    .option("--fail-on-checks <rule>", "which failed asset checks make the run exit 1: error, warn (and error) or none", "error")
    .option("--plan", "show what would run: each invocation, its event and decoded pipes context; invoke nothing")
    .option("--check-access", "with --plan: check with Lambda's DryRun that each function exists and may be invoked")
    .option("--junit <file>", "write a JUnit XML report: a test case per asset (× partition) and per check")
    .option("--report <kind=file>", "write a report: md=FILE (a Markdown summary) or junit=FILE (repeatable)", collect, [])
    .option("--retry <run>", "run again what failed or was skipped in that run (a run id from pipes runs, or last), with its profile, assets, partitions and extras")
    .option("--no-history", "do not record this run in .pipes/runs (also PIPES_HISTORY=0)")
    .action(async (keys: string[], options: MaterializeOptions) => {
      ctx.exitCode = await runMaterialize(keys, options, ctx);
    });
}

async function runMaterialize(keys: string[], options: MaterializeOptions, ctx: CliContext): Promise<number> {
  const output = outputFor(ctx, options);
  const concurrency = parseConcurrency(options.concurrency);
  const failOnChecks = parseFailOnChecks(options.failOnChecks);
  const reportsTo = reportTargets(options.junit, options.report, ctx.cwd);
  const [{ loadDefinitions }, { selectAssets }] = await Promise.all([import("../defs/load.js"), import("../run/select.js")]);
  const load = (profile: string | undefined) => loadDefinitions({ file: options.file, profile, cwd: ctx.cwd, env: ctx.env });
  let defs = await load(options.profile);
  let run: RunRequest;
  if (options.retry !== undefined) {
    const retry = await retryRequest(options, keys, defs.file, ctx);
    if (!retry) return ExitCode.ok;
    if (retry.profile !== defs.profile.name) defs = await load(retry.profile);
    run = retry;
  } else {
    if (keys.length === 0 && !options.all) {
      throw new UserError(`Name the assets to materialize, or pass --all. Assets: ${defs.assets.map((a) => a.key).join(", ")}`);
    }
    run = { keys: options.all ? defs.assets.map((a) => a.key) : keys, partitions: partitionRequest(options), singleRun: Boolean(options.singleRun), extras: parseExtras(options.extra) };
  }
  const assets = selectAssets(defs.assets, run.keys, { upstream: Boolean(options.upstream), exclude: options.exclude, file: defs.file });
  if (options.checkAccess && !options.plan) throw new UserError("--check-access goes with --plan: pipes materialize --plan --check-access");
  if (options.plan) {
    const { showPlan } = await import("./plan.js");
    return showPlan({ defs, assets, partitions: run.partitions, singleRun: run.singleRun, extras: run.extras, only: run.only, done: run.done, checkAccess: Boolean(options.checkAccess) }, ctx, output);
  }
  const [{ openTarget }, { materialize }, { createRunReporter }, { recordRuns }] = await Promise.all([
    import("../target/index.js"),
    import("../run/materialize.js"),
    import("../report/run.js"),
    import("./history-recording.js"),
  ]);
  const ci = ciReports(reportsTo, ctx, output, defs.file);
  const reporter = await createRunReporter(output, { cwd: ctx.cwd, wrapBlock: ci.wrapBlock });
  const history = recordRuns(defs.file, options.history, ctx, output);
  const [{ runtimeNotices }, { calendarToday }] = await Promise.all([import("../defs/runtime-notices.js"), import("../util/clock.js")]);
  const warnings = runtimeNotices(defs, assets, calendarToday(ctx.env));
  const target = await openTarget(defs, { hostEnv: runtimeEnv(ctx.env, options) });
  // Ctrl-C: let go of the invocations in flight, report the assets as interrupted, stop the emulator's
  // workers, exit 130. A second Ctrl-C leaves at once (the emulator's reaper still ends the workers).
  const interrupt = new AbortController();
  const signals = onStopSignals(
    () => interrupt.abort(),
    () => {
      reporter.close();
      ci.close();
      history.close();
      process.exit(ExitCode.interrupted);
    },
  );
  try {
    const result = await materialize({
      defs,
      assets,
      target,
      partitions: run.partitions,
      singleRun: run.singleRun,
      extras: run.extras,
      retryOf: run.retryOf,
      only: run.only,
      done: run.done,
      concurrency,
      failOnChecks,
      warnings,
      emit: (event) => {
        history.onEvent(event);
        reporter.onEvent(event);
        ci.onEvent(event);
      },
      signal: interrupt.signal,
    });
    reporter.close();
    const reported = ci.finish();
    if (interrupt.signal.aborted) return ExitCode.interrupted;
    if (result.fatal) return result.fatal.exitCode;
    return result.counts.failed + result.counts.skipped > 0 || result.checksFailed || !reported ? ExitCode.assetFailed : ExitCode.ok;
  } finally {
    signals.dispose();
    reporter.close();
    ci.close();
    history.close();
    await target.close();
  }
}

/** What one run materializes: from the command line, or from the run `--retry` names. */
interface RunRequest {
  keys: string[];
  partitions: PartitionRequest | null;
  singleRun: boolean;
  extras: Record<string, unknown>;
  retryOf?: string;
  only?: Set<string>;
  done?: Set<string>;
}

/** `--retry <run>`: the recorded run's request, without what it materialized; null when nothing is left to run. */
async function retryRequest(options: MaterializeOptions, keys: string[], defsFile: string, ctx: CliContext): Promise<(RunRequest & { profile: string }) | null> {
  const conflicting = [keys.length > 0 && "asset names", options.all && "--all", options.upstream && "--upstream", options.partition !== undefined && "--partition", options.partitionRange !== undefined && "--partition-range", options.allPartitions && "--all-partitions", options.singleRun && "--single-run", options.extra.length > 0 && "--extra"].filter(Boolean);
  if (conflicting.length) throw new UserError(`--retry runs again what the run ran, with its own partitions and extras: leave out ${conflicting.join(", ")}`);
  const [{ historyDir, historyLimits }, { readRun, RETRY_TYPES }, { retryPlan }] = await Promise.all([import("../history/location.js"), import("../history/read.js"), import("../history/retry.js")]);
  const read = readRun(historyDir(defsFile), options.retry!, { types: RETRY_TYPES, maxRunBytes: historyLimits(ctx.env).maxRunBytes });
  for (const warning of read.warnings) ctx.stderr.write(`⚠ ${warning}\n`);
  const plan = retryPlan(read.value.events);
  if (options.profile !== undefined && options.profile !== plan.profile) {
    throw new UserError(`--retry ${options.retry}: run ${plan.runId.slice(0, 8)} used profile ${plan.profile}, not ${options.profile}; leave out --profile to retry it as it ran`);
  }
  if (plan.finished && plan.notDone === 0) {
    ctx.stderr.write(`Nothing to retry: every step of run ${plan.runId.slice(0, 8)} materialized.\n`);
    return null;
  }
  return { keys: plan.assets, partitions: plan.partitionRequest, singleRun: plan.singleRun, extras: plan.extras, profile: plan.profile, retryOf: plan.runId, only: plan.only ?? undefined, done: plan.done };
}

/** At most one of `--partition`, `--partition-range`, `--all-partitions`. */
function partitionRequest(options: MaterializeOptions): PartitionRequest | null {
  const given = [options.partition !== undefined && "--partition", options.partitionRange !== undefined && "--partition-range", options.allPartitions && "--all-partitions"].filter(Boolean);
  if (given.length > 1) throw new UserError(`${given.join(" and ")} cannot be combined: pass one of them`);
  if (options.partition !== undefined) return { kind: "key", key: options.partition };
  if (options.allPartitions) return { kind: "all" };
  if (options.partitionRange === undefined) {
    if (options.singleRun) throw new UserError("--single-run needs a range: pass --partition-range START...END or --all-partitions");
    return null;
  }
  const range = parseRange(options.partitionRange);
  if (!range) throw new UserError(`--partition-range ${options.partitionRange}: write START...END (three dots), e.g. 2024-01-01...2024-01-31`);
  return { kind: "range", ...range };
}

/** `--extra key=value`: the value as JSON when it parses (numbers, booleans, objects), else as text. */
function parseExtras(pairs: string[]): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UserError(`--extra ${pair}: expected key=value, e.g. --extra sample=0.1`);
    const raw = pair.slice(eq + 1);
    try {
      extras[pair.slice(0, eq)] = JSON.parse(raw);
    } catch {
      extras[pair.slice(0, eq)] = raw;
    }
  }
  return extras;
}
