import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/run/events.js";
import { FIXTURES, runPipes, tempProject } from "../helpers/run-pipes.js";

const ORDERS = join(FIXTURES, "orders/defs.ts");
const SCENARIOS = join(FIXTURES, "scenarios/defs.ts");

const materialize = (args: string[], file = SCENARIOS) => runPipes(["materialize", "-f", file, ...args]);
async function events(args: string[], file = SCENARIOS): Promise<{ code: number | null; events: RunEvent[]; stderr: string }> {
  const r = await materialize([...args, "--json"], file);
  const lines = r.stdout.split("\n").filter(Boolean);
  return { code: r.code, events: lines.map((l) => JSON.parse(l) as RunEvent), stderr: r.stderr };
}
const ofType = <T extends RunEvent["type"]>(list: RunEvent[], type: T) => list.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);

describe("pipes materialize: the example pipeline on the emulator", () => {
  it("runs every asset in order and shows logs, metadata, tables, checks and Python output", async () => {
    const r = await materialize(["--all"], ORDERS);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    const order = ["✔ raw_orders", "✔ clean_orders", "✔ orders_summary", "✔ daily_report"].map((s) => out.indexOf(s));
    expect(order.every((i, k) => i >= 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(out).toMatch(/INFO {5}fetching orders for 2024-01-01 from https:\/\/shop\.example\/eu\/orders/);
    expect(out).toMatch(/row_count {2}3 +\(int, inferred\)/);
    expect(out).toMatch(/preview {4}3 rows × 3 columns +\(table\)/);
    expect(out).toMatch(/│ id {2}amount {2}currency/);
    expect(out).toMatch(/WARNING {2}dropped 1 test order\(s\)/);
    expect(out).toContain("✔ check no_test_orders passed (severity ERROR)");
    expect(out).not.toMatch(/which the definitions do not declare|did not report/); // the example declares what it reports
    expect(out).toMatch(/│ summarizing for request [0-9a-f-]{36}/); // Python print, raw
    expect(out).toMatch(/revenue {6}32\.5 +\(float\)/);
    expect(out).toMatch(/cold \(init \d+ ms\)/);
    expect(out).toMatch(/INFO {5}building the report for 2024-01-01/); // Python, with pipes_lambda.py
    expect(out).toMatch(/path {13}\/reports\/2024-01-01\.pdf +\(path\)/);
    expect(out).toMatch(/✔ 4 materialized · checks 3 passed · \$0\.0000\d+ on Lambda \(us-east-1 prices\) in \d+\.\d s/);
    expect(out).not.toMatch(/\u001b\[/);
    expect(r.stderr).not.toContain("NodeVersionSupportWarning"); // the AWS SDK's Node 20 notice is kept out
  });

  it("colours levels, marks and types when colour is forced (as on a terminal), and not with NO_COLOR", async () => {
    const colored = await runPipes(["materialize", "-f", SCENARIOS, "fails"], { env: { FORCE_COLOR: "1", NO_COLOR: "" } });
    expect(colored.stdout).toContain("\u001b[31m✖\u001b[39m"); // the red mark of the failed asset
    expect(colored.stdout).toMatch(/\u001b\[36mINFO {4}\u001b\[39m starting the broken step/); // INFO in cyan
    const plain = await runPipes(["materialize", "-f", SCENARIOS, "fails"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(plain.stdout).not.toMatch(/\u001b\[/);
  });

  it("--json writes one event per line, every kind a CI script needs", async () => {
    const { code, events: list } = await events(["--all"], ORDERS);
    expect(code).toBe(0);
    expect(list[0]).toMatchObject({ type: "run-start", profile: "local", target: "emulator", assets: ["raw_orders", "clean_orders", "orders_summary", "daily_report"] });
    expect(list.at(-1)).toMatchObject({ type: "run-end", ok: true, materialized: ["raw_orders", "clean_orders", "orders_summary", "daily_report"], failed: [], skipped: [] });
    const types = new Set(list.map((e) => e.type));
    for (const t of ["invocation-start", "invocation-end", "log", "materialization", "check", "output", "asset-end"]) expect(types).toContain(t);
    const preview = ofType(list, "materialization").find((m) => m.asset === "raw_orders")!.metadata.preview!;
    expect(preview).toMatchObject({ type: "table", columns: [{ name: "id", type: "int" }, { name: "amount" }, { name: "currency" }] });
    expect(ofType(list, "check").map((c) => [c.checkName, c.passed, c.severity])).toEqual([
      ["no_test_orders", true, "ERROR"],
      ["has_orders", true, "WARN"],
      ["report_not_empty", true, "ERROR"],
    ]);
    // Each invocation's cost is its REPORT's billed GB-seconds at x86_64's price plus a request (us-east-1, as on
    // Lambda); the run's is their sum.
    const ends = ofType(list, "invocation-end");
    for (const end of ends) expect(end.costUsd).toBeCloseTo((end.memoryMb! / 1024) * (end.billedMs! / 1000) * 0.0000166667 + 0.0000002, 15);
    const total = ends.reduce((sum, e) => sum + e.costUsd!, 0);
    expect(list.at(-1)).toMatchObject({ type: "run-end", pricedAs: "us-east-1", target: "emulator" });
    expect((list.at(-1) as Extract<RunEvent, { type: "run-end" }>).costUsd).toBeCloseTo(total, 15);
  });
});

describe("pipes materialize: failures", () => {
  it("a function error: exit 1, the messages before it and the error are both shown", async () => {
    const r = await materialize(["fails"]);
    expect(r.code).toBe(1);
    const log = r.stdout.indexOf("starting the broken step");
    const error = r.stdout.indexOf("RangeError: amount out of range: -5");
    expect(log).toBeGreaterThan(0);
    expect(error).toBeGreaterThan(log);
    expect(r.stdout).toContain("✔ check input_present passed");
    expect(r.stdout).toMatch(/fails\.mjs:\d+/); // the user's frame, not the runtime's
    expect(r.stdout).not.toMatch(/node-bootstrap|pipes-lambda\.cjs/);
    expect(r.stdout).toMatch(/✖ 1 failed \(fails\)/);
    const { events: list } = await events(["fails"]);
    const kinds = list.map((e) => (e.type === "error" ? `error:${e.source}` : e.type));
    expect(kinds.indexOf("log")).toBeLessThan(kinds.indexOf("error:pipes"));
    expect(kinds).toContain("error:function");
    expect(ofType(list, "error").find((e) => e.source === "function")).toMatchObject({ errorType: "RangeError", message: "amount out of range: -5" });
  });

  it("pipes closed with an exception fails the asset though the function returned", async () => {
    const r = await materialize(["closed_exception"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("WARNING  upstream data looks wrong");
    expect(r.stdout).toContain("pipes closed with exception: Error: validation failed: 3 rows without id");
  });

  it("--upstream runs dependencies first; an asset whose dependency failed is skipped", async () => {
    const { code, events: list } = await events(["after_after_fails", "after_ok", "--upstream"]);
    expect(code).toBe(1);
    const ends = Object.fromEntries(ofType(list, "asset-end").map((e) => [e.asset, e.status]));
    expect(ends).toEqual({ ok: "materialized", after_ok: "materialized", fails: "failed", after_fails: "skipped", after_after_fails: "skipped" });
    const starts = ofType(list, "invocation-start").map((e) => e.asset);
    expect(starts.indexOf("ok")).toBeLessThan(starts.indexOf("after_ok"));
    expect(starts).not.toContain("after_fails");
    expect(ofType(list, "asset-end").find((e) => e.asset === "after_fails")!.reason).toBe("upstream fails did not materialize");
    expect(list.at(-1)).toMatchObject({ type: "run-end", ok: false, failed: ["fails"], skipped: ["after_fails", "after_after_fails"] });
  });

  it("an unknown asset: exit 2 with the known assets listed", async () => {
    const r = await materialize(["okk"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown asset "okk" \(did you mean "ok"\?\)/);
    expect(r.stderr).toContain("Known assets: ok, after_ok, fails");
    // The file as the user named it, from where they are: before, its absolute path.
    expect(r.stderr).toContain("in fixtures/");
    expect(r.stderr).not.toContain(FIXTURES);
  });

  it("a profile whose endpoint is unreachable: exit 3, a clear message, no hang", async () => {
    const r = await materialize(["ok", "after_ok", "--profile", "unreachable"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain("Cannot reach the Lambda endpoint of http://127.0.0.1:9");
    expect(r.stdout).toMatch(/↷ after_ok {2}skipped/);
  });
});

describe("pipes materialize: context and protocol", () => {
  it("partition and extras reach the handler's context", async () => {
    const { events: list } = await events(["ok", "--partition", "2024-03-02", "--extra", "sample=0.5", "--extra", "team=data"]);
    const m = ofType(list, "materialization")[0]!;
    expect(m.metadata.partition).toMatchObject({ type: "text", value: "2024-03-02" });
    expect(m.metadata.extras).toMatchObject({ type: "json", value: { env: "local", sample: 0.5, team: "data" } });
    expect(m.metadata.event_day).toMatchObject({ value: "2024-03-01" });
    expect(list[0]).toMatchObject({ partition: "2024-03-02", extras: { env: "local", sample: 0.5, team: "data" } });
  });

  it("the library's wrapper works on the second warm invocation", async () => {
    const { code, events: list } = await events(["ok", "after_ok"]);
    expect(code).toBe(0);
    const byAsset = Object.fromEntries(ofType(list, "materialization").map((m) => [m.asset, m.metadata.invocation]));
    expect(byAsset).toEqual({ ok: { type: "int", value: 1, inferred: true }, after_ok: { type: "int", value: 2, inferred: true } });
    expect(ofType(list, "invocation-end").map((e) => e.cold)).toEqual([true, false]);
    expect(ofType(list, "custom-message").map((e) => e.payload)).toEqual([{ invocations: 1 }, { invocations: 2 }]);
  });

  it("messages beyond the 4 KB tail are read whole from CloudWatch Logs, with a note saying so", async () => {
    const r = await materialize(["chatty"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("chatty: the log was longer than the 4,096 bytes Invoke returns; every message was read from CloudWatch Logs (/aws/lambda/chatty)");
    for (let i = 1; i <= 60; i++) expect(r.stdout).toContain(`progress line ${i} `);
    expect(r.stdout).not.toMatch(/were lost|cut/);
    expect(r.stdout).toMatch(/materialized chatty\n {4}lines {2}60/);
  });

  it("the hint for a handler that sends no messages names its own language's library", async () => {
    const dir = tempProject({
      "defs.ts": `
        import { defineDefinitions } from "pipes";
        export default defineDefinitions({
          assets: { quiet_js: { function: "quiet_js" }, quiet_py: { function: "quiet_py" } },
          functions: {
            quiet_js: { handler: "./quiet.handler" },
            quiet_py: { handler: "./quiet_py.handler", runtime: "python3.12" },
          },
        });`,
      "quiet.mjs": "export const handler = async () => 1;\n",
      "quiet_py.py": "def handler(event, context):\n    return 1\n",
    });
    const r = await runPipes(["materialize", "--all"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const hint = (asset: string) => r.stdout.split("\n").find((l) => l.includes(`${asset}: the function sent no pipes messages`)) ?? "";
    // Before: both said "withPipes from pipes-lambda.cjs", a Node.js file, to a Python user too.
    expect(hint("quiet_py")).toContain("with_pipes from pipes_lambda.py");
    expect(hint("quiet_py")).not.toContain("pipes-lambda.cjs");
    expect(hint("quiet_js")).toContain("withPipes from pipes-lambda.cjs");
    expect(hint("quiet_js")).not.toContain("pipes_lambda.py");
  });

  it("a handler that sends no messages gets a hint and an implicit materialization", async () => {
    const r = await materialize(["silent"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("the function sent no pipes messages");
    expect(r.stdout).toContain("│ INFO just doing my thing");
    expect(r.stdout).toContain("materialized silent (no materialization reported: implicit, as in Dagster)");
  });

  it("CommonJS handlers and assets with their own run()", async () => {
    const { code, events: list } = await events(["cjs", "custom"]);
    expect(code).toBe(0);
    const meta = Object.fromEntries(ofType(list, "materialization").map((m) => [m.asset, m.metadata]));
    expect(meta.cjs!.style).toEqual({ type: "text", value: "commonjs" });
    expect(meta.custom!.event_day).toMatchObject({ value: "custom-1" });
  });
});

describe("selections", () => {
  it("materialize takes Dagster's selection syntax and --exclude; a selection that matches nothing is exit 2", async () => {
    const up = await runPipes(["materialize", "-f", join(FIXTURES, "orders/defs.ts"), "+orders_summary", "--exclude", "raw_orders", "--json"]);
    expect(up.code, up.stderr).toBe(0);
    const started = up.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "run-start");
    expect(started.assets).toEqual(["clean_orders", "orders_summary"]);
    const down = await runPipes(["materialize", "-f", join(FIXTURES, "orders/defs.ts"), "orders_summary+", "key:raw_*", "--json"]);
    expect(down.code, down.stderr).toBe(0);
    const downStart = down.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((e) => e.type === "run-start");
    expect(downStart.assets).toEqual(["raw_orders", "orders_summary", "daily_report"]);
    const none = await runPipes(["materialize", "-f", join(FIXTURES, "orders/defs.ts"), "key:nothing_*"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/"key:nothing_\*" matched no asset in .*defs\.ts\.\nKnown assets: raw_orders, clean_orders, orders_summary, daily_report/);
  });
});
