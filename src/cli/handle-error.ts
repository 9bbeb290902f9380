// commander is bundled into the CLI (scripts/build-cli.mjs), so it is imported as any module is.
import { CommanderError } from "commander";
import { ExitCode, UserError } from "../errors.js";
import type { CliContext } from "./context.js";
import { sourceMappedStack } from "./crash-stack.js";

/**
 * The one place errors become output and exit codes. A UserError shows its message; a commander usage
 * error was already printed by commander; anything else is a bug and shows its stack.
 */
export function handleError(error: unknown, ctx: CliContext, json: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") {
      return ExitCode.ok;
    }
    if (json) writeJson(ctx, error.message.replace(/^error: /, ""), ExitCode.usage);
    return ExitCode.usage;
  }
  if (error instanceof UserError) {
    ctx.stderr.write(`${prefix(ctx)}${error.message}\n`);
    if (json) writeJson(ctx, error.message, error.exitCode);
    return error.exitCode;
  }
  const stack = error instanceof Error ? sourceMappedStack(error.stack ?? error.message) : String(error);
  ctx.stderr.write(`${prefix(ctx)}pipes crashed, which is a bug in pipes. Please report it with this trace:\n${stack}\n`);
  if (json) writeJson(ctx, String(error instanceof Error ? error.message : error), ExitCode.assetFailed);
  return ExitCode.assetFailed;
}

function prefix(ctx: CliContext): string {
  const color = ctx.stderr.isTTY && !ctx.env.NO_COLOR;
  return color ? "\u001b[31m✖\u001b[39m " : "✖ ";
}

function writeJson(ctx: CliContext, message: string, exitCode: number): void {
  ctx.stdout.write(`${JSON.stringify({ type: "error", exitCode, message })}\n`);
}
