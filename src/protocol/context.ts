import { normalizeAssetKey, type AssetKeyPath } from "./asset-key.js";

export interface PipesPartitionRange {
  start: string;
  end: string;
}

export interface PipesDataProvenance {
  code_version: string;
  input_data_versions: Record<string, string>;
  is_user_provided: boolean;
}

/** `PipesContextData`: what the orchestrator sends; every key is present, unknown ones are null. */
export interface PipesContextData {
  asset_keys: string[] | null;
  code_version_by_asset_key: Record<string, string | null> | null;
  provenance_by_asset_key: Record<string, PipesDataProvenance | null> | null;
  partition_key: string | null;
  partition_key_range: PipesPartitionRange | null;
  partition_time_window: PipesPartitionRange | null;
  run_id: string;
  job_name: string | null;
  retry_number: number;
  extras: Record<string, unknown>;
}

export interface ContextInput {
  runId: string;
  /** Keys as path arrays (`["orders", "raw"]`) or escaped strings (`"orders/raw"`). */
  assetKeys?: ReadonlyArray<string | AssetKeyPath>;
  jobName?: string | null;
  retryNumber?: number;
  /** A single partition; the range becomes `{start: key, end: key}` as Dagster sends it. */
  partitionKey?: string | null;
  /** A range of partitions; overrides the range derived from `partitionKey`. */
  partitionKeyRange?: PipesPartitionRange | null;
  /** Time window of a time-partitioned asset, as ISO-8601 strings or Dates. */
  partitionTimeWindow?: { start: string | Date; end: string | Date } | null;
  extras?: Record<string, unknown>;
  codeVersions?: Record<string, string | null>;
  provenance?: Record<string, PipesDataProvenance | null>;
}

/**
 * Builds the context data exactly as Dagster's `build_external_execution_context_data` shapes it. For an asset
 * step (asset keys given) the per-key maps have an entry for every key, null where nothing is known, so
 * `dagster_pipes`' `code_version` and `provenance` accessors find their key; outside one they are null.
 */
export function buildContext(input: ContextInput): PipesContextData {
  const keys = input.assetKeys?.map(normalizeAssetKey).sort() ?? null;
  const perKey = <T>(known: Record<string, T | null> | undefined) =>
    keys ? Object.fromEntries(keys.map((key) => [key, known?.[key] ?? null])) : null;
  const partitionKey = input.partitionKey ?? null;
  const range =
    input.partitionKeyRange ?? (partitionKey === null ? null : { start: partitionKey, end: partitionKey });
  const window = input.partitionTimeWindow
    ? { start: isoString(input.partitionTimeWindow.start), end: isoString(input.partitionTimeWindow.end) }
    : null;
  return {
    asset_keys: keys,
    code_version_by_asset_key: perKey(input.codeVersions),
    provenance_by_asset_key: perKey(input.provenance),
    partition_key: partitionKey,
    partition_key_range: range,
    partition_time_window: window,
    run_id: input.runId,
    job_name: input.jobName ?? null,
    retry_number: input.retryNumber ?? 0,
    extras: input.extras ?? {},
  };
}

/** Python's `datetime.isoformat()` of an aware UTC datetime: `2024-01-01T00:00:00+00:00`. */
function isoString(value: string | Date): string {
  if (typeof value === "string") return value;
  // Python prints microseconds only when there are some, and always six digits of them.
  const iso = value.toISOString();
  const millis = iso.slice(20, 23);
  return `${iso.slice(0, 19)}${millis === "000" ? "" : `.${millis}000`}+00:00`;
}
