/**
 * The JSON the page reads, from the definitions and the run history (`.pipes/runs`). A history that is missing
 * or broken gives empty lists and warnings, never an error. Pure but for reading the history files.
 */
import type { ResolvedDefinitions } from "../defs/normalized.js";
import { listRuns, type ReadOptions, readAllRuns, readRun, type RunSummary } from "../history/read.js";
import { type AssetStatus, foldStatus, type StatusRow, statusRows } from "../history/status.js";
import type { Partitions } from "../partitions/definition.js";
import { partitionKeys, partitionSpace } from "../partitions/keys.js";
import { type ListedAsset, listAssets } from "../report/list.js";
import type { Metadata, RunEvent } from "../run/events.js";
import { type Attempt, foldAttempts, type LastOutcome, lastOutcomes, LOG_TYPES, OUTCOME_TYPES } from "./outcomes.js";

/** Partition keys sent per asset, for its grid; a longer definition is cut (the counts stay whole). */
export const GRID_KEYS = 2000;

/**
 * A partitioned asset's partitions as the page shows them: whole counts (the graph's health bar), and which of the
 * grid's keys (`partitionKeys`) are missing or failed. Not every missing key: an hourly asset since 2019 has 60,000,
 * a megabyte of JSON for each load of the graph, of which the grid shows the first GRID_KEYS.
 */
export interface PartitionsView {
  total: number;
  materialized: number;
  /** Partitions whose latest attempt failed (or was skipped) and have not materialized since: some of the missing. */
  failed: number;
  gridMissing: string[];
  gridFailed: string[];
}

export interface DefsView {
  file: string;
  profile: string;
  /** `outcome`: the asset's last attempt (materialized, failed with its error's first line, skipped, interrupted). */
  assets: Array<ListedAsset & { status: (Omit<StatusRow, "partitions"> & { partitions: PartitionsView | null }) | null; partitionKeys: string[] | null; outcome: LastOutcome | null }>;
  warnings: string[];
}

/** What `/api/defs` answers: the view, and what the server can do (`pipes dev --ui` streams and runs). */
export type DefsResponse = DefsView & { live: boolean; canMaterialize: boolean };

/** `maxRunBytes`: the history's cap on a run's file (location.ts), as the CLI reads it; `cache`: the server's. */
export type HistoryRead = Omit<ReadOptions, "types" | "lines" | "step">;

/** What the graph's statuses and outcomes fold from the whole history: computed once per state of the history. */
export interface HistoryFolds {
  statuses: Map<string, AssetStatus>;
  outcomes: Map<string, LastOutcome>;
  warnings: string[];
}

export function historyFolds(historyDir: string, read: HistoryRead = {}): HistoryFolds {
  const runs = safely(() => readAllRuns(historyDir, { ...read, types: OUTCOME_TYPES }), []);
  return { statuses: foldStatus(runs.value), outcomes: lastOutcomes(foldAttempts(runs.value)), warnings: runs.warnings };
}

export function defsView(defs: ResolvedDefinitions, history: string | HistoryFolds, read: HistoryRead = {}, now = new Date()): DefsView {
  const folds = typeof history === "string" ? historyFolds(history, read) : history;
  const keys = new Map(defs.assets.map((a) => [a.key, a.partitions ? keysNow(a.partitions, now) : null]));
  const rows = statusRows(defs.assets.map((a) => ({ key: a.key, keys: keys.get(a.key) ?? null })), folds.statuses);
  return {
    file: defs.file,
    profile: defs.profile.name,
    assets: listAssets(defs).map((asset, i) => {
      const grid = keys.get(asset.key)?.slice(0, GRID_KEYS) ?? null;
      const row = rows[i];
      return { ...asset, status: row ? { ...row, partitions: row.partitions && partitionsView(row.partitions, grid ?? []) } : null, partitionKeys: grid, outcome: folds.outcomes.get(asset.key) ?? null };
    }),
    warnings: folds.warnings,
  };
}

function partitionsView(p: NonNullable<StatusRow["partitions"]>, grid: string[]): PartitionsView {
  const shown = new Set(grid);
  return { total: p.total, materialized: p.materialized, failed: p.failed.length, gridMissing: p.missing.filter((k) => shown.has(k)), gridFailed: p.failed.filter((k) => shown.has(k)) };
}

/** Definitions whose keys are kept (the page asks for them on each load; an hourly asset since 2019 has 61,000). */
const KEPT_DEFINITIONS = 16;
const keptKeys = new Map<string, { count: number; keys: string[] }>();

