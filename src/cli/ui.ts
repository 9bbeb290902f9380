/** `pipes ui`: the page of the pipeline (graph, runs, timelines, metadata) from its definitions and history. */
import type { Command } from "commander";
import { spawn } from "node:child_process";
import { UserError } from "../errors.js";
import { CACHE_ENV, cacheBytes } from "../history/cache.js";
import { outputFor, type CliContext } from "./context.js";
import { onStopSignal } from "./process-signals.js";
import { withSharedOptions } from "./shared-options.js";

interface UiOptions {
  file?: string;
  profile?: string;
  port: string;
  open?: boolean;
}

export function registerUi(program: Command, ctx: CliContext): void {
  withSharedOptions(program.command("ui").description("a local web page of the pipeline: the asset graph, runs and their timelines, metadata plots"), "file", "profile")
    .option("--port <n>", "the port on 127.0.0.1 (0 picks a free one)", "0")
    .option("--open", "open the page in the default browser")
    .action(async (options: UiOptions) => {
      ctx.exitCode = await runUi(options, ctx);
    });
}

export function parsePort(text: string, flag: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`${flag} ${text} is not a port number (0–65535).`);
  return port;
}

/** `PIPES_UI_CACHE_MB`: how much of the history the server keeps between requests. */
export function uiCacheBytes(env: Record<string, string | undefined>): number {
  const bytes = cacheBytes(env);
  if (bytes === null) throw new UserError(`${CACHE_ENV}=${env[CACHE_ENV]}: expected a size in MB, 0 or more, e.g. 200`);
  return bytes;
}

async function runUi(options: UiOptions, ctx: CliContext): Promise<number> {
  const port = parsePort(options.port, "--port");
  const [{ loadDefinitions }, { historyDir, historyLimits }, { startUi }] = await Promise.all([import("../defs/load.js"), import("../history/location.js"), import("../ui/server.js")]);
  const load = () => loadDefinitions({ file: options.file, profile: options.profile, cwd: ctx.cwd, env: ctx.env });
  const defs = await load();
  let last = defs;
  const ui = await startUi({
    port,
    historyDir: historyDir(defs.file),
    cwd: ctx.cwd,
    maxRunBytes: historyLimits(ctx.env).maxRunBytes,
    cacheBytes: uiCacheBytes(ctx.env),
    // Read again on each request: an edited defs file shows on reload; one that no longer loads keeps the last good one.
    defs: async () => (last = await load().catch(() => last)),
  }).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(error.code === "EADDRINUSE" ? `--port ${port} is in use: pick another, or 0 for a free one.` : `Cannot start the UI server: ${error.message}`);
  });
  const c = outputFor(ctx, {}).color;
  // The page reads the history with the token (another user of the machine can reach the port, not the token).
  const url = `${ui.url}?token=${ui.token}`;
  ctx.stdout.write(`Ready on ${url}\n${c.dim("Ctrl-C stops it. Open the page from this URL: its token lets it read the history. pipes dev --ui serves the same page, live, with a Materialize button.")}\n`);
  if (options.open) openBrowser(url);
  await new Promise<void>((resolve) => onStopSignal(resolve));
  await ui.close();
  return 0;
}

/** The platform's opener; a machine without one just does not open a page. */
export function openBrowser(url: string): void {
  const command = process.platform === "darwin" ? "open" : process.platform === "win32" ? "explorer" : "xdg-open";
  const child = spawn(command, [url], { stdio: "ignore", detached: true });
  child.on("error", () => undefined);
  child.unref();
}
