import type { Output } from "./output.js";

/** What the line says of an invocation's end (the emulator's InvocationEnd has these; reporters import no emulator module). */
export interface InvocationEnd {
  functionName: string;
  requestId: string;
  invocationType: string;
  cold: boolean;
  status: string;
  errorType: string | null;
  durationMs: number;
  initDurationMs: number | null;
  maxMemoryMb: number;
}

/** One line per invocation for `pipes emulator`: function, status, duration, cold/warm. */
export function invocationLine(end: InvocationEnd, output: Output): string {
  const c = output.color;
  const ok = end.status === "success";
  const status = ok ? c.green("ok") : c.red(`${end.status}${end.errorType ? ` ${end.errorType}` : ""}`);
  const start = end.cold ? c.yellow(`cold, init ${end.initDurationMs?.toFixed(0) ?? "?"} ms`) : c.dim("warm");
  const type = end.invocationType === "Event" ? c.dim(" (Event)") : "";
  return `${c.bold(end.functionName)}${type}  ${status}  ${end.durationMs.toFixed(1)} ms  ${start}  ${c.dim(`${end.maxMemoryMb} MB`)}  ${c.dim(end.requestId)}\n`;
}
