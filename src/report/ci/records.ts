/**
 * What the CI reports (JUnit, Markdown summary, GitHub annotations) need of a run, gathered from its events: one
 * record per step (asset × partition) with its outcome, time, billed time, first error and checks. Kept only
 * when a report was asked for. Pure.
 */
import { type CheckCounts, noChecks, type RunEvent, type RunEventOf, type StepStatus, stepLabel } from "../../run/events.js";

export interface CheckRecord {
  name: string;
  passed: boolean;
  severity: "ERROR" | "WARN";
  /** Declared in the definitions, never reported. */
  notReported: boolean;
}

export interface StepRecord {
  asset: string;
  partition: string | null;
  label: string;
  status: StepStatus;
  durationMs: number;
  /** Sum over the step's invocations, from their REPORT lines. */
  billedMs: number;
  /** Memory size (MB) of its last invocation. */
  memoryMb: number | null;
  /** What its invocations cost on Lambda (USD). */
  costUsd: number;
  reason: string | null;
  error: { type: string; message: string; trace: string[] } | null;
  checks: CheckRecord[];
  /** The step's check results as its asset-end counted them. */
  checkCounts: CheckCounts;
  warnings: string[];
  /** Its notes: the diagnosis of its failure among them (src/lambda/diagnose.ts), which may say where in the user's file. */
  notes: string[];
}

export interface RunRecord {
  start: RunEventOf<"run-start"> | null;
  end: RunEventOf<"run-end"> | null;
  steps: StepRecord[];
  /** Warnings of the run, not of a step. */
  warnings: string[];
}

export class RunRecorder {
  readonly run: RunRecord = { start: null, end: null, steps: [], warnings: [] };
  private readonly open = new Map<string, StepRecord>();

  onEvent(event: RunEvent): void {
    if (event.type === "run-start") this.run.start = event;
    else if (event.type === "run-end") this.run.end = event;
    else if (event.asset === null) {
      if (event.type === "warning") this.run.warnings.push(event.message);
    } else {
      const step = this.step(event.asset, event.partition ?? null);
      switch (event.type) {
        case "invocation-end":
          step.billedMs += event.billedMs ?? 0;
          step.memoryMb = event.memoryMb ?? step.memoryMb;
          step.costUsd += event.costUsd ?? 0;
          break;
        case "error":
          step.error ??= { type: event.errorType, message: event.message, trace: event.trace };
          break;
        case "check":
          step.checks.push({ name: event.checkName, passed: event.passed, severity: event.severity, notReported: false });
          break;
        case "note":
          step.notes.push(event.message);
          break;
        case "warning": {
          if (event.unreportedCheck) step.checks.push({ name: event.unreportedCheck, passed: false, severity: "ERROR", notReported: true });
          step.warnings.push(event.message);
          break;
        }
        case "asset-end":
          step.status = event.status;
          step.durationMs = event.durationMs;
          step.reason = event.reason;
          // Runs recorded before checks were counted have none in asset-end.
          step.checkCounts = event.checks ?? noChecks();
          this.run.steps.push(step);
          this.open.delete(step.label);
          break;
        default:
      }
    }
  }

  private step(asset: string, partition: string | null): StepRecord {
    const label = stepLabel(asset, partition);
    let step = this.open.get(label);
    if (!step) {
      step = { asset, partition, label, status: "interrupted", durationMs: 0, billedMs: 0, memoryMb: null, costUsd: 0, reason: null, error: null, checks: [], checkCounts: noChecks(), warnings: [], notes: [] };
      this.open.set(label, step);
    }
    return step;
  }
}
