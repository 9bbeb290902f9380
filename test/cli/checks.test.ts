import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunEvent, RunEventOf } from "../../src/run/events.js";
import { copyFixture, FIXTURES, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const DEFS = join(FIXTURES, "checks", "defs.ts");
const materialize = (...args: string[]) => runPipes(["materialize", "-f", DEFS, "--all", ...args]);
const events = (stdout: string) => stdout.trim().split("\n").map((line) => JSON.parse(line) as RunEvent);
const assetEnd = (all: RunEvent[], asset: string) => all.find((e): e is RunEventOf<"asset-end"> => e.type === "asset-end" && e.asset === asset)!;

describe("asset checks gate a run", () => {
  it("a failed ERROR check exits 1 and the summary says which; the asset still materializes; --fail-on-checks none exits 0", async () => {
    const passing = await materialize();
    expect(passing.code, passing.stderr).toBe(0);
    expect(passing.stdout).toMatch(/✔ 2 materialized · checks 3 passed · \$[\d.]+ on Lambda/);

    const failing = await materialize("--extra", "fail=typed");
    expect(failing.code, failing.stdout).toBe(1);
    expect(failing.stdout).toMatch(/✖ check typed failed \(severity ERROR\)/);
    expect(failing.stdout).toMatch(/✖ 2 materialized · checks 2 passed, 1 failed \(ERROR\): orders:typed \(ERROR\) \(--fail-on-checks error\)/);

    const ignored = await materialize("--extra", "fail=typed", "--fail-on-checks", "none");
    expect(ignored.code, ignored.stdout).toBe(0);
    expect(ignored.stdout).toMatch(/✔ 2 materialized · checks 2 passed, 1 failed \(ERROR\)/);
  });

  it("a failed WARN check exits 0, unless --fail-on-checks warn", async () => {
    const warned = await materialize("--extra", "fail=fresh");
    expect(warned.code, warned.stdout).toBe(0);
    expect(warned.stdout).toMatch(/checks 2 passed, 1 failed \(WARN\): orders:fresh \(WARN\)/);
    const strict = await materialize("--extra", "fail=fresh", "--fail-on-checks", "warn");
    expect(strict.code, strict.stdout).toBe(1);
    const bad = await materialize("--fail-on-checks", "sometimes");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--fail-on-checks sometimes: expected error .*, warn .* or none/);
  });

  it("a failed blocking check skips the dependents; run-end and asset-end count the checks (--json)", async () => {
    const run = await materialize("--extra", "fail=not_empty", "--json");
    expect(run.code, run.stdout).toBe(1);
    const all = events(run.stdout);
    const orders = assetEnd(all, "orders");
    expect(orders.status).toBe("materialized");
    expect(orders.blockedBy).toBe("blocking check not_empty failed");
    expect(orders.checks).toEqual({ passed: 2, failedError: 1, failedWarn: 0, notReported: 0 });
    const summary = assetEnd(all, "summary");
    expect(summary.status).toBe("skipped");
    expect(summary.reason).toBe("upstream orders (blocking check not_empty failed)");
    expect(all.some((e) => e.type === "invocation-start" && e.asset === "summary")).toBe(false);
    const end = all.at(-1) as RunEventOf<"run-end">;
    expect(end).toMatchObject({ ok: false, failOnChecks: "error", checks: { passed: 2, failedError: 1, failedWarn: 0, notReported: 0 }, failedChecks: ["orders:not_empty (ERROR)"] });
  });

  it("an arm64 function's invocations cost at arm64's price", async () => {
    const run = await materialize("--json");
    const ends = events(run.stdout).filter((e): e is RunEventOf<"invocation-end"> => e.type === "invocation-end");
    const price = (asset: string, perGbSecond: number) => {
      const end = ends.find((e) => e.asset === asset)!;
      return [end.costUsd, (end.memoryMb! / 1024) * (end.billedMs! / 1000) * perGbSecond + 0.0000002];
    };
    const [arm, armExpected] = price("summary", 0.0000133334);
    expect(arm).toBeCloseTo(armExpected!, 15);
    const [x86, x86Expected] = price("orders", 0.0000166667);
    expect(x86).toBeCloseTo(x86Expected!, 15);
  });

  it("a declared check the function never reported is reported, and fails the run", async () => {
    const run = await materialize("--extra", "omit=typed");
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/⚠ orders: the definitions declare check typed, but the function did not report it/);
    expect(run.stdout).toMatch(/checks 2 passed, 1 not reported: orders:typed \(not reported\)/);
  });

  it("a check the definitions do not declare is reported with a warning that Dagster refuses it, once", async () => {
    const run = await materialize("--extra", "undeclared=row_count");
    expect(run.code, run.stdout).toBe(0);
    const warnings = run.stdout.match(/⚠ orders: the function reported check row_count, which the definitions do not declare; Dagster refuses/g);
    expect(warnings).toHaveLength(1);
    expect(run.stdout).toMatch(/add row_count to checks of orders/);
    expect(run.stdout).not.toMatch(/check (not_empty|fresh|typed), which the definitions do not declare/);
  });

  it("pipes list shows the declared checks; pipes runs counts them", async () => {
    const listed = await runPipes(["list", "-f", DEFS]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/check not_empty +blocking · at least one row/);
    expect(listed.stdout).toMatch(/check typed\n/);
    const json = JSON.parse((await runPipes(["list", "-f", DEFS, "--json"])).stdout) as { assets: Array<{ key: string; checks: unknown[] }> };
    expect(json.assets[0]!.checks).toEqual([
      { name: "not_empty", description: "at least one row", blocking: true },
      { name: "fresh", description: "loaded today", blocking: false },
      { name: "typed", description: null, blocking: false },
    ]);

    const dir = tempDir("pipes-checks-");
    copyFixture("checks", dir);
    const env = { PIPES_HISTORY: "1" };
    expect((await runPipes(["materialize", "--all", "--extra", "fail=typed"], { cwd: dir, env })).code).toBe(1);
    const runs = await runPipes(["runs"], { cwd: dir, env });
    expect(runs.stdout).toMatch(/✖ [0-9a-f]{8} .* 2 ok, checks 2✔ 1✖ /);
  });
});
