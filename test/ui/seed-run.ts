// A long run's history written straight to .pipes/runs, as the recorder writes it (one event per line, the shapes
// of src/run/events.ts): running 10,000 invocations in a test would take minutes; the page reads the file the same.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const noChecks = { passed: 0, failedError: 0, failedWarn: 0, notReported: 0 };

/** A day `i` days after 1990-01-01, as a daily partition key. */
export const day = (i: number): string => new Date(Date.UTC(1990, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);

/**
 * A run of `steps` partitions of the daily asset `days`, ten at a time, 100 ms each; the step at `failAt` throws
 * `kaboom-<failAt>`. Each step logs a DEBUG and an INFO line. Returns the run's id.
 */
export function seedRun(projectDir: string, options: { runId: string; steps: number; failAt: number; startedAt: string }): string {
  const { runId, steps, failAt } = options;
  const t0 = Date.parse(options.startedAt);
  const iso = (t: number) => new Date(t).toISOString();
  const lines: unknown[] = [
    {
      type: "run-start",
      runId,
      startedAt: options.startedAt,
      file: join(projectDir, "defs.ts"),
      profile: "local",
      target: "emulator",
      assets: ["days"],
      partition: null,
      partitionRequest: { kind: "range", start: day(0), end: day(steps - 1) },
      singleRun: false,
      retryOf: null,
      onlySteps: null,
      steps,
      stepsPerAsset: { days: steps },
      extras: {},
    },
  ];
  const labels: string[] = [];
  for (let i = 0; i < steps; i++) {
    const partition = day(i);
    const step = { asset: "days", partition };
    const start = t0 + Math.floor(i / 10) * 120 + (i % 10) * 3;
    const ok = i !== failAt;
    const cold = i < 10;
    labels.push(`days[${partition}]`);
    lines.push({ type: "invocation-start", ...step, functionName: "days", startedAt: iso(start) });
    lines.push({ type: "log", ...step, level: "DEBUG", message: `rows read for ${partition}: ${i * 7}` });
    lines.push({ type: "log", ...step, level: "INFO", message: `loading ${partition}` });
    if (!ok) {
      lines.push({ type: "log", ...step, level: "WARNING", message: "this is the last line before it" });
      lines.push({ type: "error", ...step, source: "function", errorType: "Error", message: `kaboom-${i}`, trace: ["Error: kaboom", "    at handler (file:///days.mjs:5:9)"] });
    }
    lines.push({
      type: "invocation-end",
      ...step,
      functionName: "days",
      requestId: `req-${i}`,
      ok,
      durationMs: 100,
      lambdaDurationMs: cold ? 40 : 80,
      billedMs: cold ? 80 : 80,
      initDurationMs: cold ? 40 : null,
      cold,
      memoryMb: 128,
      maxMemoryMb: 71,
      costUsd: 1.7e-7,
    });
    if (ok) lines.push({ type: "materialization", ...step, assetKey: "days", dataVersion: null, metadata: { rows: { type: "int", value: i * 7 } }, implicit: false });
    lines.push({ type: "asset-end", ...step, status: ok ? "materialized" : "failed", durationMs: 102, reason: ok ? null : `Error: kaboom-${i}`, endedAt: iso(start + 102), checks: noChecks, blockedBy: null });
  }
  lines.push({
    type: "run-end",
    runId,
    ok: false,
    materialized: labels.filter((_, i) => i !== failAt).slice(0, 100),
    failed: [labels[failAt]],
    skipped: [],
    interrupted: [],
    counts: { materialized: steps - 1, failed: 1, skipped: 0, interrupted: 0 },
    checks: noChecks,
    failOnChecks: "error",
    failedChecks: [],
    throttles: 0,
    costUsd: steps * 1.7e-7,
    pricedAs: "us-east-1 arm64",
    target: "emulator",
    durationMs: Math.ceil(steps / 10) * 120,
  });
  const dir = join(projectDir, ".pipes", "runs");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${options.startedAt.replace(/[-:]/g, "")}-${runId}.ndjson`), lines.map((l) => `${JSON.stringify(l)}\n`).join(""), { mode: 0o600 });
  return runId;
}

/**
 * A run that materialized partitions 0 … `partitions - 1` of the daily asset `days` (from 1990-01-01), each with a
 * `rows` value: only the events the asset page's plot reads, so that 40,000 partitions stay a file of a few MB.
 */
export function seedMaterializations(projectDir: string, options: { runId: string; partitions: number; startedAt: string }): void {
  const { runId, partitions, startedAt } = options;
  const lines: unknown[] = [
    { type: "run-start", runId, startedAt, file: join(projectDir, "defs.ts"), profile: "local", target: "emulator", assets: ["days"], partition: null, partitionRequest: { kind: "range", start: day(0), end: day(partitions - 1) }, singleRun: false, retryOf: null, onlySteps: null, steps: partitions, stepsPerAsset: { days: partitions }, extras: {} },
  ];
  for (let i = 0; i < partitions; i++) {
    const step = { asset: "days", partition: day(i) };
    lines.push({ type: "materialization", ...step, assetKey: "days", dataVersion: null, metadata: { rows: { type: "int", value: i % 100 } }, implicit: false });
    lines.push({ type: "asset-end", ...step, status: "materialized", durationMs: 1, reason: null, endedAt: startedAt, checks: noChecks, blockedBy: null });
  }
  lines.push({ type: "run-end", runId, ok: true, materialized: [], failed: [], skipped: [], interrupted: [], counts: { materialized: partitions, failed: 0, skipped: 0, interrupted: 0 }, checks: noChecks, failOnChecks: "error", failedChecks: [], throttles: 0, costUsd: 0, pricedAs: "us-east-1 arm64", target: "emulator", durationMs: 1000 });
  const dir = join(projectDir, ".pipes", "runs");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, `${startedAt.replace(/[-:]/g, "")}-${runId}.ndjson`), lines.map((l) => `${JSON.stringify(l)}\n`).join(""), { mode: 0o600 });
}
