/**
 * One step's asset checks: the results its function reported, the declared checks it never reported, and the
 * blocking check that failed, if one did (its dependents are then skipped, as Dagster's blocking checks do).
 * Pure: it reads events and says what to report.
 */
import type { Asset } from "../defs/normalized.js";
import { type CheckCounts, noChecks, type RunEvent } from "./events.js";

export class StepChecks {
  readonly counts: CheckCounts = noChecks();
  /** `check (SEVERITY)` of each failed or unreported check. */
  readonly failed: string[] = [];
  blockedBy: string | null = null;
  private readonly reported = new Set<string>();

  constructor(private readonly asset: Asset) {}

  observe(event: RunEvent): void {
    if (event.type !== "check" || event.assetKey !== this.asset.key) return;
    this.reported.add(event.checkName);
    if (event.passed) {
      this.counts.passed++;
      return;
    }
    if (event.severity === "WARN") this.counts.failedWarn++;
    else this.counts.failedError++;
    this.failed.push(`${event.checkName} (${event.severity})`);
    if (event.severity === "ERROR" && this.isBlocking(event.checkName)) this.blockedBy ??= `blocking check ${event.checkName} failed`;
  }

  /** Once the function has run and materialized the asset: each declared check it did not report, and a warning. */
  unreported(): Array<{ check: string; message: string }> {
    const missing = this.asset.checks.filter((check) => !this.reported.has(check.name));
    for (const check of missing) {
      this.counts.notReported++;
      this.failed.push(`${check.name} (not reported)`);
      if (check.blocking) this.blockedBy ??= `blocking check ${check.name} was not reported`;
    }
    return missing.map((check) => ({
      check: check.name,
      message: `${this.asset.key}: the definitions declare check ${check.name}, but the function did not report it (report it with reportAssetCheck / report_asset_check, or remove it from checks)`,
    }));
  }

  /**
   * Each check the function reported that the asset does not declare, once, and a warning: its result still counts,
   * but Dagster's orchestrator refuses such a result and fails the step (a check must be declared on its asset).
   */
  undeclared(): Array<{ check: string; message: string }> {
    const undeclared = [...this.reported].filter((name) => !this.asset.checks.some((check) => check.name === name));
    return undeclared.map((check) => ({
      check,
      message: `${this.asset.key}: the function reported check ${check}, which the definitions do not declare; Dagster refuses a check its asset does not declare (add ${check} to checks of ${this.asset.key}, or stop reporting it)`,
    }));
  }

  private isBlocking(name: string): boolean {
    return this.asset.checks.some((check) => check.name === name && check.blocking);
  }
}

/** Adds a step's check results to the run's. */
export function addChecks(total: CheckCounts, step: CheckCounts): void {
  total.passed += step.passed;
  total.failedError += step.failedError;
  total.failedWarn += step.failedWarn;
  total.notReported += step.notReported;
}
