/**
 * What a Python handler's file holds, read by the function's own interpreter without running the file
 * (python_handler_file.py: compile and ast only): where it or a module of its folder fails to compile, the
 * callables it defines, and the import statement that names what Python could not import. Null when the
 * interpreter does not answer.
 */
import { execFile } from "node:child_process";
import { dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { HandlerFile, SourceAt } from "./handler-file.js";

/** dist/defs/ and dist/cli-bundle/ both sit two folders below the package root, beside src/. */
const SCRIPT = fileURLToPath(new URL("../../src/defs/python_handler_file.py", import.meta.url));
/** Reading a handler and its own imports takes milliseconds; a stuck interpreter must not hold the run. */
const TIMEOUT_MS = 10_000;

/** What Python could not import, from Runtime.ImportModuleError's message. */
export interface MissingImport {
  module: string;
  /** `from module import name` where the module has no `name`. */
  name: string | null;
}

/** `No module named 'x.y'`, or `cannot import name 'n' from 'x'` (Python's words, which Lambda's message keeps). */
export function missingImport(message: string): MissingImport | null {
  const from = /cannot import name '([^']+)' from '([^']+)'/.exec(message);
  if (from) return { module: from[2]!, name: from[1]! };
  const module = /No module named '([^']+)'/.exec(message);
  return module ? { module: module[1]!, name: null } : null;
}

interface Answer {
  syntax: (SourceAt & { text: string }) | null;
  defines: string[] | null;
  import: SourceAt | null;
}

/** `cwd`: where the paths are shown from. */
export async function inspectPythonHandlerFile(file: string, cwd: string, interpreter: string, missing: MissingImport | null): Promise<HandlerFile | null> {
  const args = ["-I", "-B", SCRIPT, file, dirname(file), missing?.module ?? "", missing?.name ?? ""];
  const out = await new Promise<string | null>((resolve) => {
    execFile(interpreter, args, { encoding: "utf8", timeout: TIMEOUT_MS, maxBuffer: 1 << 20 }, (error, stdout) => resolve(error ? null : stdout));
  });
  let answer: Answer;
  try {
    answer = JSON.parse(out ?? "") as Answer;
  } catch {
    return null;
  }
  const shown = <T extends SourceAt>(at: T | null): T | null => (at ? { ...at, file: relative(cwd, at.file) || at.file } : null);
  return { exports: answer.defines, syntax: shown(answer.syntax), importAt: shown(answer.import) };
}
