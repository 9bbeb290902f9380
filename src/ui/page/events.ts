// One step's events as text lines: logs, output, materializations, checks, warnings and errors.
import type { RunEvent } from "./api.js";
import { formatUsd } from "../../lambda/pricing.js";
import { h } from "./dom.js";

export function stepDetails(events: RunEvent[]): HTMLElement {
  const lines: string[] = [];
  for (const e of events) {
    switch (e.type) {
      case "invocation-end":
        lines.push(`→ ${e.functionName} · ${Math.round(e.lambdaDurationMs ?? e.durationMs)} ms${e.cold ? ` · cold (init ${Math.round(e.initDurationMs ?? 0)} ms)` : ""}${e.costUsd ? ` · ${formatUsd(e.costUsd)}` : ""}`);
        break;
      case "log":
        lines.push(`${String(e.level).padEnd(8)} ${e.message}`);
        break;
      case "output":
        lines.push(`│ ${e.level ? `${e.level} ` : ""}${e.text}`);
        break;
      case "materialization":
        lines.push(`materialized ${e.assetKey}${e.dataVersion ? ` (data version ${e.dataVersion})` : ""}`);
        for (const [name, value] of Object.entries(e.metadata ?? {})) lines.push(`    ${name}: ${brief(value as Parameters<typeof brief>[0])}`);
        break;
      case "check":
        lines.push(`${e.passed ? "✔" : "✖"} check ${e.checkName} ${e.passed ? "passed" : "failed"} (severity ${e.severity})`);
        break;
      case "throttled":
        lines.push(`↻ throttled, retried after ${e.delayMs} ms`);
        break;
      case "warning":
        lines.push(`⚠ ${e.message}`);
        break;
      case "error":
        lines.push(`✖ ${e.errorType}: ${e.message}`, ...(e.trace ?? []).slice(0, 8).map((t: string) => `    ${t}`));
        break;
      case "asset-end":
        if (e.reason) lines.push(`${e.status}: ${e.reason}`);
        break;
      default:
    }
  }
  return h("pre", { class: "log" }, lines.join("\n"));
}

function brief(value: { type?: string; value?: unknown; records?: unknown[] }): string {
  if (value?.type === "table") return `table, ${value.records?.length ?? 0} rows`;
  const text = typeof value?.value === "string" ? value.value : JSON.stringify(value?.value);
  return `${text?.slice(0, 200)} (${value?.type})`;
}
