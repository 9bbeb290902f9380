import { Chalk, type ChalkInstance } from "chalk";

/** pretty: a terminal (colour, spinners); plain: the same text without them; json: machine output. */
export type OutputMode = "pretty" | "plain" | "json";

export interface Output {
  mode: OutputMode;
  /** Colours; a no-op instance when colour is off. */
  color: ChalkInstance;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Picks the mode once, from the flags and the environment (`NO_COLOR`, `FORCE_COLOR`, `CI`, a TTY). */
export function createOutput(options: {
  json?: boolean;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  env: Record<string, string | undefined>;
}): Output {
  const { env } = options;
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  // A terminal nobody sized (0 × 0: `script -qec "pipes …"` in CI, a container's pty) cannot be redrawn in place:
  // ora counts the lines to clear as width / 0 and clears forever, in one loop that Ctrl-C cannot stop. Plain there.
  const unsized = options.stderr.isTTY === true && !options.stderr.columns;
  const mode: OutputMode = options.json ? "json" : options.stdout.isTTY && !ci && !unsized ? "pretty" : "plain";
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  const colored = mode !== "json" && !noColor && (mode === "pretty" || forced);
  return { mode, color: new Chalk({ level: colored ? 2 : 0 }), stdout: options.stdout, stderr: options.stderr };
}
