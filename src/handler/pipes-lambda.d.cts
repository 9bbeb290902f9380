/*
 * Types of pipes-lambda.cjs, for TypeScript handlers: `import { withPipes } from "./pipes-lambda.cjs"` finds this
 * file beside it. No dependencies: the Lambda context is described here, as far as a handler uses it.
 */

/** A metadata value of an explicit type, as `metadata.url(...)` and friends build it. */
export interface TypedMetadataValue<T extends string = string> {
  raw_value: unknown;
  type: T;
}

/** Metadata: plain values (their type inferred) or typed ones. */
export type MetadataInput = Record<string, unknown>;

export declare const PROTOCOL_VERSION: string;

export declare const metadata: {
  text(value: string): TypedMetadataValue<"text">;
  url(value: string): TypedMetadataValue<"url">;
  path(value: string): TypedMetadataValue<"path">;
  notebook(value: string): TypedMetadataValue<"notebook">;
  json(value: unknown): TypedMetadataValue<"json">;
  md(value: string): TypedMetadataValue<"md">;
  float(value: number): TypedMetadataValue<"float">;
  int(value: number): TypedMetadataValue<"int">;
  bool(value: boolean): TypedMetadataValue<"bool">;
  dagsterRun(runId: string): TypedMetadataValue<"dagster_run">;
  asset(assetKey: string): TypedMetadataValue<"asset">;
  null(value?: null): TypedMetadataValue<"null">;
  table(value: { records: Array<Record<string, unknown>>; schema?: unknown }): TypedMetadataValue<"table">;
  tableSchema(value: unknown): TypedMetadataValue<"table_schema">;
  tableColumnLineage(value: unknown): TypedMetadataValue<"table_column_lineage">;
  timestamp(value: number): TypedMetadataValue<"timestamp">;
  job(value: string): TypedMetadataValue<"job">;
};

export declare class PipesError extends Error {}

export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR" | "CRITICAL";

export interface PartitionKeyRange {
  start: string;
  end: string;
}

export interface PartitionTimeWindow {
  start: string;
  end: string;
}

export interface PipesSessionOptions {
  /** Where message lines go (default: stderr, or stdout when the orchestrator asked for it). */
  write?: (text: string) => void;
}

export declare class PipesSession {
  constructor(event: unknown, options?: PipesSessionOptions);
  /** False when the event carries no pipes context (the handler was invoked on its own): nothing is sent. */
  readonly isPipesInvocation: boolean;
  readonly log: {
    debug(message: unknown): void;
    info(message: unknown): void;
    warning(message: unknown): void;
    warn(message: unknown): void;
    error(message: unknown): void;
    critical(message: unknown): void;
  };
  readonly runId: string;
  readonly jobName: string | null;
  readonly retryNumber: number;
  readonly extras: Record<string, unknown>;
  readonly assetKeys: string[];
  readonly isAssetStep: boolean;
  readonly isPartitionStep: boolean;
  readonly partitionKeyRange: PartitionKeyRange | null;
  readonly partitionTimeWindow: PartitionTimeWindow | null;
  readonly codeVersion: string | null;
  /** The one asset key of this step; throws when there are none or several. */
  readonly assetKey: string;
  /** Throws when the step is not partitioned. */
  readonly partitionKey: string;
  getExtra(key: string): unknown;
  logLevel(level: LogLevel | Lowercase<LogLevel>, message: unknown): void;
  reportAssetMaterialization(report?: { assetKey?: string | string[]; metadata?: MetadataInput; dataVersion?: string }): void;
  reportAssetCheck(report: { checkName: string; passed: boolean; assetKey?: string | string[]; metadata?: MetadataInput; severity?: "ERROR" | "WARN" }): void;
  reportCustomMessage(payload: unknown): void;
  /** Ends the session: `closed` (with the error, if any), then any buffered messages. */
  close(error?: unknown): void;
}

/** The Lambda context object, as far as a handler reads it. */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export declare function openPipes(event: unknown, options?: PipesSessionOptions): PipesSession;

/**
 * Wraps a handler: opens the session, closes it when the handler returns, and when it throws, reports the error
 * in `closed` and rethrows it so Lambda reports the failure too.
 */
export declare function withPipes<E = Record<string, unknown>, R = unknown>(
  handler: (event: E, pipes: PipesSession, context: LambdaContext) => R | Promise<R>,
): (event: E, context: LambdaContext) => Promise<Awaited<R>>;
