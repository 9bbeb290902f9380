/** The platform's log lines, as Lambda writes them (LAMBDA_API.md §2). Pure. */
import { TAIL_BYTES } from "../facts/lambda.js";

export const startLine = (requestId: string, version = "$LATEST") => `START RequestId: ${requestId} Version: ${version}`;
export const endLine = (requestId: string) => `END RequestId: ${requestId}`;

export function reportLine(r: {
  requestId: string;
  durationMs: number;
  memoryMb: number;
  maxMemoryMb: number;
  initDurationMs?: number | undefined;
  status?: string | undefined;
}): string {
  // Since August 2025 Lambda bills the INIT phase of on-demand functions too: a cold start's Billed Duration is
  // its init and its duration together, rounded up to the millisecond.
  const billed = Math.max(1, Math.ceil(r.durationMs + (r.initDurationMs ?? 0)));
  let line =
    `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\t` +
    `Billed Duration: ${billed} ms\tMemory Size: ${r.memoryMb} MB\t` +
    `Max Memory Used: ${r.maxMemoryMb} MB\t`;
  // Real AWS puts Init Duration last (the RIE puts it first).
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  if (r.status) line += `Status: ${r.status}\t`;
  return line;
}

export const timeoutLine = (requestId: string, seconds: number, now = new Date()) =>
  `${now.toISOString()} ${requestId} Task timed out after ${seconds.toFixed(2)} seconds`;

/** `X-Amz-Log-Result`: base64 of the last 4096 bytes of the log, cut on bytes as AWS does. */
export function logTail(log: string): string {
  const bytes = Buffer.from(log, "utf8");
  return bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES)).toString("base64");
}
