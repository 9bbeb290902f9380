/**
 * What a run reports, in order, to a reporter (pretty, plain, or `--json`: one event per line). The shapes
 * are the `--json` format documented in README: add fields freely, never rename or remove one.
 */
import type { MetadataValue } from "../protocol/metadata.js";

export type Metadata = Record<string, MetadataValue>;

export type RunEvent =
  | { type: "run-start"; runId: string; file: string; profile: string; target: "emulator" | "aws"; assets: string[]; partition: string | null; extras: Record<string, unknown> }
  | { type: "invocation-start"; asset: string; functionName: string }
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
    }
  | { type: "log"; asset: string; level: string; message: string }
  | { type: "materialization"; asset: string; assetKey: string; dataVersion: string | null; metadata: Metadata; implicit: boolean }
  | { type: "check"; asset: string; assetKey: string; checkName: string; passed: boolean; severity: "WARN" | "ERROR"; metadata: Metadata }
  | { type: "custom-message"; asset: string; payload: unknown }
  /** A line the function wrote that is not a pipes message; `level` when the Node.js runtime prefixed it. */
  | { type: "output"; asset: string; text: string; level: string | null }
  | { type: "warning"; asset: string | null; message: string }
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
  | { type: "asset-end"; asset: string; status: "materialized" | "failed" | "skipped" | "interrupted"; durationMs: number; reason: string | null }
  | { type: "run-end"; runId: string; ok: boolean; materialized: string[]; failed: string[]; skipped: string[]; interrupted: string[]; durationMs: number };

export type RunEventOf<T extends RunEvent["type"]> = Extract<RunEvent, { type: T }>;
export type Emit = (event: RunEvent) => void;
