/**
 * A run: the plan's steps (asset × partition, plan.ts), each after the steps it depends on, up to `concurrency`
 * invocations in flight across the run. A step whose dependency did not materialize is skipped; a service failure
 * (unreachable, credentials) stops the run. Events are emitted as they happen and nothing per step is kept but
 * its outcome, so a long backfill runs in flat memory.
 */
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { dirname, resolve } from "node:path";
import type { Asset, ResolvedDefinitions } from "../defs/normalized.js";
import { UserError } from "../errors.js";
import { Interrupted, invokeWithPipes } from "../lambda/invoke.js";
import type { LambdaTarget } from "../lambda/target.js";
import type { PipesContextData } from "../protocol/context.js";
import { stepContext } from "./step-context.js";
import { ContextParams } from "./context-params.js";
import { since } from "../util/time.js";
import { diagnoseFailure } from "./diagnosis.js";
import { DeployedMaps } from "./deployed-maps.js";
import { type CheckCounts, checksFail, RUN_END_LISTED, type Emit, type RunEventOf, type FailOnChecks, noChecks, type StepCounts, type StepStatus, stepLabel } from "./events.js";
import { addChecks, StepChecks } from "./checks.js";
import { displayPath } from "../util/paths.js";
import { pricedRegion } from "../facts/pricing.js";
import { isPythonRuntime } from "../facts/runtimes.js";
import { DEFAULT_CONCURRENCY } from "./concurrency.js";
import { type PlanOptions, planSteps, type Step, stepId } from "./plan.js";
import { StepScheduler } from "./scheduler.js";
import { AdaptiveCap } from "./adaptive-cap.js";
import { FrameMapper, type FrameRoots } from "../report/frames.js";
import { splitHandler } from "../defs/handler-path.js";
import { getOrCreate } from "../util/maps.js";

export interface RunOptions {
  defs: ResolvedDefinitions;
  /** The selected assets, in dependency order. */
  assets: Asset[];
  target: LambdaTarget;
  /** What to partition by; null: unpartitioned assets only (see plan.ts). */
  partitions?: PlanOptions["request"];
  singleRun?: boolean;
  /** `--retry`: the run retried, the steps it was limited to, and those it materialized (plan.ts's stepId). */
  retryOf?: string;
  only?: Set<string>;
  done?: Set<string>;
  extras?: Record<string, unknown>;
  /** Invocations in flight at once, across the whole run. */
  concurrency?: number;
  /** Which failed asset checks fail the run; default "error". */
  failOnChecks?: FailOnChecks;
  emit: Emit;
  /** Aborted (Ctrl-C): invocations in flight are let go, waiting steps do not start; all are `interrupted`. */
  signal?: AbortSignal;
  /** Where paths in diagnoses are shown from; the definitions file's folder when absent. */
  cwd?: string;
  /** The user's environment, where a diagnosis finds a Python function's interpreter (as the emulator does). */
  env?: Record<string, string | undefined>;
  /** For partitions that end "now"; a parameter so tests can fix it. */
  now?: Date;
  /** Warnings to give as the run starts, once each (e.g. a function on a deprecated runtime: defs/runtime-notices.ts). */
  warnings?: string[];
}

export interface RunResult {
  runId: string;
  counts: StepCounts;
  checks: CheckCounts;
  /** The checks' results fail the run under its `failOnChecks` rule. */
  checksFailed: boolean;
  /** The error that stopped the run (service or credentials), if one did. */
  fatal: UserError | null;
}

