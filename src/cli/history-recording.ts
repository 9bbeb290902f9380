/**
 * Run history for `materialize` and `dev`: records each run's events under `.pipes/runs` unless `--no-history`
 * or `PIPES_HISTORY=0`, says once that `.pipes/` can be git-ignored, and turns a failure to write (a full disk,
 * a read-only folder) into one warning: a run never fails for its history.
 */
import { dirname } from "node:path";
import { historyDir, historyEnabled, historyLimits } from "../history/location.js";
import { HistoryRecorder } from "../history/recorder.js";
import type { RunEvent } from "../run/events.js";
import { pipesFolderIgnored } from "../util/git-ignored.js";
import { displayPath } from "../util/paths.js";
import type { CliContext } from "./context.js";
import type { Output } from "../report/output.js";

export interface Recording {
  onEvent(event: RunEvent): void;
  close(): void;
}

export function recordRuns(defsFile: string, flag: boolean | undefined, ctx: CliContext, output: Output): Recording {
  if (!historyEnabled(flag, ctx.env)) return { onEvent() {}, close() {} };
  const dir = historyDir(defsFile);
  const c = output.color;
  let told = false;
  let failed = false;
  const fail = (error: Error) => {
    failed = true;
    ctx.stderr.write(`${c.yellow("⚠")} run history not recorded in ${displayPath(dir, ctx.cwd)}: ${error.message}\n`);
  };
  let recorder: HistoryRecorder;
  try {
    recorder = new HistoryRecorder(dir, fail, historyLimits(ctx.env));
  } catch (error) {
    fail(error as Error);
    return { onEvent() {}, close() {} };
  }
  return {
    onEvent(event) {
      if (failed) return;
      try {
        recorder.onEvent(event);
      } catch (error) {
        recorder.close();
        fail(error as Error);
        return;
      }
      if (recorder.created && !told && event.type === "run-start") {
        told = true;
        const ignoreHint = pipesFolderIgnored(dirname(dirname(dir))) ? "" : " .pipes/ can be git-ignored;";
        ctx.stderr.write(
          c.dim(`ℹ runs are recorded in ${displayPath(dir, ctx.cwd)} (pipes runs, pipes logs, pipes status, --retry);${ignoreHint} --no-history or PIPES_HISTORY=0 turns this off\n`),
        );
      }
    },
    close: () => recorder.close(),
  };
}
