/**
 * Stacks as the user knows their code: paths relative to the project, the function's own folder instead of the
 * place its code ran from (the emulator's task roots and bundles in the temp dir, `/var/task` on Lambda), and no
 * frames of the runtime's bootstrap or of the pipes handler library, which say nothing about the user's code.
 * TypeScript lines come mapped already: a bundled handler runs with its source map (src/emulator/builds.ts).
 * Applied once to a step's events as they are emitted, so every view (text, `--json`, JUnit, GitHub annotations,
 * Markdown, history, the page) shows the same frames. Pure.
 */
import type { RunEvent } from "../run/events.js";

export interface FrameRoots {
  /** The project's folder (the definitions file's): paths under it are shown relative to it. */
  project: string;
  /** The function's source folder, which its code ran from; null when the step has none (an asset's own run). */
  functionFolder: string | null;
  /**
   * Where a position in a bundle deploy-handler uploaded came from (its kept source map, src/run/deployed-maps.ts):
   * an absolute path, 1-based line and column; null when there is no map for it.
   */
  deployed?: (bundleFile: string, line: number, column: number) => { file: string; line: number; column: number } | null;
}

/** Where a function's code ran: an emulator task root, bundle or upload, or Lambda's task root. */
const RAN_FROM = /(?:file:\/\/)?(?:[^\s"'(]*\/pipes-emulator-[A-Za-z0-9]+\/(?:(?:tasks|builds)\/[0-9a-f]+|[A-Za-z0-9_-]+-\d+)|\/var\/task)\//g;
/** A Node.js frame of the runtime or the handler library. */
const NODE_RUNTIME_FRAME = /^\s*at .*(?:node-bootstrap\.mjs|pipes-lambda\.cjs|node:internal\/|\/var\/runtime\/|new Promise \(<anonymous>\))/;
/**
 * A Python frame's first line (`File "app.py", line 5, in handler`, or Lambda's frame of a syntax error,
 * `File "/var/task/app.py" Line 5`), and those of the runtime or the handler library.
 */
const PYTHON_FRAME = /^\s*File "([^"]+)",? [Ll]ine (\d+)/;
const PYTHON_RUNTIME_FILE = /python_bootstrap\.py$|pipes_lambda\.py$|^\/var\/runtime\//;
/** The first line of the Python runtime's report of an uncaught error. */
const PYTHON_ERROR_REPORT = /^\[ERROR\] [A-Za-z_][\w.]*(?::|$)/;
/** `at fn (path:line:col)` or `at path:line:col`. */
const NODE_FRAME = /^\s*at (?:.*\()?([^()\s]+):(\d+):\d+\)?\s*$/;

/**
 * A position in a deployed zip's code: Lambda's task root, or an upload to a `pipes emulator` (`/var/task/index.js:12:7`);
 * not the emulator's own task roots and bundles of definitions-file functions, which run from the sources or map
 * themselves.
 */
