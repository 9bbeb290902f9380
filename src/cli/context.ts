import { createOutput, type Output } from "../report/output.js";

/** What a command needs from the process, passed in so commands stay testable and never touch globals. */
export interface CliContext {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Set by the command, read by `main` once it returns. */
  exitCode: number;
}

export function outputFor(ctx: CliContext, options: { json?: boolean }): Output {
  return createOutput({ json: options.json, stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env });
}
