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
  stderr: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}): Output {
  const { env } = options;
  const ci = env.CI !== undefined && env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  const mode: OutputMode = options.json ? "json" : options.stdout.isTTY && !ci ? "pretty" : "plain";
  const forced = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" && env.FORCE_COLOR !== "false";
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  const colored = mode !== "json" && !noColor && (mode === "pretty" || forced);
  return { mode, color: new Chalk({ level: colored ? 2 : 0 }), stdout: options.stdout, stderr: options.stderr };
}
