/**
 * GitHub Actions workflow commands: annotations for failed assets, failed checks and pipes' warnings, with
 * `file=` the definitions file and the asset's line, or, for a function's error, the handler's file and the line
 * that threw (from its mapped stack, report/frames.ts, or where its diagnosis points). A function's output must never become a command, so the
 * whole text output runs under `::stop-commands::<token>` (a random token the function cannot know); pipes'
 * own commands are written in a window it opens with `::<token>::` and closes again. Values are escaped as the
 * runner's rules require. Pure.
 */
import { checkFailsRun } from "../../run/events.js";
import type { RunRecord } from "./records.js";
import { messageLocation, noteLocation, userLocation } from "../frames.js";

/** At most this many annotations of each kind (GitHub shows 10 per step). */
const ANNOTATIONS = 10;

export interface Annotation {
  level: "error" | "warning";
  title: string;
  message: string;
  line: number | null;
  /** The file the line is in, relative to the project, when it is not the definitions file. */
  file?: string;
}

export function annotations(run: RunRecord, lineOf: (asset: string) => number | null): Annotation[] {
  const errors: Annotation[] = [];
  const warnings: Annotation[] = [];
  const rule = run.end?.failOnChecks ?? "error";
  for (const step of run.steps) {
    const line = lineOf(step.asset);
    if (step.status === "failed") {
      // A Python import that fails has no frame: its diagnosis found the import statement.
      const thrown = step.error ? (userLocation(step.error.trace) ?? messageLocation(step.error.message) ?? noteLocation(step.notes)) : null;
      const message = !step.error ? "the asset failed" : step.error.message.startsWith(step.error.type) ? step.error.message : `${step.error.type}: ${step.error.message}`;
      errors.push({ level: "error", title: `pipes: ${step.label} failed`, message, ...(thrown ? { line: thrown.line, file: thrown.file } : { line }) });
    }
    for (const check of step.checks) {
      if (check.passed) continue;
      const gates = checkFailsRun(check.severity, rule);
      const message = check.notReported ? `check ${check.name} of ${step.label} was declared but not reported` : `check ${check.name} of ${step.label} failed (severity ${check.severity})`;
      (gates ? errors : warnings).push({ level: gates ? "error" : "warning", title: `pipes: check ${step.label}:${check.name}`, message, line });
    }
    for (const warning of step.warnings) warnings.push({ level: "warning", title: `pipes: ${step.label}`, message: warning, line });
  }
  for (const warning of run.warnings) warnings.push({ level: "warning", title: "pipes", message: warning, line: null });
  const capped = (list: Annotation[], kind: string) =>
    list.length > ANNOTATIONS ? [...list.slice(0, ANNOTATIONS - 1), { level: list[0]!.level, title: "pipes", message: `… and ${list.length - ANNOTATIONS + 1} more ${kind}: see the job summary`, line: null }] : list;
  return [...capped(errors, "errors"), ...capped(warnings, "warnings")];
}

export function annotationCommand(a: Annotation, file: string): string {
  const props = [`file=${property(file)}`, a.line ? `line=${a.line}` : "", `title=${property(a.title)}`].filter(Boolean).join(",");
  return `::${a.level} ${props}::${data(a.message)}`;
}

export const groupCommand = (title: string): string => `::group::${data(title)}`;
export const END_GROUP = "::endgroup::";
export const stopCommands = (token: string): string => `::stop-commands::${token}`;
export const resumeCommands = (token: string): string => `::${token}::`;

/** The runner's escaping of a command's message. */
export const data = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
/** ... and of a property value. */
export const property = (s: string): string => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

/** The line (1-based) where the definitions text first names `asset` as a key (`orders:`, `"a/b":`), or null. */
export function assetLine(text: string, asset: string): number | null {
  const quoted = asset.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^\\s*(?:${quoted}|"${quoted}"|'${quoted}')\\s*:|key:\\s*["']${quoted}["']`);
  const index = text.split("\n").findIndex((line) => pattern.test(line));
  return index < 0 ? null : index + 1;
}
