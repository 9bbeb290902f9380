// Logging controls in the definitions (fixtures/logging): pipes list shows them, a function whose plain pipes lines
// its level would drop is named before running and after, the handler libraries' messages survive ERROR, and
// reserved variables or bad logging values are refused at load.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, runPipes, tempProject } from "../helpers/run-pipes.js";

const DEFS = join(FIXTURES, "logging/defs.ts");
const WARNING = /function summarize: logs in the JSON format at applicationLevel WARN, where Lambda drops JSON lines without a "level"[^\n]*Use pipes' handler library/;

/** The events a user sees of each asset, without what differs between two runs (ids, times, figures). */
function messageEvents(stdout: string): unknown[] {
  return stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((e) => ["log", "materialization", "check", "custom-message", "asset-end", "warning"].includes(e.type as string))
    .map(({ durationMs: _d, endedAt: _e, ...rest }) => rest)
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe("logging controls from the definitions", () => {
  it("pipes list shows each function's logging and names the function whose messages its level drops", async () => {
    const r = await runPipes(["list", "-f", DEFS, "--profile", "json_error"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/raw_orders\s+→ ingest\s+nodejs24\.x · logs JSON \(app ERROR, system INFO\)/);
    expect(r.stdout).toMatch(/orders_summary\s+→ summarize\s+python3\.12 · logs JSON \(app WARN, system INFO\)/);
    expect(r.stdout).toMatch(WARNING);
    // Only summarize: ingest and report use pipes' handler libraries.
    expect(r.stdout.match(/⚠/g)).toHaveLength(1);
    const json = JSON.parse((await runPipes(["list", "-f", DEFS, "--json"])).stdout);
    expect(json.assets.find((a: { key: string }) => a.key === "raw_orders").logging).toBeNull();
    expect(json.assets.find((a: { key: string }) => a.key === "orders_summary").logging).toEqual({ format: "JSON", applicationLevel: "WARN", systemLevel: "INFO" });
  });

  it("both handler libraries' messages survive ApplicationLogLevel ERROR: the same events as with the Text format", async () => {
    const [text, json] = await Promise.all([
      runPipes(["materialize", "raw_orders", "daily_report", "-f", DEFS, "--json"]),
      runPipes(["materialize", "raw_orders", "daily_report", "-f", DEFS, "--profile", "json_error", "--json"]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    const events = messageEvents(json.stdout);
    expect(events).toEqual(messageEvents(text.stdout));
    expect(events.filter((e) => (e as { type: string }).type === "materialization")).toHaveLength(2);
    expect(events).toContainEqual(expect.objectContaining({ type: "log", asset: "raw_orders", message: "fetching orders for 2024-01-01 from https://shop.example/orders" }));
    expect(events).toContainEqual(expect.objectContaining({ type: "check", checkName: "report_not_empty", passed: true }));
  });

  it("a function writing plain pipes lines at WARN is named before running (materialize, --plan) and after the run", async () => {
    const r = await runPipes(["materialize", "orders_summary", "-f", DEFS]);
    expect(r.code).toBe(0);
    const before = r.stdout.search(WARNING);
    expect(before).toBeGreaterThanOrEqual(0);
    expect(before).toBeLessThan(r.stdout.indexOf("✔ orders_summary"));
    expect(r.stdout).toMatch(/orders_summary: the function sent no pipes messages that reached its log: summarize logs in the JSON format at ApplicationLogLevel WARN/);
    const plan = await runPipes(["materialize", "orders_summary", "-f", DEFS, "--plan", "--json"]);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.stdout.split("\n")[0]!).warnings.join("\n")).toMatch(WARNING);
  });
});

describe("a JSON-format function's own log records", () => {
  it("are shown as level and message (an error with its stack), what its level drops is not there", async () => {
    const r = await runPipes(["materialize", "chatty", "-f", DEFS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/│ WARN a warning line\n/);
    expect(r.stdout).toMatch(/│ ERROR RangeError: out of range\n\s+│ ERROR {5}at /);
    expect(r.stdout).not.toContain("an info line");
    expect(r.stdout).not.toContain('"timestamp"');
  });

  it("the runtime's record of a function error is not shown as output: the error is reported once", async () => {
    const r = await runPipes(["materialize", "fails", "-f", DEFS]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/│ WARN about to fail\n/);
    expect(r.stdout).toContain("pipes closed with exception: Error: it broke");
    expect(r.stdout).not.toContain("Invoke Error");
  });
});

describe("SystemLogLevel WARN", () => {
  it("a log without platform records that fits the 4 KB tail is read as whole: messages, no cut-tail warning", async () => {
    const r = await runPipes(["materialize", "raw_orders", "-f", join(FIXTURES, "logging/syswarn.defs.ts")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fetching orders for 2024-01-01/);
    expect(r.stdout).not.toMatch(/⚠/);
  });
});

describe("definitions Lambda would refuse", () => {
  const project = (fn: string) =>
    tempProject({
      "defs.ts": `export default { assets: { a: { function: "f" } }, functions: { f: { handler: "./h.handler", ${fn} } } };\n`,
      "h.mjs": "export const handler = async () => 1;\n",
    });

  it("a reserved variable: exit 2 naming the function and the variable", async () => {
    const dir = project(`environment: { AWS_REGION: "eu-west-1", MINE: "x" }`);
    const r = await runPipes(["list", "-f", join(dir, "defs.ts")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/function "f"[^\n]*environment variable AWS_REGION is reserved by Lambda/);
    expect(r.stderr).not.toMatch(/MINE/);
  });

  it("more than 4 KB of variables, and bad logging values: exit 2 with each problem", async () => {
    const dir = project(`environment: { BIG: "${"x".repeat(4100)}" }, logging: { format: "Text", applicationLevel: "LOUD" }`);
    const r = await runPipes(["list", "-f", join(dir, "defs.ts")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/environment variables take 4103 bytes \(names and values\); Lambda allows 4096/);
    expect(r.stderr).toMatch(/logging\.applicationLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL, got "LOUD"/);
    expect(r.stderr).toMatch(/logging levels apply only with format: "JSON"/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });
});
