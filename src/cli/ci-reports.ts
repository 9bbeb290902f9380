/**
 * The reports CI systems read, for `materialize`: `--junit FILE`, `--report md=FILE` (also `junit=FILE`), and under
 * GitHub Actions (`GITHUB_ACTIONS=true`) annotations, a group per asset in the log and the job summary appended
 * to `$GITHUB_STEP_SUMMARY`. Nothing is kept unless one of them is asked for.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { UserError } from "../errors.js";
import { annotationCommand, annotations, assetLine, END_GROUP, groupCommand, resumeCommands, stopCommands } from "../report/ci/github.js";
import { renderJunit } from "../report/ci/junit.js";
import { renderMarkdown } from "../report/ci/markdown.js";
import { RunRecorder } from "../report/ci/records.js";
import type { Output } from "../report/output.js";
import type { RunEvent } from "../run/events.js";
import { displayPath } from "../util/paths.js";
import type { CliContext } from "./context.js";

export interface CiReporting {
  onEvent(event: RunEvent): void;
  /** Wraps an asset's block of text output (a collapsible group on GitHub Actions). */
  wrapBlock: ((block: string) => string) | undefined;
  /** Writes the reports; false when one could not be written (said on stderr). */
  finish(): boolean;
  /** After a run that ended without finish (a crash): workflow commands work again after pipes. */
  close(): void;
}

interface Targets {
  junit: string[];
  md: string[];
}

/** `--report md=FILE` / `junit=FILE` (repeatable) and `--junit FILE`, checked before anything runs. */
export function reportTargets(junit: string | undefined, reports: string[], cwd: string): Targets {
  const targets: Targets = { junit: [], md: [] };
  // A report that could not be written is found out before the run, not after it.
  const add = (list: string[], file: string, flag: string) => {
    const path = resolve(cwd, file);
    if (!isDirectory(dirname(path))) throw new UserError(`${flag}: the folder ${displayPath(dirname(path), cwd)} does not exist`);
    list.push(path);
  };
  if (junit) add(targets.junit, junit, `--junit ${junit}`);
  for (const report of reports) {
    const match = /^(md|markdown|junit)=(.+)$/.exec(report);
    if (!match) throw new UserError(`--report ${report}: expected md=FILE (a Markdown summary) or junit=FILE (JUnit XML)`);
    add(match[1] === "junit" ? targets.junit : targets.md, match[2]!, `--report ${report}`);
  }
  return targets;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function ciReports(targets: Targets, ctx: CliContext, output: Output, defsFile: string): CiReporting {
  const github = ctx.env.GITHUB_ACTIONS === "true";
  const summaryFile = github ? ctx.env.GITHUB_STEP_SUMMARY : undefined;
  if (!github && targets.junit.length + targets.md.length === 0) return { onEvent() {}, wrapBlock: undefined, finish: () => true, close() {} };
  const recorder = new RunRecorder();
  const text = github && output.mode !== "json";
  // Under GitHub Actions, no line of the text output is a command, whatever a function printed, but our own.
  const token = randomBytes(16).toString("hex");
  const commands = (...lines: string[]) => `${resumeCommands(token)}\n${lines.join("\n")}\n${stopCommands(token)}\n`;
  let stopped = text;
  if (text) ctx.stdout.write(`${stopCommands(token)}\n`);
  const resume = () => {
    if (stopped) ctx.stdout.write(`${resumeCommands(token)}\n`);
    stopped = false;
  };
  const title = () => `pipes materialize · ${displayPath(defsFile, ctx.cwd)} · profile ${recorder.run.start?.profile ?? ""}`;
  return {
    onEvent: (event) => recorder.onEvent(event),
    wrapBlock: text
      ? (block) => {
          const [head = "", ...rest] = block.replace(/\n$/, "").split("\n");
          return rest.length ? `${commands(groupCommand(stripVTControlCharacters(head)))}${rest.join("\n")}\n${commands(END_GROUP)}` : `${head}\n`;
        }
      : undefined,
    finish() {
      let written = true;
      const write = (file: string, content: string, append = false) => {
        try {
          (append ? appendFileSync : writeFileSync)(file, content);
        } catch (error) {
          written = false;
          ctx.stderr.write(`✖ could not write the report ${displayPath(file, ctx.cwd)}: ${(error as Error).message}\n`);
        }
      };
      const run = recorder.run;
      for (const file of targets.junit) write(file, renderJunit(run, title()));
      const markdown = targets.md.length || summaryFile ? renderMarkdown(run, title()) : "";
      for (const file of targets.md) write(file, markdown);
      if (summaryFile) write(summaryFile, markdown, true);
      if (github) {
        let defsText = "";
        try {
          defsText = readFileSync(defsFile, "utf8");
        } catch {} // annotations go without a line then
        const file = displayPath(defsFile, ctx.cwd);
        const lines = annotations(run, (asset) => assetLine(defsText, asset)).map((a) =>
          annotationCommand(a, a.file ? displayPath(resolve(dirname(defsFile), a.file), ctx.cwd) : file),
        );
        resume();
        if (text) ctx.stdout.write(lines.map((l) => `${l}\n`).join(""));
        else if (lines.length) ctx.stderr.write(lines.map((l) => `${l}\n`).join(""));
      }
      return written;
    },
    close: resume,
  };
}
