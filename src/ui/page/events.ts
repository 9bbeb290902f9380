// A run's events as log lines, each with a level: what the function logged (pipes.log, or output the Node.js
// runtime prefixed with a level) at its own level, and what pipes saw (calls, materializations, checks, throttles,
// warnings, errors) at the level it deserves. Pure.
import { formatUsd } from "../../lambda/pricing.js";
import type { RunEvent } from "./api.js";
import { errorText, stepKey } from "./run-model.js";

export interface LogLine {
  /** DEBUG, INFO, WARNING, ERROR or CRITICAL. */
  level: string;
  text: string;
  /** The step it belongs to (`asset[partition]`), or null for the run's own. */
  step: string | null;
}

/** Levels by rank, as pipes.log has them; the Node.js runtime's WARN, FATAL and TRACE read as their kin. */
export const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
const ALIASES: Record<string, string> = { WARN: "WARNING", FATAL: "CRITICAL", TRACE: "DEBUG" };
export const levelOf = (level: string | null | undefined): string => {
  const upper = String(level ?? "INFO").toUpperCase();
  return ALIASES[upper] ?? (LEVELS.includes(upper) ? upper : "INFO");
};
export const rank = (level: string): number => LEVELS.indexOf(level);

export function logLines(events: RunEvent[]): LogLine[] {
  const lines: LogLine[] = [];
  // withPipes reports an error in `closed` and rethrows it, so the step has it twice: said once, as the terminal does.
  const shownErrors = new Set<string>();
  for (const e of events) {
    const step = e.asset ? stepKey(e.asset, e.partition) : null;
    const add = (level: string, text: string) => lines.push({ level, text, step });
    switch (e.type) {
      case "invocation-end":
        add(e.ok ? "INFO" : "ERROR", `→ ${e.functionName} · ${Math.round(e.lambdaDurationMs ?? e.durationMs)} ms${e.cold ? ` · cold (init ${Math.round(e.initDurationMs ?? 0)} ms)` : ""}${e.costUsd ? ` · ${formatUsd(e.costUsd)}` : ""}`);
        break;
      case "log":
        add(levelOf(e.level), e.message);
        break;
      case "output":
        add(levelOf(e.level), `│ ${e.text}`);
        break;
      case "materialization":
        add("INFO", `materialized ${e.assetKey}${e.dataVersion ? ` (data version ${e.dataVersion})` : ""}`);
        for (const [name, value] of Object.entries(e.metadata ?? {})) add("INFO", `    ${name}: ${brief(value as Parameters<typeof brief>[0])}`);
        break;
      case "check":
        add(e.passed ? "INFO" : e.severity === "ERROR" ? "ERROR" : "WARNING", `${e.passed ? "✔" : "✖"} check ${e.checkName} ${e.passed ? "passed" : "failed"} (severity ${e.severity})`);
        break;
      case "throttled":
        add("WARNING", `↻ throttled, retried after ${e.delayMs} ms`);
        break;
      case "warning":
        add("WARNING", `⚠ ${e.message}`);
        break;
      case "note":
        add("INFO", e.message);
        break;
      case "error": {
        const message = errorText(e.errorType, e.message);
        const key = `${step}\0${message}`;
        if (shownErrors.has(key)) {
          add("ERROR", `✖ the same ${e.errorType} (the function rethrew it)`);
          break;
        }
        shownErrors.add(key);
        add("ERROR", [`✖ ${message}`, ...(e.trace ?? []).slice(0, 8).map((t: string) => `    ${t}`)].join("\n"));
        break;
      }
      case "asset-end":
        if (e.reason) add(e.status === "failed" ? "ERROR" : "WARNING", `${e.status}: ${e.reason}`);
        break;
      default:
    }
  }
  return lines;
}

function brief(value: { type?: string; value?: unknown; records?: unknown[] }): string {
  if (value?.type === "table") return `table, ${value.records?.length ?? 0} rows`;
  const text = typeof value?.value === "string" ? value.value : JSON.stringify(value?.value);
  return `${text?.slice(0, 200)} (${value?.type})`;
}
