/**
 * A failed invocation said in words: what Lambda's error means for this function, and the setting or code to change.
 * Lambda's own words (Runtime.OutOfMemory, Sandbox.Timedout, ...) stay as they are in the error; this adds the
 * cause and the fix, naming the function and the definitions file. Pure.
 */
import { MEMORY_MAX_MB, MEMORY_MIN_MB, SYNC_PAYLOAD_LIMIT, TIMEOUT_MAX_SECONDS } from "../facts/lambda.js";

export interface FailureFacts {
  errorType: string;
  message: string;
  /** The function's name in the definitions file. */
  functionName: string;
  /** The definitions file, as shown to the user. */
  defsFile: string;
  handler: string;
  memoryMb: number;
  timeoutSeconds: number;
  /** Peak memory from the REPORT line, when the log had it. */
  usedMb: number | null;
  /** What the handler's file exports, when it could be read (HandlerNotFound). */
  exports?: string[] | null;
  /** Where the handler's file fails to parse, when it does (UserCodeSyntaxError). */
  syntax?: { file: string; line: number; column: number; lineText: string; text: string } | null;
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

export function diagnose(f: FailureFacts): string | null {
  const fn = `function "${f.functionName}"`;
  switch (f.errorType) {
    case "Sandbox.Timedout":
      return (
        `${fn} ran for its whole timeout (${f.timeoutSeconds} s) and was stopped; its last lines are above. ` +
        `Find what it waits on, or raise timeout of ${fn} in ${f.defsFile} (Lambda allows up to ${TIMEOUT_MAX_SECONDS} s).`
      );
    case "Runtime.OutOfMemory":
      return (
        `${fn} ${f.usedMb !== null ? `used ${f.usedMb} MB of its ${f.memoryMb} MB` : `outgrew its ${f.memoryMb} MB`} and was stopped. ` +
        `Raise memory of ${fn} in ${f.defsFile} (${MEMORY_MIN_MB}–${MEMORY_MAX_MB.toLocaleString("en-US")} MB; its CPU share grows with it), or process the data in smaller pieces.`
      );
    case "Function.ResponseSizeTooLarge":
      return (
        `${fn} returned more than the ${mb(SYNC_PAYLOAD_LIMIT)} Lambda returns from an invocation. Return less: write large results ` +
        "to storage (S3) and return where they are. Pipes messages and metadata travel in the log, not in the return value."
      );
    case "Runtime.HandlerNotFound": {
      const dot = f.handler.lastIndexOf("/") + 1 + f.handler.slice(f.handler.lastIndexOf("/") + 1).indexOf(".");
      const wanted = f.handler.slice(dot + 1);
      const found = f.exports?.length ? `; its file exports ${f.exports.map((e) => `"${e}"`).join(", ")}` : f.exports ? "; its file exports nothing" : "";
      return `${fn}'s handler "${f.handler}" names the export "${wanted}", which its file does not have${found}. Export it, or change handler of ${fn} in ${f.defsFile}.`;
    }
    case "Runtime.UserCodeSyntaxError":
      if (!f.syntax) return null;
      // esbuild's columns count from 0, an editor's from 1.
      return `${f.syntax.file}:${f.syntax.line}:${f.syntax.column + 1}: ${f.syntax.text}\n    ${f.syntax.lineText}\n    ${" ".repeat(Math.max(0, f.syntax.column))}^`;
    default:
      return null;
  }
}
