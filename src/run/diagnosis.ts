/**
 * The diagnosis of a failed invocation (src/lambda/diagnose.ts) from what the run knows: the function's settings in
 * the definitions, its peak memory from the REPORT line, and (for a handler that is not found, does not parse or,
 * in Python, cannot import what it imports) what its file holds.
 */
import { dirname, relative } from "node:path";
import type { HandlerFile } from "../defs/handler-file.js";
import { handlerFileCandidates } from "../defs/handler-path.js";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import type { PythonEnvironment } from "../emulator/python.js";
import { isPythonRuntime } from "../facts/lambda.js";
import { diagnose } from "../lambda/diagnose.js";
import type { RunEventOf } from "./events.js";

/** Load failures, whose diagnosis reads the handler's file. */
const READS_THE_FILE = new Set(["Runtime.HandlerNotFound", "Runtime.UserCodeSyntaxError", "Runtime.ImportModuleError"]);

/**
 * `cwd`: where paths are shown from (the user's working directory); `env`: where a Python function's interpreter is
 * looked up, as the emulator does (src/emulator/python.ts).
 */
export async function diagnoseFailure(
  defs: ResolvedDefinitions,
  cwd: string,
  functionName: string,
  error: RunEventOf<"error">,
  maxMemoryMb: number | null,
  env: PythonEnvironment,
): Promise<string | null> {
  const fn = defs.functions.get(functionName);
  if (!fn || error.source !== "function") return null;
  const python = isPythonRuntime(fn.runtime);
  const candidates = handlerFileCandidates(dirname(defs.file), fn.handler, fn.runtime);
  let file: HandlerFile | null = null;
  if (READS_THE_FILE.has(error.errorType) && python) {
    const [{ existsSync }, { inspectPythonHandlerFile, missingImport }, { PythonResolver }] = await Promise.all([
      import("node:fs"),
      import("../defs/python-handler-file.js"),
      import("../emulator/python.js"),
    ]);
    const found = candidates.find((c) => existsSync(c));
    const missing = error.errorType === "Runtime.ImportModuleError" ? missingImport(error.message) : null;
    const useful = error.errorType !== "Runtime.ImportModuleError" || missing !== null;
    if (found && useful) file = await inspectPythonHandlerFile(found, cwd, new PythonResolver(env).choose(fn.runtime).command, missing).catch(() => null);
  } else if (READS_THE_FILE.has(error.errorType) && error.errorType !== "Runtime.ImportModuleError") {
    file = await (await import("../defs/handler-file.js")).inspectHandlerFile(candidates, cwd).catch(() => null);
  }
  return diagnose({
    errorType: error.errorType,
    message: error.message,
    functionName,
    defsFile: relative(cwd, defs.file) || defs.file,
    handler: fn.handler,
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    usedMb: maxMemoryMb,
    python,
    exports: file?.exports ?? null,
    syntax: file?.syntax ?? null,
    importAt: file?.importAt ?? null,
    functionFolder: relative(cwd, dirname(candidates[0]!)) || ".",
  });
}
