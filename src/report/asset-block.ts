/** The human text of one asset's run: header, logs and output, materializations, checks, warnings, errors. */
import { stringifyJson } from "../protocol/python-json.js";
import { formatMetadataValue, formatTable, type MetadataValue } from "../protocol/metadata.js";
import { type Metadata, type RunEvent, type RunEventOf, stepLabel } from "../run/events.js";
import type { Output } from "./output.js";
import { formatUsd } from "../facts/pricing.js";
import { isRuntimeFrame } from "./frames.js";

const MAX_TRACE_LINES = 8;

/** `shownLive`: how many log and output lines were printed while the invocation ran (and are not in `events`). */
export function renderAssetBlock(events: RunEvent[], output: Output, shownLive = 0): string {
  const c = output.color;
  const end = events.find((e): e is RunEventOf<"asset-end"> => e.type === "asset-end");
  const invocations = events.filter((e): e is RunEventOf<"invocation-end"> => e.type === "invocation-end");
  const asset = end?.asset ?? "";
  const label = stepLabel(asset, end?.partition);
  const lines: string[] = [];
  if (end?.status === "skipped") return `${c.yellow("↷")} ${c.bold(label)}  ${c.yellow(`skipped: ${end.reason}`)}\n`;
  const mark = end?.status === "materialized" ? c.green("✔") : end?.status === "interrupted" ? c.yellow("⊘") : c.red("✖");
  const head = invocations.map((i) => invocationSummary(i, output)).join(c.dim("; "));
  lines.push(`${mark} ${c.bold(label)}${head ? `  ${head}` : ""}`);
  const throttles = events.filter((e) => e.type === "throttled").length;
  if (throttles > 0) lines.push(`  ${c.yellow(`↻ throttled ${throttles} time${throttles === 1 ? "" : "s"} (TooManyRequestsException), retried with backoff`)}`);
  if (end?.status === "interrupted") lines.push(`  ${c.yellow("interrupted: the run was stopped before it ended")}`);
  if (shownLive > 0) lines.push(`    ${c.dim(`(${shownLive} line${shownLive === 1 ? "" : "s"} shown above while it ran)`)}`);

  const levelColor: Record<string, (s: string) => string> = {
    DEBUG: c.dim,
    INFO: c.cyan,
    WARNING: c.yellow,
    WARN: c.yellow,
    ERROR: c.red,
    CRITICAL: (s) => c.bold(c.red(s)),
    FATAL: (s) => c.bold(c.red(s)),
  };
  const shownErrors = new Set<string>();
  for (const event of events) {
    switch (event.type) {
      case "log":
        lines.push(`    ${(levelColor[event.level] ?? c.white)(event.level.padEnd(8))} ${event.message}`);
        break;
      case "output": {
        const level = event.level ? `${(levelColor[event.level] ?? c.dim)(event.level)} ` : "";
        for (const text of event.text.split("\n")) lines.push(`    ${c.dim("│")} ${level}${text}`);
        break;
      }
      case "materialization":
        if (event.implicit) {
          lines.push(`  ${c.green("materialized")} ${event.assetKey} ${c.dim("(no materialization reported: implicit, as in Dagster)")}`);
        } else {
          const version = event.dataVersion ? `  ${c.dim("data version")} ${event.dataVersion}` : "";
          lines.push(`  ${c.green("materialized")} ${c.bold(event.assetKey)}${version}`);
          lines.push(...metadataRows(event.metadata, output, "    "));
        }
        break;
      case "check": {
        const mark = event.passed ? c.green("✔") : event.severity === "WARN" ? c.yellow("⚠") : c.red("✖");
        const result = event.passed ? c.green("passed") : event.severity === "WARN" ? c.yellow("failed") : c.red("failed");
        const key = event.assetKey === asset ? "" : ` ${c.dim(`on ${event.assetKey}`)}`;
        lines.push(`  ${mark} check ${c.bold(event.checkName)}${key} ${result} ${c.dim(`(severity ${event.severity})`)}`);
        lines.push(...metadataRows(event.metadata, output, "      "));
        break;
      }
      case "custom-message":
        lines.push(`  ${c.magenta("custom message")} ${stringifyJson(event.payload, { nonFinite: "python" })}`);
        break;
      case "warning":
        lines.push(`  ${c.yellow(`⚠ ${event.message}`)}`);
        break;
      case "note":
        lines.push(`  ${c.dim(`ℹ ${event.message}`)}`);
        break;
      case "error": {
        const label = event.source === "pipes" ? "pipes closed with exception" : event.source === "service" ? "service error" : "error";
        const message =
          event.source === "service" || event.message.startsWith(`${event.errorType}:`) ? event.message : `${event.errorType}: ${event.message}`;
        // withPipes reports the error in `closed` and rethrows it: the same error, said once.
        if (shownErrors.has(message)) {
          lines.push(`  ${c.red(`✖ ${label}: the same ${event.errorType}`)} ${c.dim("(the function rethrew it)")}`);
          break;
        }
        shownErrors.add(message);
        lines.push(`  ${c.red(`✖ ${label}: ${message.split("\n")[0]}`)}`);
        for (const more of message.split("\n").slice(1)) lines.push(`    ${c.red(more)}`);
        // A stack repeats its error's message (every line of it) before the frames: shown once, above.
        const said = new Set(message.split("\n").map((l) => l.trim()));
        const trace = event.trace.filter((t) => t.trim() && !t.startsWith(`${event.errorType}:`) && !said.has(t.trim()) && !isRuntimeFrame(t));
        for (const frame of trace.slice(0, MAX_TRACE_LINES)) lines.push(`      ${c.dim(frame.trim())}`);
        if (trace.length > MAX_TRACE_LINES) lines.push(`      ${c.dim(`… ${trace.length - MAX_TRACE_LINES} more`)}`);
        break;
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

function invocationSummary(i: RunEventOf<"invocation-end">, output: Output): string {
  const c = output.color;
  const duration = i.lambdaDurationMs ?? i.durationMs;
  const parts = [`${c.dim("→")} ${i.functionName}`, `${duration.toFixed(duration < 10 ? 1 : 0)} ms`];
  if (i.cold === true) parts.push(c.yellow(`cold (init ${i.initDurationMs?.toFixed(0)} ms)`));
  if (i.cold === false) parts.push("warm");
  if (i.maxMemoryMb !== null && i.memoryMb !== null) parts.push(`${i.maxMemoryMb}/${i.memoryMb} MB`);
  // Runs recorded before costs were counted have none.
  if (typeof i.costUsd === "number") parts.push(c.dim(formatUsd(i.costUsd)));
  return parts.join(c.dim(" · "));
}

/** Aligned `name  value  (type)` rows; a table also as a small table below its row. */
export function metadataRows(metadata: Metadata, output: Output, indent: string): string[] {
  const c = output.color;
  const entries = Object.entries(metadata);
  if (entries.length === 0) return [];
  const nameWidth = Math.max(...entries.map(([n]) => n.length));
  const values = entries.map(([, v]) => formatMetadataValue(v, 60));
  const valueWidth = Math.max(...values.map((v) => v.length));
  const rows: string[] = [];
  entries.forEach(([name, value], i) => {
    rows.push(`${indent}${name.padEnd(nameWidth)}  ${values[i]!.padEnd(valueWidth)}  ${c.dim(`(${typeLabel(value)})`)}`);
    if (value.type === "table") {
      for (const line of formatTable(value)) rows.push(`${indent}  ${c.dim("│")} ${line}`);
    }
  });
  return rows;
}

function typeLabel(v: MetadataValue): string {
  return v.inferred ? `${v.type}, inferred` : v.type;
}
