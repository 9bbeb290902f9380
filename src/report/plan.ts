/** `materialize --plan`: what a run would invoke, each step's event and decoded pipes context; nothing runs. */
import type { PipesContextData } from "../protocol/context.js";
import type { Output } from "./output.js";

/** A function's DryRun check, as the plan shows it (lambda/access.ts gives these; reporters import no client module). */
export interface AccessCheck {
  functionName: string;
  ok: boolean;
  problem: string | null;
}

export interface PlannedStep {
  asset: string;
  partition: string | null;
  /** The deployed name it invokes; null for an asset with its own `run` (it invokes what its code calls). */
  functionName: string | null;
  after: string[];
  /** The event as it would be sent (the pipes params encoded), and the context those params decode to. */
  event: Record<string, unknown> | null;
  context: PipesContextData;
}

export interface Plan {
  file: string;
  profile: string;
  target: string;
  assets: string[];
  extras: Record<string, unknown>;
  steps: PlannedStep[];
  access: AccessCheck[] | null;
  /** Said before the steps: e.g. functions on deprecated runtimes. */
  warnings: string[];
}

/** Steps shown with their event and context in the text view; the rest get a line each, up to LINES. */
const DETAILED = 10;
const LINES = 100;

export function renderPlan(plan: Plan, output: Output, shownFile: string): string {
  if (output.mode === "json") {
    const { steps, access, ...head } = plan;
    const lines = [{ type: "plan", ...head, steps: steps.length }, ...steps.map((s, i) => ({ type: "planned", step: i + 1, ...s })), ...(access ?? []).map((a) => ({ type: "access", ...a }))];
    return lines.map((l) => `${JSON.stringify(l)}\n`).join("");
  }
  const c = output.color;
  const n = plan.steps.length;
  const out = [
    `${c.bold("pipes materialize --plan")} ${c.dim("·")} ${shownFile} ${c.dim("·")} profile ${c.cyan(plan.profile)} ${c.dim(`(${plan.target})`)}`,
    `${n} invocation${n === 1 ? "" : "s"} of ${plan.assets.length} asset${plan.assets.length === 1 ? "" : "s"}; nothing is invoked`,
    ...plan.warnings.map((w) => c.yellow(`⚠ ${w}`)),
    "",
  ];
  const indent = (text: string, by: string) => text.split("\n").map((l) => `${by}${l}`).join("\n");
  for (const [i, step] of plan.steps.entries()) {
    if (i >= LINES) {
      out.push(c.dim(`… ${n - LINES} more steps (--plan --json lists them all)`));
      break;
    }
    const label = step.partition ? `${step.asset}[${step.partition}]` : step.asset;
    const fn = step.functionName ? `→ ${step.functionName}` : "→ (own run: invokes what its code calls)";
    const after = step.after.length ? c.dim(`  after ${step.after.length > 3 ? `${step.after.slice(0, 3).join(", ")} +${step.after.length - 3}` : step.after.join(", ")}`) : "";
    out.push(`${c.dim(`${i + 1}.`)} ${c.bold(label)}  ${c.green(fn)}${after}`);
    if (i < DETAILED) {
      if (step.event) out.push(c.dim("   event"), indent(JSON.stringify(step.event, null, 2), "     "));
      out.push(c.dim("   pipes context (decoded)"), indent(JSON.stringify(step.context, null, 2), "     "));
    }
  }
  if (plan.access) {
    out.push("", c.bold("access (DryRun)"));
    for (const a of plan.access) out.push(a.ok ? `  ${c.green("✔")} ${a.functionName}` : `  ${c.red("✖")} ${a.functionName}: ${a.problem}`);
  }
  return `${out.join("\n")}\n`;
}