/** A definition's keys now: listed again only when their number changed (a new window ended) or the definition did. */
function keysNow(p: Partitions, now: Date): string[] {
  const id = JSON.stringify(p);
  const count = partitionSpace(p, now).count;
  const kept = keptKeys.get(id);
  if (kept?.count === count) return kept.keys;
  const keys = partitionKeys(p, now);
  keptKeys.delete(id);
  keptKeys.set(id, { count, keys });
  if (keptKeys.size > KEPT_DEFINITIONS) keptKeys.delete(keptKeys.keys().next().value!);
  return keys;
}

export function runsView(historyDir: string, options: HistoryRead = {}): { runs: RunSummary[]; warnings: string[] } {
  const read = safely(() => listRuns(historyDir, options), []);
  return { runs: read.value, warnings: read.warnings };
}

/** A run's events, or null when there is no such run. */
export function runView(historyDir: string, id: string, options: HistoryRead = {}): { events: RunEvent[]; cut: boolean; warnings: string[] } | null {
  try {
    const read = readRun(historyDir, id, options);
    return { events: read.value.events, cut: read.value.cut, warnings: read.warnings };
  } catch {
    return null;
  }
}

/**
 * runView's answer as JSON text, made of the events' lines as recorded (each was parsed and checked as it was read;
 * parsing it again to stringify it would give the page the same values, slower). Null when there is no such run.
 */
export function runViewJson(historyDir: string, id: string, options: HistoryRead = {}): string | null {
  let read: ReturnType<typeof readRun>;
  try {
    read = readRun(historyDir, id, { ...options, lines: true });
  } catch {
    return null;
  }
  const lines = read.value.lines ?? [];
  return `{"events":[${lines.join(",")}],"cut":${read.value.cut},"warnings":${JSON.stringify(read.warnings)}}`;
}

export interface AssetHistory {
  materializations: Array<{ runId: string; startedAt: string; partition: string | null; dataVersion: string | null; metadata: Metadata }>;
  checks: Array<{ runId: string; startedAt: string; partition: string | null; checkName: string; passed: boolean; severity: string }>;
  /** Every attempt, oldest first: materialized, failed (with its error and the logs before it), skipped, interrupted. */
  attempts: Attempt[];
  warnings: string[];
}

/** An asset's materializations, check results and attempts over the recorded runs, oldest first. */
export function assetHistory(historyDir: string, asset: string, read: HistoryRead = {}): AssetHistory {
  const runs = safely(() => readAllRuns(historyDir, { ...read, types: OUTCOME_TYPES }), []);
  const attempts = foldAttempts(runs.value, asset).get(asset) ?? [];
  // The logs before the latest failure, read from that run alone, and of it only that step's lines: a 10,000-step
  // run's other 59,990 lines are split but never parsed, nor kept (the cache keeps this step's few events, so a run
  // that grows is read again only from where it was read).
  const last = attempts.at(-1);
  if (last?.status === "failed") {
    const step = { asset, partition: last.partition };
    const run = safely(() => readRun(historyDir, last.runId, { ...read, types: LOG_TYPES, step }), null);
    const events = run.value?.events.filter((e) => e.type === "run-start" || ("asset" in e && e.asset === asset && ("partition" in e ? (e.partition ?? null) : null) === last.partition));
    const again = events ? foldAttempts([{ events }], asset).get(asset)?.filter((a) => a.partition === last.partition && a.status === "failed").at(-1) : undefined;
    if (again) last.logs = again.logs;
  }
  const history: AssetHistory = { materializations: [], checks: [], attempts, warnings: runs.warnings };
  for (const { events } of runs.value) {
    const start = events[0];
    if (start?.type !== "run-start") continue;
    for (const event of events) {
      if (event.type === "materialization" && event.assetKey === asset) {
        history.materializations.push({ runId: start.runId, startedAt: start.startedAt, partition: event.partition ?? null, dataVersion: event.dataVersion, metadata: event.metadata });
      } else if (event.type === "check" && event.assetKey === asset) {
        history.checks.push({ runId: start.runId, startedAt: start.startedAt, partition: event.partition ?? null, checkName: event.checkName, passed: event.passed, severity: event.severity });
      }
    }
  }
  return history;
}

/** A history folder that cannot be read at all (permissions, a file where the folder should be) is an empty one. */
function safely<T>(read: () => { value: T; warnings: string[] }, empty: T): { value: T; warnings: string[] } {
  try {
    return read();
  } catch (error) {
    return { value: empty, warnings: [`the run history could not be read: ${(error as Error).message}`] };
  }
}
