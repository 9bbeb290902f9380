/**
 * A run: the selected assets in dependency order, independent ones in parallel up to a limit. An asset whose
 * dependency did not materialize is skipped; a service failure (unreachable, credentials) stops the run.
 */
import { randomUUID } from "node:crypto";
import type { Asset, ResolvedDefinitions } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { Interrupted, invokeWithPipes } from "../lambda/invoke.js";
import type { LambdaTarget } from "../lambda/target.js";
import { buildContext, type PipesContextData } from "../protocol/context.js";
import { since } from "../util/time.js";
import type { Emit } from "./events.js";

export interface RunOptions {
  defs: ResolvedDefinitions;
  assets: Asset[];
  target: LambdaTarget;
  partition?: string | null;
  extras?: Record<string, unknown>;
  concurrency?: number;
  emit: Emit;
  /** Aborted (Ctrl-C): invocations in flight are let go, waiting assets do not start; all are `interrupted`. */
  signal?: AbortSignal;
}

export interface RunResult {
  runId: string;
  materialized: string[];
  failed: string[];
  skipped: string[];
  interrupted: string[];
  /** The error that stopped the run (service or credentials), if one did. */
  fatal: UserError | null;
}

type Status = "materialized" | "failed" | "skipped" | "interrupted";

export async function materialize(options: RunOptions): Promise<RunResult> {
  const { defs, assets, target, emit, signal } = options;
  const interrupted = (asset: Asset, startedAt: number): Status => {
    emit({ type: "asset-end", asset: asset.key, status: "interrupted", durationMs: since(startedAt), reason: "the run was interrupted" });
    return "interrupted";
  };
  const runId = randomUUID();
  const started = performance.now();
  const extras = { ...defs.profile.extras, ...options.extras };
  const partition = options.partition ?? null;
  emit({ type: "run-start", runId, file: defs.file, profile: defs.profile.name, target: target.kind, assets: assets.map((a) => a.key), partition, extras });
  const stopMessages = target.setupMessages?.((message, kind) => emit({ type: kind, asset: null, message }));
  const limit = limiter(Math.max(1, options.concurrency ?? 4));
  const statuses = new Map<string, Promise<Status>>();
  let fatal: UserError | null = null;

  const runOne = async (asset: Asset): Promise<Status> => {
    const upstream = await Promise.all(asset.deps.filter((d) => statuses.has(d)).map(async (d) => [d, await statuses.get(d)!] as const));
    const blocked = upstream.filter(([, s]) => s !== "materialized").map(([d]) => d);
    if (signal?.aborted) return interrupted(asset, performance.now());
    if (blocked.length > 0 || fatal) {
      const reason = fatal ? "the run stopped: the Lambda service failed" : `upstream ${blocked.join(", ")} did not materialize`;
      emit({ type: "asset-end", asset: asset.key, status: "skipped", durationMs: 0, reason });
      return "skipped";
    }
    return limit(async () => {
      const assetStarted = performance.now();
      if (signal?.aborted) return interrupted(asset, assetStarted);
      const context = buildContext({
        runId,
        assetKeys: [asset.key],
        jobName: "__ASSET_JOB",
        partitionKey: partition,
        extras,
        ...(asset.codeVersion ? { codeVersions: { [asset.key]: asset.codeVersion } } : {}),
      });
      let status: Status;
      try {
        status = (await computeAsset(asset, context, target, emit, signal)) ? "materialized" : "failed";
      } catch (error) {
        if (error instanceof Interrupted || signal?.aborted) return interrupted(asset, assetStarted);
        if (!(error instanceof UserError)) throw error;
        fatal ??= error;
        emit({ type: "error", asset: asset.key, source: "service", errorType: error.name, message: error.message, trace: [] });
        status = "failed";
      }
      emit({ type: "asset-end", asset: asset.key, status, durationMs: since(assetStarted), reason: null });
      return status;
    });
  };

  for (const asset of assets) statuses.set(asset.key, runOne(asset));
  const results = await Promise.all(assets.map(async (a) => [a.key, await statuses.get(a.key)!] as const)).finally(() => stopMessages?.());
  const keysWith = (status: Status) => results.filter(([, s]) => s === status).map(([k]) => k);
  const result = { runId, materialized: keysWith("materialized"), failed: keysWith("failed"), skipped: keysWith("skipped"), interrupted: keysWith("interrupted"), fatal };
  emit({
    type: "run-end",
    runId,
    ok: result.failed.length === 0 && result.skipped.length === 0 && result.interrupted.length === 0,
    materialized: result.materialized,
    failed: result.failed,
    skipped: result.skipped,
    interrupted: result.interrupted,
    durationMs: since(started),
  });
  return result;
}

/**
 * Runs one asset: its function with the asset's event, or its own `run({ context, lambda })`. True when it
 * materialized. A successful function that reported nothing materializes implicitly, as in Dagster.
 */
async function computeAsset(asset: Asset, context: PipesContextData, target: LambdaTarget, emit: Emit, signal?: AbortSignal): Promise<boolean> {
  let failed = false;
  const reported = new Set<string>();
  const track: Emit = (event) => {
    if (event.type === "error") failed = true;
    if (event.type === "materialization") reported.add(event.assetKey);
    emit(event);
  };
  const invoke = async (functionName: string, event: Record<string, unknown>) => {
    const result = await invokeWithPipes(target, { asset: asset.key, functionName, event, context }, track, signal);
    return result.payload;
  };
  if (asset.run) {
    try {
      await asset.run({ context, lambda: { run: ({ functionName, event }) => invoke(functionName, event ?? {}) } });
    } catch (error) {
      if (error instanceof UserError || error instanceof Interrupted || signal?.aborted) throw error;
      const e = error instanceof Error ? error : new Error(String(error));
      track({ type: "error", asset: asset.key, source: "asset", errorType: e.name, message: e.message, trace: (e.stack ?? "").split("\n").slice(1).map((l) => l.trim()) });
    }
  } else {
    await invoke(asset.function!, asset.event);
  }
  if (!failed && !reported.has(asset.key)) {
    track({ type: "materialization", asset: asset.key, assetKey: asset.key, dataVersion: null, metadata: {}, implicit: true });
  }
  return !failed;
}

/** At most `n` tasks at once. */
function limiter(n: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (task) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
