/**
 * The diagnosis of a failed invocation (src/lambda/diagnose.ts) from what the run knows: the function's settings in
 * the definitions, its peak memory from the REPORT line, and (for a handler that is not found or does not parse)
 * what its file holds.
 */
import { dirname, relative } from "node:path";
import { handlerFileCandidates } from "../defs/handler-path.js";
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { diagnose } from "../lambda/diagnose.js";
import type { RunEventOf } from "./events.js";

/** `cwd`: where paths are shown from (the user's working directory). */
export async function diagnoseFailure(defs: ResolvedDefinitions, cwd: string, functionName: string, error: RunEventOf<"error">, maxMemoryMb: number | null): Promise<string | null> {
  const fn = defs.functions.get(functionName);
  if (!fn || error.source !== "function") return null;
  const needsFile = error.errorType === "Runtime.HandlerNotFound" || error.errorType === "Runtime.UserCodeSyntaxError";
  const file = needsFile
    ? await (await import("../defs/handler-file.js")).inspectHandlerFile(handlerFileCandidates(dirname(defs.file), fn.handler, fn.runtime), cwd).catch(() => null)
    : null;
  return diagnose({
    errorType: error.errorType,
    message: error.message,
    functionName,
    defsFile: relative(cwd, defs.file) || defs.file,
    handler: fn.handler,
    memoryMb: fn.memoryMb,
    timeoutSeconds: fn.timeoutSeconds,
    usedMb: maxMemoryMb,
    exports: file?.exports ?? null,
    syntax: file?.syntax ?? null,
  });
}
