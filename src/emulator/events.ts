/** What the emulator tells its embedder; it never prints. */
export type InvocationType = "RequestResponse" | "Event";

export type InvocationStatus = "success" | "error" | "timeout" | "crash" | "out-of-memory" | "init-error";

export interface InvocationStart {
  functionName: string;
  requestId: string;
  invocationType: InvocationType;
  cold: boolean;
}

export interface InvocationEnd extends InvocationStart {
  status: InvocationStatus;
  /** Lambda's errorType for a failed invocation (e.g. `Runtime.ExitError`, `Sandbox.Timedout`, `TypeError`). */
  errorType: string | null;
  durationMs: number;
  initDurationMs: number | null;
  maxMemoryMb: number;
  /** The whole log of the invocation, START to REPORT, of which `X-Amz-Log-Result` carries the last 4 KB. */
  log: string;
  logBytes: number;
}

export interface LogLine {
  functionName: string;
  requestId: string | null;
  /** The sandbox's log stream in the function's log group. */
  logStream: string;
  line: string;
}

export interface EmulatorEvents {
  "invocation-start": [InvocationStart];
  "invocation-end": [InvocationEnd];
  log: [LogLine];
  /** Something about the local setup the user should know (said once), e.g. a Python other than the runtime's. */
  warning: [{ message: string }];
  /** Something worth knowing that is not a problem, e.g. where a worker's debugger listens. */
  note: [{ message: string }];
}
