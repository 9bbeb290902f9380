import type { Command } from "commander";
import { dirname } from "node:path";
import { createInterface, type Interface } from "node:readline";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import type { Emulator } from "../emulator/index.js";
import { ExitCode, UserError } from "../errors.js";
import type { Target } from "../target/index.js";
import { displayPath } from "../util/paths.js";
import { outputFor, type CliContext } from "./context.js";
import { parseConcurrency } from "./parse-options.js";
import type { PromptRun } from "./dev-prompt.js";
import { runtimeEnv, withSharedOptions } from "./shared-options.js";
import { parsePort, uiCacheBytes } from "./ui.js";

interface DevOptions {
  allowHostRuntime?: boolean;
  file?: string;
  profile?: string;
  watchRun?: boolean;
  concurrency: string;
  inspect?: string | boolean;
  history: boolean;
  ui?: boolean;
  uiPort: string;
}

export function registerDev(program: Command, ctx: CliContext): void {
  withSharedOptions(
    program.command("dev").description("the development loop: a warm emulator, the asset graph, runs on demand, reloads on save"),
    "file",
    "profile",
    "allowHostRuntime",
  )
    .option("--watch-run", "re-run the last selection after a file changes")
    .option("--concurrency <n>", "independent assets run at once", "4")
    .option("--no-history", "do not record runs in .pipes/runs (also PIPES_HISTORY=0)")
    .option("--ui", "serve the pipeline's web page beside the loop (as pipes ui), live, with a Materialize button")
    .option("--ui-port <n>", "the page's port on 127.0.0.1 with --ui (0 picks a free one)", "0")
    .option("--inspect [port]", "start each worker with a debugger (Node's inspector; Python's debugpy if installed) on ports from this one (default 9229); timeouts wait while one is attached")
    .action(async (options: DevOptions) => {
      ctx.exitCode = await runDev(options, ctx);
    });
}

