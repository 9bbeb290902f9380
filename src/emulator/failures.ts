/** What the platform answers when a sandbox fails, as Lambda words it (LAMBDA_API.md §1). Pure. */
import type { InvocationStatus } from "./events.js";
import { timeoutLine } from "./log-format.js";

export interface Failure {
  status: InvocationStatus;
  errorType: string;
  errorMessage: string;
  /** The lines the platform adds to the invocation's log. */
  logLines: string[];
}

export function timeoutFailure(requestId: string, seconds: number): Failure {
  return {
    status: "timeout",
    errorType: "Sandbox.Timedout",
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds.toFixed(2)} seconds`,
    logLines: [timeoutLine(requestId, seconds)],
  };
}

/** The runtime process ended during an invocation: a crash, or out of memory. */
export function exitFailure(requestId: string, reason: string, outOfMemory: boolean): Failure {
  const errorType = outOfMemory ? "Runtime.OutOfMemory" : "Runtime.ExitError";
  const errorMessage = `RequestId: ${requestId} Error: Runtime exited with error: ${reason}`;
  return { status: outOfMemory ? "out-of-memory" : "crash", errorType, errorMessage, logLines: [errorMessage, errorType] };
}

/** Lambda's words for how a process ended: `exit status 3`, `signal: killed`. */
export function exitReason(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `signal: ${signal === "SIGKILL" ? "killed" : signal.toLowerCase()}`;
  return `exit status ${code}`;
}

export function failurePayload(failure: Failure): Buffer {
  return Buffer.from(JSON.stringify({ errorType: failure.errorType, errorMessage: failure.errorMessage }));
}
