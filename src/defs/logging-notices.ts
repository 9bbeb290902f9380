/**
 * Functions whose pipes messages Lambda would drop: the JSON log format at an ApplicationLogLevel above INFO files
 * every JSON line without a `level` as INFO and drops it, and Dagster's dagster_pipes (or a handler writing the
 * lines itself) writes exactly such lines. pipes' own handler libraries tag theirs, so only handlers that do not
 * use them are named. One sentence each, naming the function, its level and the fix; given before a run.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { dropsLevellessLines } from "../facts/lambda.js";
import { handlerFileCandidates } from "./handler-path.js";
import { effectiveLogging } from "./logging.js";
import type { Asset, ResolvedDefinitions } from "./normalized.js";

/** The handler libraries pipes ships, as a handler imports them. */
const PIPES_LIBRARY = /pipes[-_]lambda/;

export function loggingNotices(defs: Pick<ResolvedDefinitions, "functions" | "profile" | "file">, assets: readonly Asset[]): string[] {
  const names = new Set(assets.filter((a) => a.function && !a.run).map((a) => a.function!));
  const notices: string[] = [];
  for (const name of names) {
    const fn = defs.functions.get(name);
    const logging = effectiveLogging(fn, defs.profile);
    if (logging?.format !== "JSON" || !dropsLevellessLines(logging.applicationLevel)) continue;
    if (fn && usesPipesLibrary(fn, dirname(defs.file))) continue;
    notices.push(
      `function ${name}: logs in the JSON format at applicationLevel ${logging.applicationLevel}, where Lambda drops JSON lines without a "level" — ` +
        `the plain pipes message lines Dagster's dagster_pipes writes — so pipes would get no messages from it. ` +
        `Use pipes' handler library (pipes_lambda.py / pipes-lambda.cjs: \`pipes vendor\`), or set logging.applicationLevel to "INFO"`,
    );
  }
  return notices;
}

/** The handler's file imports pipes' handler library (a function without a handler file here cannot be checked). */
function usesPipesLibrary(fn: { handler: string; runtime: Parameters<typeof handlerFileCandidates>[2] }, defsDir: string): boolean {
  if (!fn.handler) return false;
  for (const file of handlerFileCandidates(defsDir, fn.handler, fn.runtime)) {
    try {
      return PIPES_LIBRARY.test(readFileSync(file, "utf8"));
    } catch {
      // try the next candidate
    }
  }
  return false;
}
