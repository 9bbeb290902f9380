/**
 * What a run reports, in order, to a reporter (pretty, plain, or `--json`: one event per line). The shapes
 * are the `--json` format documented in README: add fields freely, never rename or remove one.
 */
import type { MetadataValue } from "../protocol/metadata.js";

export type Metadata = Record<string, MetadataValue>;

import type { PartitionRequest } from "../partitions/request.js";

/** How many steps (asset × partition) ended each way. */
export interface StepCounts {
  materialized: number;
  failed: number;
  skipped: number;
  interrupted: number;
}

/** Asset check results, of a step or of a run. */
export interface CheckCounts {
  passed: number;
  failedError: number;
  failedWarn: number;
  /** Declared in the definitions, never reported by the function (counted as ERROR failures for the exit code). */
  notReported: number;
}

/** Which failed checks fail the run (exit 1): ERROR ones (the default), WARN ones too, or none. */
export type FailOnChecks = "error" | "warn" | "none";

export const noChecks = (): CheckCounts => ({ passed: 0, failedError: 0, failedWarn: 0, notReported: 0 });

/** Whether one failed check fails a run under `rule` (a declared check never reported counts as ERROR). */
export const checkFailsRun = (severity: "ERROR" | "WARN", rule: FailOnChecks): boolean => rule !== "none" && (severity === "ERROR" || rule === "warn");

/** Whether these check results fail a run under `rule`. */
export const checksFail = (checks: CheckCounts, rule: FailOnChecks): boolean =>
  rule === "none" ? false : checks.failedError + checks.notReported > 0 || (rule === "warn" && checks.failedWarn > 0);

/** Step labels run-end keeps per outcome (and failed checks it lists); its counts are complete. */
export const RUN_END_LISTED = 100;

export type RunEvent = RunBoundary | (StepEvent & { /** The step's partition (`start...end` for a single-run range); absent or null unpartitioned. */ partition?: string | null });

type RunBoundary =
  | {
      type: "run-start";
      runId: string;
      /** ISO-8601. */
      startedAt: string;
      file: string;
      profile: string;
      target: "emulator" | "aws";
      assets: string[];
      /** `--partition` as given (the key), else null. */
      partition: string | null;
      /** What `--partition`, `--partition-range`, `--all-partitions` asked for (what `--retry` asks again). */
      partitionRequest: PartitionRequest | null;
      singleRun: boolean;
      /** `--retry`: the run retried, and the steps this run was limited to (`asset\0partition`). */
      retryOf: string | null;
      onlySteps: string[] | null;
      /** Invocations planned (asset × partition), in all and per asset. */
      steps: number;
      stepsPerAsset: Record<string, number>;
      extras: Record<string, unknown>;
    }
  | {
      type: "run-end";
      runId: string;
      ok: boolean;
      /** Steps by outcome, as `asset` or `asset[partition]` (each list at most 100; `counts` has the totals). */
      materialized: string[];
      failed: string[];
      skipped: string[];
      interrupted: string[];
      counts: StepCounts;
      /** Asset check results of the whole run, the rule that judged them, and the failed ones (`asset:check`, at most 100). */
      checks: CheckCounts;
      failOnChecks: FailOnChecks;
      failedChecks: string[];
      /** Invocations Lambda throttled and pipes retried. */
      throttles: number;
      /** The run's cost on Lambda on demand (USD; on the emulator, what it would cost), at `pricedAs`'s prices. */
      costUsd: number;
      pricedAs: string;
      target: "emulator" | "aws";
      durationMs: number;
    };

type StepEvent =
  /** `startedAt`: ISO-8601, when the Invoke call was made (a timeline's bar starts there). */
  | { type: "invocation-start"; asset: string; functionName: string; startedAt: string }
  /** Lambda said TooManyRequestsException (concurrency): the invocation is retried after `delayMs`. */
  | { type: "throttled"; asset: string; functionName: string; attempt: number; delayMs: number; message: string }
  | {
      type: "invocation-end";
      asset: string;
      functionName: string;
      requestId: string | null;
      ok: boolean;
      /** Wall time of the Invoke call as the CLI saw it. */
      durationMs: number;
      /** From the REPORT line, when the tail had it. */
      lambdaDurationMs: number | null;
      billedMs: number | null;
      initDurationMs: number | null;
      cold: boolean | null;
      memoryMb: number | null;
      maxMemoryMb: number | null;
      /** What it costs on Lambda on demand (USD, pricing.ts), from the REPORT line; on the emulator, what it would. */
      costUsd: number | null;
    }
  | { type: "log"; asset: string; level: string; message: string }
  | { type: "materialization"; asset: string; assetKey: string; dataVersion: string | null; metadata: Metadata; implicit: boolean }
  | { type: "check"; asset: string; assetKey: string; checkName: string; passed: boolean; severity: "WARN" | "ERROR"; metadata: Metadata }
  | { type: "custom-message"; asset: string; payload: unknown }
  /** A line the function wrote that is not a pipes message; `level` when the Node.js runtime prefixed it. */
  | { type: "output"; asset: string; text: string; level: string | null }
  /** `unreportedCheck`: the warning is that this declared check was never reported. */
  | { type: "warning"; asset: string | null; message: string; unreportedCheck?: string }
  /** Worth knowing, nothing wrong: e.g. that messages were read from CloudWatch Logs because the tail was cut. */
  | { type: "note"; asset: string | null; message: string }
  | {
      type: "error";
      asset: string | null;
      /** function: the invocation failed; pipes: `closed` carried an exception; service: Lambda or credentials. */
      source: "function" | "pipes" | "service" | "asset";
      errorType: string;
      message: string;
      trace: string[];
    }
  /** interrupted: the run was stopped (Ctrl-C) while the asset waited or ran. */
  | {
      type: "asset-end";
      asset: string;
      status: StepStatus;
      durationMs: number;
      reason: string | null;
      /** ISO-8601. */
      endedAt: string;
      /** The step's asset check results. */
      checks: CheckCounts;
      /** A blocking check that failed (or was never reported): the asset's dependents are skipped. */
      blockedBy: string | null;
    };

export type StepStatus = keyof StepCounts;

export type RunEventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;
/** The label of a step in lists and messages: `asset`, or `asset[partition]`. */
export const stepLabel = (asset: string, partition: string | null | undefined): string => (partition ? `${asset}[${partition}]` : asset);
export type Emit = (event: RunEvent) => void;