export async function materialize(options: RunOptions): Promise<RunResult> {
  const { defs, assets, target, emit, signal } = options;
  const steps = planSteps(assets, { request: options.partitions ?? null, singleRun: options.singleRun, only: options.only, done: options.done, now: options.now ?? new Date(), file: displayPath(defs.file, options.cwd ?? dirname(defs.file)) });
  const runId = randomUUID();
  const started = performance.now();
  const extras = { ...defs.profile.extras, ...options.extras };
  const request = options.partitions ?? null;
  emit({
    type: "run-start",
    runId,
    startedAt: new Date().toISOString(),
    file: defs.file,
    profile: defs.profile.name,
    target: target.kind,
    assets: assets.map((a) => a.key),
    partition: request?.kind === "key" ? request.key : null,
    partitionRequest: request,
    singleRun: Boolean(options.singleRun),
    retryOf: options.retryOf ?? null,
    onlySteps: options.retryOf ? steps.map((s) => stepId(s.asset.key, s.partition)) : null,
    steps: steps.length,
    stepsPerAsset: countBy(steps, (s) => s.asset.key),
    extras,
  });
  for (const message of options.warnings ?? []) emit({ type: "warning", asset: null, message });
  const stopMessages = target.setupMessages?.((message, kind) => emit({ type: kind, asset: null, message }));
  const inFlight = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  // Each invocation waiting out a throttle listens to the signal: more than Node's default of 10 at
  // --concurrency 16 is expected, not a leak. The invocations in flight are let go through the target.
  if (signal) setMaxListeners(inFlight + 10, signal);
  const interruptTarget = () => target.interrupt();
  signal?.addEventListener("abort", interruptTarget, { once: true });
  /** Each step's outcome once it ended (its dependents read it), and why a materialized one blocks them. */
  const outcomes: Array<StepStatus | undefined> = new Array(steps.length);
  const blockers: Array<string | undefined> = [];
  const checks = noChecks();
  const failedChecks: string[] = [];
  const failOnChecks = options.failOnChecks ?? "error";
  const counts: StepCounts = { materialized: 0, failed: 0, skipped: 0, interrupted: 0 };
  const listed: Record<StepStatus, string[]> = { materialized: [], failed: [], skipped: [], interrupted: [] };
  let throttles = 0;
  /** In flight at once: --concurrency, less while Lambda throttles (adaptive-cap.ts). */
  const cap = new AdaptiveCap(inFlight);
  let fatal: UserError | null = null;

  let costUsd = 0;
  const deployedMaps = new DeployedMaps(defs.file);
  const explain: Explain = (functionName, error, maxMemoryMb) => diagnoseFailure(defs, options.cwd ?? dirname(defs.file), functionName, error, maxMemoryMb, options.env ?? process.env);
  const emitFor = (step: Step): Emit => (event) => {
    if (event.type === "throttled") {
      throttles++;
      cap.throttled();
    }
    if (event.type === "invocation-end") costUsd += event.costUsd ?? 0;
    emit(event.type === "run-start" || event.type === "run-end" || event.asset === null ? event : { ...event, partition: step.partition });
  };
  const end = (step: Step, status: StepStatus, startedAt: number, reason: string | null, stepChecks?: StepChecks): StepStatus => {
    counts[status]++;
    const label = stepLabel(step.asset.key, step.partition);
    if (listed[status].length < RUN_END_LISTED) listed[status].push(label);
    const blockedBy = status === "materialized" ? (stepChecks?.blockedBy ?? null) : null;
    if (blockedBy) blockers[step.index] = blockedBy;
    if (stepChecks) {
      addChecks(checks, stepChecks.counts);
      for (const failed of stepChecks.failed) if (failedChecks.length < RUN_END_LISTED) failedChecks.push(`${label}:${failed}`);
    }
    const at = new Date().toISOString();
    emitFor(step)({ type: "asset-end", asset: step.asset.key, status, durationMs: startedAt ? since(startedAt) : 0, reason, endedAt: at, checks: stepChecks?.counts ?? noChecks(), blockedBy });
    return status;
  };

  /** A step that cannot run (its upstream did not materialize, the run stopped or was interrupted) ends at once. */
  const endWithoutRunning = (step: Step): StepStatus | null => {
    if (signal?.aborted) return end(step, "interrupted", 0, INTERRUPTED);
    if (fatal) return end(step, "skipped", 0, "the run stopped: the Lambda service failed");
    if (step.deps.length === 0) return null;
    const blocked = step.deps.filter((d) => outcomes[d] !== "materialized").map((d) => stepLabel(steps[d]!.asset.key, steps[d]!.partition));
    const checked = step.deps.filter((d) => outcomes[d] === "materialized" && blockers[d]).map((d) => `${stepLabel(steps[d]!.asset.key, steps[d]!.partition)} (${blockers[d]})`);
    if (blocked.length === 0 && checked.length === 0) return null;
    const some = (labels: string[]) => (labels.length > 3 ? `${labels.slice(0, 3).join(", ")} and ${labels.length - 3} more` : labels.join(", "));
    const reasons = [blocked.length ? `upstream ${some(blocked)} did not materialize` : "", checked.length ? `upstream ${some(checked)}` : ""];
    return end(step, "skipped", 0, reasons.filter(Boolean).join("; "));
  };

  // Per function, the same for every step of the run: worked out once (path work adds up over a backfill's steps).
  const roots = new Map<string | null, FrameRoots>();
  const rootsOf = (fn: string | null) => getOrCreate(roots, fn, () => frameRoots(defs, fn, deployedMaps));
  const python = (fn: string) => isPythonRuntime(defs.functions.get(fn)?.runtime ?? "");
  const contextParams = new ContextParams();
  const runStep = async (step: Step): Promise<StepStatus> => {
    const { asset } = step;
    const stepStarted = performance.now();
    const stepEmit = emitFor(step);
    const context = stepContext(step, runId, extras);
    // An asset with `run` gets its context to change as it likes: its invocations encode what it is when they go.
    const contextParam = asset.run ? undefined : contextParams.param(asset.key, context);
    const stepChecks = new StepChecks(asset);
    try {
      const ok = await computeAsset(asset, context, contextParam, target, stepEmit, stepChecks, rootsOf, signal, explain, python);
      return end(step, ok ? "materialized" : "failed", stepStarted, null, stepChecks);
    } catch (error) {
      if (error instanceof Interrupted || signal?.aborted) return end(step, "interrupted", stepStarted, INTERRUPTED);
      if (!(error instanceof UserError)) throw error;
      fatal ??= error;
      stepEmit({ type: "error", asset: asset.key, source: "service", errorType: error.name, message: error.message, trace: [] });
      return end(step, "failed", stepStarted, null, stepChecks);
    }
  };

  // Steps start as they become ready, up to the cap at once; one that cannot run ends without a slot.
  const scheduler = new StepScheduler(steps);
  await new Promise<void>((resolve, reject) => {
    let ended = 0;
    let running = 0;
    const settle = (index: number, status: StepStatus) => {
      outcomes[index] = status;
      ended++;
      scheduler.ended(index);
    };
    const pump = () => {
      while (running < cap.value) {
        const index = scheduler.next();
        if (index === undefined) break;
        const step = steps[index]!;
        const status = endWithoutRunning(step);
        if (status) {
          settle(index, status);
          continue;
        }
        running++;
        runStep(step).then((done) => {
          running--;
          cap.ended();
          settle(index, done);
          pump();
        }, reject);
      }
      if (ended === steps.length) resolve();
    };
    pump();
  }).finally(() => {
    stopMessages?.();
    signal?.removeEventListener("abort", interruptTarget);
  });
  emit({
    type: "run-end",
    runId,
    ok: counts.failed + counts.skipped + counts.interrupted === 0 && !checksFail(checks, failOnChecks),
    ...listed,
    counts,
    checks,
    failOnChecks,
    failedChecks,
    throttles,
    costUsd,
    pricedAs: pricedRegion(target.region),
    target: target.kind,
    durationMs: since(started),
  });
  return { runId, counts, checks, checksFailed: checksFail(checks, failOnChecks), fatal };
}