const DEPLOYED_POSITION = /(?:file:\/\/)?(?:[^\s"'(]*\/pipes-emulator-[A-Za-z0-9]+\/[A-Za-z0-9_-]+-\d+|\/var\/task)\/([^\s:()"']+):(\d+):(\d+)/g;

/** A text's paths as the user knows them. */
export function userPaths(text: string, roots: FrameRoots): string {
  let out = text;
  const deployed = roots.deployed;
  if (deployed) {
    out = out.replace(DEPLOYED_POSITION, (whole, file: string, line: string, column: string) => {
      const at = deployed(file, Number(line), Number(column));
      return at ? `${at.file}:${at.line}:${at.column}` : whole;
    });
  }
  out = out.replace(RAN_FROM, () => (roots.functionFolder ? `${roots.functionFolder}/` : ""));
  const project = `${roots.project.replace(/\/+$/, "")}/`;
  out = out.split(`file://${project}`).join("").split(project).join("");
  return out;
}

/**
 * A stack's lines with the user's paths and without runtime frames (a Python frame goes with the source lines
 * below it). Lines that are not frames stay.
 */
export function userTrace(trace: string[], roots: FrameRoots): string[] {
  const out: string[] = [];
  let skipping = false;
  for (const line of trace) {
    const python = PYTHON_FRAME.exec(line);
    if (python) skipping = PYTHON_RUNTIME_FILE.test(python[1]!);
    else if (skipping && /^\s/.test(line) && !/^\s*at /.test(line)) continue; // the skipped frame's source lines
    else skipping = false;
    if (skipping || NODE_RUNTIME_FRAME.test(line)) continue;
    out.push(userPaths(line, roots));
  }
  return out;
}

/** True for a line that is a frame of the runtime or of the handler library. */
export function isRuntimeFrame(line: string): boolean {
  const python = PYTHON_FRAME.exec(line);
  return NODE_RUNTIME_FRAME.test(line) || (python !== null && PYTHON_RUNTIME_FILE.test(python[1]!));
}

/**
 * Where in the user's files an error was thrown, from its (mapped) trace: the innermost frame in a project file
 * (relative path, not under node_modules). Node.js lists the innermost frame first, Python last.
 */
export function userLocation(trace: string[]): { file: string; line: number } | null {
  const found: Array<{ file: string; line: number }> = [];
  let python = false;
  for (const line of trace) {
    const frame = PYTHON_FRAME.exec(line) ?? NODE_FRAME.exec(line);
    if (!frame) continue;
    python ||= PYTHON_FRAME.test(line);
    const file = frame[1]!.replace(/^file:\/\//, "");
    if (file.startsWith("/") || file.startsWith("<") || file.includes("node_modules/") || file.startsWith("node:") || isRuntimeFrame(line)) continue;
    found.push({ file, line: Number(frame[2]) });
  }
  return (python ? found.at(-1) : found[0]) ?? null;
}

/** A `file:line:col` of the user's in an error's message (a bundled handler that does not parse, say). */
export function messageLocation(message: string): { file: string; line: number } | null {
  const match = /(?:^|[\s(])((?![/.])[\w./@-]+\.[cm]?[jt]s):(\d+):\d+/.exec(message);
  return match && !match[1]!.includes("node_modules/") ? { file: match[1]!, line: Number(match[2]) } : null;
}

/** Where a diagnosis points (`py/app.py:3:1: No module named 'x'`, src/lambda/diagnose.ts): the first note that starts so. */
export function noteLocation(notes: string[]): { file: string; line: number } | null {
  for (const note of notes) {
    const match = /^((?![/.])[\w./@-]+\.(?:[cm]?[jt]s|py)):(\d+):\d+: /.exec(note);
    if (match && !match[1]!.includes("node_modules/")) return { file: match[1]!, line: Number(match[2]) };
  }
  return null;
}

/**
 * Maps one invocation's events, in order: errors, and Node's and Python's frames in output lines (a handler
 * that logs an error's stack, the runtime's report of an uncaught one), which are dropped or mapped; a Python frame's source lines go with it, so it keeps state.
 */
export class FrameMapper {
  private skippingSource = false;
  /** Within the Python runtime's report of an uncaught error (`[ERROR] Type: message`, then its traceback). */
  private inErrorReport = false;

  constructor(private readonly roots: FrameRoots) {}

  map(event: RunEvent): RunEvent | null {
    switch (event.type) {
      case "error":
        return { ...event, message: userPaths(event.message, this.roots), trace: userTrace(event.trace, this.roots) };
      case "output": {
        // The error event carries that traceback (mapped), so it is shown once: there, not in the log lines too.
        // (Python's logging writes `[ERROR]` and a tab: those lines stay.)
        if (PYTHON_ERROR_REPORT.test(event.text)) {
          this.inErrorReport = true;
          return null;
        }
        if (this.inErrorReport && /^(?:Traceback \(most recent call last\):|\s)/.test(event.text)) return null;
        this.inErrorReport = false;
        const python = PYTHON_FRAME.exec(event.text);
        if (python) this.skippingSource = PYTHON_RUNTIME_FILE.test(python[1]!);
        else if (this.skippingSource && /^\s/.test(event.text)) return null;
        else this.skippingSource = false;
        if (this.skippingSource || NODE_RUNTIME_FRAME.test(event.text)) return null;
        // Only frames: what else a function prints (a path it was asked for) is its own business.
        return python || /^\s*at /.test(event.text) ? { ...event, text: userPaths(event.text, this.roots) } : event;
      }
      default:
        return event;
    }
  }
}