async function runDev(options: DevOptions, ctx: CliContext): Promise<number> {
  const output = outputFor(ctx, {});
  const c = output.color;
  const write = (text: string) => ctx.stdout.write(text);
  const [{ loadDefinitions }, { renderList }, { functionSpecs }, { openTarget, startEmulatorFor }, { materialize }, { selectAssets }, { createRunReporter }, commands, { watchTree }, { recordRuns }] =
    await Promise.all([
      import("../defs/load.js"),
      import("../report/list.js"),
      import("../emulator/from-definitions.js"),
      import("../target/index.js"),
      import("../run/materialize.js"),
      import("../run/select.js"),
      import("../report/run.js"),
      import("../dev/commands.js"),
      import("../dev/watch.js"),
      import("./history-recording.js"),
    ]);
  const [{ changeEffect }, { runtimeNotices }, { calendarToday }, prompts, { runRequest }] = await Promise.all([
    import("../dev/changes.js"),
    import("../defs/runtime-notices.js"),
    import("../util/clock.js"),
    import("./dev-prompt.js"),
    import("./run-request.js"),
  ]);
  const sessionOptions = options;
  const load = () => loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
  const concurrency = parseConcurrency(options.concurrency);
  const inspectPort = options.inspect === undefined ? undefined : options.inspect === true ? 9229 : Number(options.inspect);
  if (inspectPort !== undefined && (!Number.isInteger(inspectPort) || inspectPort < 0 || inspectPort > 65535)) {
    throw new UserError(`--inspect ${String(options.inspect)} is not a port number (0–65535).`);
  }

  let defs: ResolvedDefinitions = await load();
  const uiPort = options.ui ? parsePort(options.uiPort, "--ui-port") : 0;
  /** `--ui`: the page's live stream; every run's events go to it as to the reporters. */
  const hub = options.ui ? new (await import("../ui/live.js")).LiveHub() : undefined;
  // One warm emulator for the whole session; each (re)loaded definitions file gets a target on it.
  const emulator: Emulator | null = defs.profile.lambda.kind === "emulator" ? await startEmulatorFor(defs, runtimeEnv(ctx.env, options), inspectPort) : null;
  let target: Target = await openTarget(defs, emulator ? { emulator } : {});
  const shownFile = displayPath(defs.file, ctx.cwd);
  /** The last command that ran (r re-runs it; --watch-run after a change). */
  let last: PromptRun | null = null;
  let runs = 0;
  /** Scripted sessions exit 2 when a command was invalid, else 1 when a run failed. */
  let invalidCommands = 0;
  let failedRuns = 0;
  let queue = Promise.resolve();
  /** The run in flight, which a stop interrupts. */
  let running: AbortController | undefined;
  let stopping = false;
  let rl: Interface | undefined;
  const tty = Boolean((process.stdin as { isTTY?: boolean }).isTTY) && output.mode === "pretty";
  const prompt = () => rl && tty && rl.prompt(true); // keeps what was typed, and where the cursor is in it
  /**
   * A change notice comes while the prompt waits: on a terminal it takes the prompt's line (cleared first), and
   * the prompt is drawn again below it, with what was typed so far.
   */
  const notice = (text: string) => {
    if (tty) ctx.stdout.write("\r\x1b[K");
    write(text);
    if (!running) prompt();
  };

  /** One thing at a time: runs and reloads wait for each other; a failure never ends the session. */
  const enqueue = (task: () => Promise<void>) => {
    queue = queue.then(() => (stopping ? undefined : task())).catch((error: unknown) => {
      if (error instanceof UserError) invalidCommands += 1;
      write(`${c.red("✖")} ${error instanceof UserError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }).finally(() => {
      if (!stopping) prompt();
    });
  };

  const run = async (command: PromptRun) => {
    const { options } = command;
    const request = await runRequest(command.keys, options, defs, ctx);
    if (!request) {
      last = command;
      return;
    }
    if (request.profile !== undefined && request.profile !== defs.profile.name) {
      throw new UserError(`--retry: that run used profile ${request.profile}; this session runs profile ${defs.profile.name} (pipes materialize --retry runs it on its own)`);
    }
    const assets = selectAssets(defs.assets, request.keys, { upstream: Boolean(options.upstream), exclude: options.exclude, file: shownFile });
    // Only a command that runs is the one r re-runs: after a typo, r is still the last run.
    last = command;
    const runConcurrency = options.concurrency === undefined ? concurrency : parseConcurrency(options.concurrency);
    runs += 1;
    const time = new Date().toTimeString().slice(0, 8);
    const label = request.retryOf ? `retry of ${request.retryOf.slice(0, 8)}` : [...command.keys, ...prompts.describeFlags(options)].join(" ");
    write(`\n${c.dim(`── run ${runs} · ${label} · ${time} ${"─".repeat(Math.max(3, 40 - label.length))}`)}\n`);
    const reporter = await createRunReporter(output, { cwd: ctx.cwd, header: false });
    const history = recordRuns(defs.file, sessionOptions.history, ctx, output);
    const interrupt = new AbortController();
    running = interrupt;
    try {
      const result = await materialize({
        defs,
        assets,
        target,
        concurrency: runConcurrency,
        // Without a partition flag a partitioned asset runs for its newest partition: what a dev loop wants to see.
        partitions: request.partitions ?? (request.retryOf ? null : { kind: "last" }),
        singleRun: request.singleRun,
        extras: request.extras,
        retryOf: request.retryOf,
        only: request.only,
        done: request.done,
        emit: (event) => {
          history.onEvent(event);
          reporter.onEvent(event);
          hub?.broadcast(event);
        },
        signal: interrupt.signal,
        cwd: ctx.cwd,
        env: ctx.env,
      });
      if (!interrupt.signal.aborted && (result.fatal || result.counts.failed + result.counts.skipped > 0 || result.checksFailed)) failedRuns += 1;
    } finally {
      running = undefined;
      reporter.close();
      history.close();
    }
    if (interrupt.signal.aborted && !stopping) write(`${c.yellow("⊘ run interrupted")} ${c.dim("· back at the prompt (Ctrl-C again, or q, quits)")}\n`);
  };
  const runKeys = (keys: string[]) => run({ keys, options: { exclude: [], extra: [] } });

  const list = () => {
    const warnings = runtimeNotices(defs, defs.assets, calendarToday(ctx.env));
    write(`\n${renderList(defs, output, ctx.cwd, undefined, warnings)}${c.dim(commands.HELP_LINE)}\n`);
  };

  const filesChanged = async (files: string[]) => {
    const effect = changeEffect(files, functionSpecs(defs, defs.file));
    const names = files.map((f) => displayPath(f, ctx.cwd)).join(", ");
    if (effect.kind === "none") return;
    if (effect.kind === "reload-definitions") {
      try {
        const fresh = await load();
        defs = fresh;
        if (emulator) {
          for (const spec of functionSpecs(defs, defs.file)) emulator.register(spec);
          // The functions that ran get a fresh worker started now, while the target is opened and the run set up.
          for (const spec of functionSpecs(defs, defs.file)) emulator.restart(spec.name);
        }
        await target.close();
        target = await openTarget(defs, emulator ? { emulator } : {});
        notice(`${c.cyan("↻")} ${names} changed: definitions reloaded (${defs.assets.length} assets)\n`);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        notice(`${c.red("✖")} ${names} changed, and the definitions no longer load:\n${error.message}\n${c.yellow("  keeping the last good definitions until this is fixed")}\n`);
        return;
      }
    } else if (emulator) {
      // Restarted already, as each file event came (restartEarly below): again would throw the fresh worker away.
      notice(`${c.cyan("↻")} ${names} changed: restarted ${effect.functions.join(", ")}\n`);
    } else {
      notice(`${c.yellow("↻")} ${names} changed: profile ${defs.profile.name} runs ${effect.functions.join(", ")} on ${target.description}; deploy it with pipes deploy-handler\n`);
      return;
    }
    if (options.watchRun && last) await run(last);
  };

  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const handle = (line: string) => {
    const command = commands.parseCommand(line);
    switch (command.kind) {
      case "empty":
        return prompt();
      case "quit":
        return void queue.then(finish); // after what is queued: scripts end with quit
      case "help":
        write(`${c.dim(commands.HELP_LINE)}\n`);
        return prompt();
      case "list":
        return enqueue(async () => list());
      case "all":
        return enqueue(() => runKeys(defs.assets.map((a) => a.key)));
      case "rerun":
        // In the queue, so "the last" is the last command run before it, also when commands come faster than
        // runs (a script, or typing ahead while one runs).
        return enqueue(async () => {
          if (last) return run(last);
          write(`${c.yellow("Nothing ran yet: type an asset name, or a for all.")}\n`);
        });
      case "invalid":
        return enqueue(async () => {
          throw new UserError(command.message);
        });
      case "materialize":
        return enqueue(async () => {
          const parsed = prompts.parsePromptRun(command.args);
          if ("help" in parsed) write(parsed.help);
          else await run(parsed);
        });
    }
  };

  write(`${c.bold("pipes dev")} ${c.dim("·")} ${shownFile} ${c.dim("·")} profile ${c.cyan(defs.profile.name)}${emulator ? c.dim(` · emulator ${emulator.url}`) : ""}\n`);
  list();
  /**
   * A file of a function's folder changed: its workers restart at once, not when the save's batch settles, so the
   * fresh worker's process start overlaps the settling and the run's setup. Every event restarts again, so the
   * worker that stays started after the save's last write, and loads the code as saved.
   */
  const restartEarly = (file: string) => {
    const effect = changeEffect([file], functionSpecs(defs, defs.file));
    if (emulator && effect.kind === "restart-functions") for (const name of effect.functions) emulator.restart(name);
  };
  const watcher = watchTree(dirname(defs.file), (files) => enqueue(() => filesChanged(files)), restartEarly);
  await watcher.ready;
  write(`${c.dim(`watching ${displayPath(dirname(defs.file), ctx.cwd)} for changes`)}\n`);
  const location = await import("../history/location.js");
  const ui = hub
    ? await (await import("../ui/server.js")).startUi({
        port: uiPort,
        historyDir: location.historyDir(defs.file),
        cwd: ctx.cwd,
        maxRunBytes: location.historyLimits(ctx.env).maxRunBytes,
        cacheBytes: uiCacheBytes(ctx.env),
        defs: async () => defs,
        live: hub,
        // A run from the page waits its turn like one typed at the prompt; the terminal still says why one failed,
        // and the page hears it too (the definitions may have changed since the click).
        materialize: (assets) =>
          new Promise<void>((resolve, reject) =>
            enqueue(() =>
              runKeys(assets).then(resolve, (error: unknown) => {
                reject(error);
                throw error;
              }),
            ),
          ),
      })
    : undefined;
  if (ui) write(`UI on ${ui.url}?token=${ui.token} ${c.dim("(the token lets the page read the history and run assets)")}\n`);

  rl = createInterface({
    input: process.stdin,
    output: tty ? ctx.stdout : undefined,
    terminal: tty,
    prompt: tty ? `${c.cyan("pipes")} ${c.dim("›")} ` : "",
    completer: (line: string) => prompts.completeAtPrompt(line, defs),
  });
  rl.on("line", handle);
  rl.on("close", () => void queue.then(finish)); // end of stdin (or Ctrl-D): after what is queued
  let quitting = false;
  const quit = () => {
    if (quitting) {
      write(`${c.yellow("stopped at once")}\n`);
      process.exit(ExitCode.interrupted); // the emulator's reaper still ends the workers
    }
    quitting = stopping = true;
    running?.abort();
    void queue.then(finish);
  };
  // On a terminal, Ctrl-C during a run interrupts that run (its invocations let go, its assets reported interrupted)
  // and comes back to the prompt; at an idle prompt, or while a run is already being interrupted, it quits. SIGTERM ends the
  // session: the run in flight is interrupted and the emulator stopped with its workers; a second one leaves at once.
  const interruptOrQuit = () => {
    // Without a terminal there is no prompt to come back to: Ctrl-C ends a piped session, as it always did.
    if (running && !running.signal.aborted && !quitting && process.stdin.isTTY) {
      running.abort();
      if (tty) ctx.stdout.write("\r\x1b[K");
      write(`${c.yellow("⊘ interrupting the run")}\n`);
      return;
    }
    quit();
  };
  process.on("SIGINT", interruptOrQuit);
  process.on("SIGTERM", quit);
  rl.on("SIGINT", interruptOrQuit);
  prompt();

  await done;
  process.off("SIGINT", interruptOrQuit);
  process.off("SIGTERM", quit);
  await ui?.close();
  await watcher.close();
  rl.close();
  if (tty) write("\n");
  await target.close();
  await emulator?.close();
  write(`${c.dim("pipes dev stopped.")}\n`);
  // A script piped to the prompt (stdin not a terminal) tells how it went, as pipes materialize would.
  if (!process.stdin.isTTY) return invalidCommands > 0 ? ExitCode.usage : failedRuns > 0 ? ExitCode.assetFailed : ExitCode.ok;
  return ExitCode.ok;
}