const INTERRUPTED = "the run was interrupted";

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * Runs one asset: its function with the asset's event, or its own `run({ context, lambda })`. True when it
 * materialized. A successful function that reported nothing materializes implicitly, as in Dagster.
 */
/** A failed invocation's diagnosis in words (diagnosis.ts), or null. */
type Explain = (functionName: string, error: RunEventOf<"error">, maxMemoryMb: number | null) => Promise<string | null>;

async function computeAsset(
  asset: Asset,
  context: PipesContextData,
  contextParam: string | undefined,
  target: LambdaTarget,
  emit: Emit,
  checks: StepChecks,
  roots: (functionName: string | null) => FrameRoots,
  signal: AbortSignal | undefined,
  explain: Explain,
  python: (functionName: string) => boolean,
): Promise<boolean> {
  let failed = false;
  const reported = new Set<string>();
  let lastError: RunEventOf<"error"> | null = null;
  let maxMemoryMb: number | null = null;
  const track: Emit = (event) => {
    if (event.type === "error") {
      failed = true;
      lastError = event;
    }
    if (event.type === "invocation-end") maxMemoryMb = event.maxMemoryMb;
    if (event.type === "materialization") reported.add(event.assetKey);
    checks.observe(event);
    emit(event);
  };
  // Stacks and paths as the user knows them, in every view (report/frames.ts).
  const mapped = (functionName: string | null): Emit => {
    const mapper = new FrameMapper(roots(functionName));
    return (event) => {
      const shown = mapper.map(event);
      if (shown) track(shown);
    };
  };
  const invoke = async (functionName: string, event: Record<string, unknown>) => {
    lastError = null;
    const result = await invokeWithPipes(target, { asset: asset.key, functionName, event, context, contextParam, python: python(functionName) }, mapped(functionName), signal);
    const error = lastError as RunEventOf<"error"> | null;
    if (!result.ok && error) {
      const words = await explain(functionName, error, maxMemoryMb).catch(() => null);
      if (words) track({ type: "note", asset: asset.key, message: words });
    }
    return result.payload;
  };
  if (asset.run) {
    try {
      await asset.run({ context, lambda: { run: ({ functionName, event }) => invoke(functionName, event ?? {}) } });
    } catch (error) {
      if (error instanceof UserError || error instanceof Interrupted || signal?.aborted) throw error;
      const e = error instanceof Error ? error : new Error(String(error));
      mapped(null)({ type: "error", asset: asset.key, source: "asset", errorType: e.name, message: e.message, trace: (e.stack ?? "").split("\n").slice(1).map((l) => l.trim()) });
    }
  } else {
    await invoke(asset.function!, asset.event);
  }
  if (!failed && !reported.has(asset.key)) {
    track({ type: "materialization", asset: asset.key, assetKey: asset.key, dataVersion: null, metadata: {}, implicit: true });
  }
  for (const { message } of checks.undeclared()) track({ type: "warning", asset: asset.key, message });
  if (!failed) for (const { check, message } of checks.unreported()) track({ type: "warning", asset: asset.key, message, unreportedCheck: check });
  return !failed;
}

/** The project's folder and the function's source folder, which its stack frames are shown against. */
function frameRoots(defs: ResolvedDefinitions, functionName: string | null, maps: DeployedMaps): FrameRoots {
  const project = dirname(defs.file);
  const handler = functionName ? defs.functions.get(functionName)?.handler : undefined;
  const functionFolder = handler ? resolve(project, dirname(splitHandler(handler).module)) : null;
  return {
    project,
    functionFolder,
    deployed: functionName && functionFolder ? (file, line, column) => maps.position(functionName, functionFolder, file, line, column) : undefined,
  };
}
