import type { Command } from "commander";
import { ExitCode, UserError } from "../errors.js";
import { DEFAULT_CONCURRENCY } from "../run/concurrency.js";
import { outputFor, type CliContext } from "./context.js";
import { collect, parseConcurrency, parseFailOnChecks } from "./parse-options.js";
import { type RunSelectionOptions, runRequest, withRunSelectionOptions } from "./run-request.js";
import { ciReports, reportTargets } from "./ci-reports.js";
import { onStopSignals } from "./process-signals.js";
import { runtimeEnv, withSharedOptions } from "./shared-options.js";
import { displayPath } from "../util/paths.js";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { isPythonRuntime } from "../facts/runtimes.js";

interface MaterializeOptions extends RunSelectionOptions {
  allowHostRuntime?: boolean;
  file?: string;
  concurrency: string;
  failOnChecks: string;
  junit?: string;
  report: string[];
  plan?: boolean;
  checkAccess?: boolean;
  history: boolean;
  json?: boolean;
}

export function registerMaterialize(program: Command, ctx: CliContext): void {
  withRunSelectionOptions(withSharedOptions(
    program.command("materialize").description("invoke the functions of assets and show their logs, metadata, checks and errors"),
    "file",
    "profile",
    ["json", "one JSON event per line on stdout"],
    "allowHostRuntime",
  ))
    .option("--concurrency <n>", "invocations in flight at once, across the run", String(DEFAULT_CONCURRENCY))
    .option("--fail-on-checks <rule>", "which failed asset checks make the run exit 1: error, warn (and error) or none", "error")
    .option("--plan", "show what would run: each invocation, its event and decoded pipes context; invoke nothing")
    .option("--check-access", "with --plan: check with Lambda's DryRun that each function exists and may be invoked")
    .option("--junit <file>", "write a JUnit XML report: a test case per asset (× partition) and per check")
    .option("--report <kind=file>", "write a report: md=FILE (a Markdown summary) or junit=FILE (repeatable)", collect, [])
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
  const run = await runRequest(keys, options, defs, ctx);
  if (!run) return ExitCode.ok;
  if (run.profile !== undefined && run.profile !== defs.profile.name) defs = await load(run.profile);
  const assets = selectAssets(defs.assets, run.keys, { upstream: Boolean(options.upstream), exclude: options.exclude, file: displayPath(defs.file, ctx.cwd) });
  if (options.checkAccess && !options.plan) throw new UserError("--check-access goes with --plan: pipes materialize --plan --check-access");
  if (options.plan) {
    const { showPlan } = await import("./plan.js");
    return showPlan({ defs, assets, partitions: run.partitions, singleRun: run.singleRun, extras: run.extras, only: run.only, done: run.done, checkAccess: Boolean(options.checkAccess) }, ctx, output);
  }
  // The target first: on a local profile its first workers start now, on another core, while this process sets
  // up the reporters and loads the AWS SDK; a cold run's Node.js worker took longer to start than all of that.
  const uses = [...new Set(assets.flatMap((asset) => (asset.function ? [asset.function] : [])))];
  if (defs.profile.lambda.kind === "emulator") await interpretersAtHand(defs, uses, ctx.env);
  const opening = import("../target/index.js").then(({ openTarget }) => openTarget(defs, { hostEnv: runtimeEnv(ctx.env, options), uses }));
  opening.catch(() => undefined); // a target that cannot open is reported where it is awaited, below
  let ci: ReturnType<typeof ciReports>;
  let reporter: Awaited<ReturnType<typeof import("../report/run.js").createRunReporter>>;
  let history: ReturnType<typeof import("./history-recording.js").recordRuns>;
  let warnings: ReturnType<typeof import("../defs/runtime-notices.js").runtimeNotices>;
  let materialize: typeof import("../run/materialize.js").materialize;
  try {
    const [runModule, { createRunReporter }, { recordRuns }] = await Promise.all([
      import("../run/materialize.js"),
      import("../report/run.js"),
      import("./history-recording.js"),
    ]);
    materialize = runModule.materialize;
    ci = ciReports(reportsTo, ctx, output, defs.file);
    reporter = await createRunReporter(output, { cwd: ctx.cwd, wrapBlock: ci.wrapBlock });
    history = recordRuns(defs.file, options.history, ctx, output);
    const [{ runtimeNotices }, { calendarToday }] = await Promise.all([import("../defs/runtime-notices.js"), import("../util/clock.js")]);
    warnings = runtimeNotices(defs, assets, calendarToday(ctx.env));
  } catch (error) {
    await opening.then((target) => target.close()).catch(() => undefined); // its workers must not outlive the error
    throw error;
  }
  const target = await opening;
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
      cwd: ctx.cwd,
      env: ctx.env,
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

/**
 * A Python function of the run with no interpreter to run it (PIPES_PYTHON naming nothing, or none installed) is a
 * setup error, said before anything runs (exit 2), not a failed invocation of each asset.
 */
async function interpretersAtHand(defs: ResolvedDefinitions, uses: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const python = uses.flatMap((name) => {
    const runtime = defs.functions.get(name)?.runtime;
    return runtime && isPythonRuntime(runtime) ? [{ name, runtime }] : [];
  });
  if (python.length === 0) return;
  const resolver = new (await import("../emulator/python.js")).PythonResolver(env);
  for (const { name, runtime } of python) {
    const why = resolver.missing(runtime);
    if (why) throw new UserError(`function ${name} (${runtime}) cannot run on the emulator: ${why}.`);
  }
}
