/**
 * A failed invocation said in words: what Lambda's error means for this function, and the setting or code to change.
 * Lambda's own words (Runtime.OutOfMemory, Sandbox.Timedout, ...) stay as they are in the error; this adds the
 * cause and the fix, naming the function and the definitions file. Pure.
 */
import type { SourceAt } from "../defs/handler-file.js";
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
  /** A Python function: its module defines functions, where a Node.js one exports them. */
  python?: boolean;
  /** What the handler's file exports (a Python module: the callables it defines), when it could be read (HandlerNotFound). */
  exports?: string[] | null;
  /** Where the handler's file (or a Python module it imports) fails to parse, when it does (UserCodeSyntaxError). */
  syntax?: (SourceAt & { text: string }) | null;
  /** The import statement that names what Python could not import (ImportModuleError). */
  importAt?: SourceAt | null;
  /** The function's folder as shown, where its requirements.txt goes. */
  functionFolder?: string;
}

const quoted = (names: string[]) => names.map((e) => `"${e}"`).join(", ");

/** `file:line:column: text` (no text: the place alone), the line, and a caret under the column (an editor's columns count from 1). */
function pointAt(at: SourceAt, text: string | null): string {
  // Tabs stay tabs under the caret, so it lines up however wide the terminal draws them.
  const pad = at.lineText.slice(0, Math.max(0, at.column)).replace(/[^\t]/g, " ").padEnd(at.column);
  return `${at.file}:${at.line}:${at.column + 1}${text === null ? "" : `: ${text}`}\n    ${at.lineText}\n    ${pad}^`;
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
      if (f.python) {
        const found = f.exports?.length ? `; its file defines ${quoted(f.exports)}` : f.exports ? "; its file defines no function" : "";
        return `${fn}'s handler "${f.handler}" names the function "${wanted}", which its file does not define${found}. Define it, or change handler of ${fn} in ${f.defsFile}.`;
      }
      const found = f.exports?.length ? `; its file exports ${quoted(f.exports)}` : f.exports ? "; its file exports nothing" : "";
      return `${fn}'s handler "${f.handler}" names the export "${wanted}", which its file does not have${found}. Export it, or change handler of ${fn} in ${f.defsFile}.`;
    }
    case "Runtime.UserCodeSyntaxError": {
      if (!f.syntax) return null;
      // A TypeScript handler's error already says `file:line:column: text` (src/emulator/builds.ts): only the line
      // and its caret are new, under the place; Python's words ("invalid syntax (app.py, line 2)") keep the text.
      const at = `${f.syntax.file}:${f.syntax.line}:${f.syntax.column + 1}`;
      return pointAt(f.syntax, f.message.includes(`${at}: ${f.syntax.text}`) ? null : f.syntax.text);
    }
    case "Runtime.ImportModuleError": {
      // A TypeScript handler's bundle names the line in the message already (src/emulator/builds.ts).
      if (!f.importAt) return null;
      const why = f.message.replace(/^Unable to import module '[^']*': /, "");
      const where = f.functionFolder ? `${f.functionFolder.replace(/\/+$/, "")}/requirements.txt` : "requirements.txt in the function's folder";
      const hint = /^No module named /.test(why) ? `\n    If it is a package, list it in ${where}: pipes installs it for ${fn}, and deploy-handler puts it in the zip.` : "";
      return `${pointAt(f.importAt, why)}${hint}`;
    }
    default:
      return null;
  }
}
