import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/run/events.js";
import { copyFixture, FIXTURES, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

/** The partitions fixture in a folder of its own, with history on and a state folder its handler writes to. */
function project() {
  const dir = tempDir("pipes-backfill-");
  copyFixture("partitions", dir);
  const state = join(dir, "state");
  mkdirSync(state);
  const env = { PIPES_FIXTURE_STATE: state, PIPES_HISTORY: "1" };
  const pipes = (args: string[]) => runPipes(args, { cwd: dir, env });
  const calls = () =>
    readFileSync(join(state, "calls.ndjson"), "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { asset: string; at: number; context: Record<string, unknown> & { partition_key: string } });
  return { dir, state, pipes, calls };
}

const days = Array.from({ length: 10 }, (_, i) => `2024-01-${String(i + 1).padStart(2, "0")}`);
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe("a backfill of daily partitions on the emulator", () => {
  it("runs one invocation per asset × day, each dependent after its own day's upstream; a failed day is retried with --retry last; status shows 10/10", async () => {
    const { state, pipes, calls } = project();
    writeFileSync(join(state, "fail-events-2024-01-04"), "");
    const first = await pipes(["materialize", "events", "daily_totals", "--partition-range", "2024-01-01...2024-01-10"]);
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/✖ 18 materialized, 1 failed \(events\[2024-01-04\]\), 1 skipped \(daily_totals\[2024-01-04\]\)/);
    expect(first.stderr).toMatch(/runs are recorded in \.pipes\/runs.*\.pipes\/ can be git-ignored/);
    // The header says what was asked of partitions, a range as a key is (before: nothing for a range).
    expect(first.stdout).toMatch(/^pipes materialize · defs\.ts · .* · partitions 2024-01-01\.\.\.2024-01-10$/m);

    const ran = calls();
    expect(ran).toHaveLength(19); // 20 planned, the skipped one never invoked
    for (const day of days) {
      const events = ran.find((c) => c.asset === "events" && c.context.partition_key === day)!;
      expect(events.context.partition_key_range).toEqual({ start: day, end: day });
      // Dagster's DailyPartitionsDefinition: [day, next day) in UTC, ISO-8601 with the offset.
      expect(events.context.partition_time_window).toEqual({ start: `${day}T00:00:00+00:00`, end: `${nextDay(day)}T00:00:00+00:00` });
      const totals = ran.find((c) => c.asset === "daily_totals" && c.context.partition_key === day);
      if (day === "2024-01-04") expect(totals).toBeUndefined();
      else expect(totals!.at).toBeGreaterThanOrEqual(events.at);
    }

    rmSync(join(state, "fail-events-2024-01-04"));
    rmSync(join(state, "calls.ndjson"));
    const retry = await pipes(["materialize", "--retry", "last"]);
    expect(retry.code, retry.stdout + retry.stderr).toBe(0);
    expect(calls().map((c) => `${c.asset}[${c.context.partition_key}]`)).toEqual(["events[2024-01-04]", "daily_totals[2024-01-04]"]);
    expect(retry.stdout).toMatch(/✔ 2 materialized/);
    expect(retry.stderr).not.toMatch(/can be git-ignored/); // said once, on first use
    // The retry says which run it retries: its header, pipes runs, and the --json run-start (the page reads those)
    const firstId = /run ([0-9a-f]{8})/.exec(first.stdout)![1]!;
    expect(retry.stdout).toMatch(new RegExp(`^pipes materialize .*retry of run ${firstId}`, "m"));
    const runs = await pipes(["runs"]);
    expect(runs.stdout).toMatch(new RegExp(`^✔ [0-9a-f]{8} retry of ${firstId}`, "m"));
    expect(runs.stdout).toMatch(new RegExp(`^✖ ${firstId} `, "m"));
    const listed = JSON.parse((await pipes(["runs", "--json"])).stdout) as { runs: Array<{ runId: string; retryOf: string | null }> };
    expect(listed.runs[0]!.retryOf?.startsWith(firstId)).toBe(true);
    expect(listed.runs[1]!.retryOf).toBeNull();

    const again = await pipes(["materialize", "--retry", "last"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/Nothing to retry/);

    const status = await pipes(["status", "events", "daily_totals"]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/events +10\/10/);
    expect(status.stdout).toMatch(/daily_totals +10\/10/);
    // The last materialization is the retried day's, and says so (before: a run and a version, no partition).
    expect(status.stdout).toMatch(/events +10\/10 +\S+ \S+ · run [0-9a-f]{8} · partition 2024-01-04/);
    const json = JSON.parse((await pipes(["status", "--json"])).stdout) as { assets: Array<{ asset: string; partitions: { materialized: number; total: number; missing: string[] } | null }> };
    expect(json.assets.find((a) => a.asset === "regions")!.partitions).toMatchObject({ materialized: 0, total: 3, missing: ["eu", "us", "apac"] });
  });

  it("--single-run sends one invocation per asset with the whole range; status counts every day of it", async () => {
    const { pipes, calls } = project();
    const r = await pipes(["materialize", "events", "--partition-range", "2024-01-02...2024-01-05", "--single-run"]);
    expect(r.code, r.stderr).toBe(0);
    const [call, ...more] = calls();
    expect(more).toHaveLength(0);
    expect(call!.context.partition_key).toBeNull();
    expect(call!.context.partition_key_range).toEqual({ start: "2024-01-02", end: "2024-01-05" });
    expect(call!.context.partition_time_window).toEqual({ start: "2024-01-02T00:00:00+00:00", end: "2024-01-06T00:00:00+00:00" });
    const status = await pipes(["status", "events"]);
    expect(status.stdout).toMatch(/events +4\/10 .*missing 2024-01-01, 2024-01-06\.\.\.2024-01-10/);
  });

  it("a function with concurrency 2 under --concurrency 8: throttles are retried and counted, every partition materializes", async () => {
    const { pipes } = project();
    const r = await pipes(["materialize", "shards", "--all-partitions", "--concurrency", "8", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
    const throttled = events.filter((e) => e.type === "throttled");
    expect(throttled.length).toBeGreaterThan(0);
    expect(throttled.every((e) => e.type === "throttled" && e.partition && e.delayMs > 0)).toBe(true);
    const end = events.at(-1) as Extract<RunEvent, { type: "run-end" }>;
    expect(end.counts.materialized).toBe(8);
    expect(end.throttles).toBe(throttled.length);
    expect(events.some((e) => e.type === "error")).toBe(false);
    const text = await pipes(["materialize", "shards", "--all-partitions", "--concurrency", "8"]);
    expect(text.stdout).toMatch(/✔ 8 materialized · \d+ throttles? retried/);
  });

  it("says what is wrong with a partition request, exit 2", async () => {
    const { pipes } = project();
    const outside = await pipes(["materialize", "events", "--partition-range", "2023-12-30...2024-01-02"]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/asset "events"/);
    expect(outside.stderr).toMatch(/^✖ --partition-range 2023-12-30\.\.\.2024-01-02 in defs\.ts:/m); // the flag as it was typed, the file as the user knows it (not its absolute path)
    const none = await pipes(["materialize", "events"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/events is partitioned: pass --partition KEY, --partition-range START\.\.\.END or --all-partitions/);
    const both = await pipes(["materialize", "events", "--partition", "2024-01-01", "--all-partitions"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be combined/);
  });
});

describe("a wide backfill", () => {
  it("runs 16 invocations at once without Node's MaxListenersExceededWarning", async () => {
    const run = await runPipes(["materialize", "-f", join(FIXTURES, "backfill", "defs.ts"), "wide", "--all-partitions", "--concurrency", "16"], { env: { PIPES_BENCH_PARTITIONS: "40" } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✔ 40 materialized/);
    expect(run.stderr).not.toMatch(/MaxListenersExceededWarning/);
  });
});
