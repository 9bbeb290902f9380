import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, ROOT, runPipes, tempProject } from "../helpers/run-pipes.js";

const ORDERS = join(FIXTURES, "orders/defs.ts");

describe("pipes list", () => {
  it("shows the example graph in dependency order with the function each asset invokes", async () => {
    const r = await runPipes(["list", "-f", ORDERS]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("profile local (local emulator)");
    const rows = r.stdout.split("\n").filter((l) => /→/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/).slice(0, 3).join(" "))).toEqual([
      "raw_orders → orders_ingest",
      "clean_orders → orders_clean",
      "orders_summary → summarize",
      "daily_report → report",
    ]);
    expect(r.stdout).toContain("after raw_orders");
    expect(r.stdout).toContain("Pull the day's orders from the shop API");
    expect(r.stdout).not.toMatch(/\u001b\[/); // no colour without a terminal
  });

  it("takes selections and --exclude as materialize does; one that matches nothing is exit 2 naming what exists", async () => {
    const rows = (out: string) => out.split("\n").filter((l) => /→/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
    const up = await runPipes(["list", "-f", ORDERS, "+orders_summary", "--exclude", "raw_orders"]);
    expect(up.code, up.stderr).toBe(0);
    expect(rows(up.stdout)).toEqual(["clean_orders", "orders_summary"]);
    expect(up.stdout).toContain("2 assets (of 4)");
    expect(rows((await runPipes(["list", "-f", ORDERS, "clean_orders+"])).stdout)).toEqual(["clean_orders", "orders_summary", "daily_report"]);
    expect(rows((await runPipes(["list", "-f", ORDERS, "key:*_orders"])).stdout)).toEqual(["raw_orders", "clean_orders"]);
    const none = await runPipes(["list", "-f", ORDERS, "group:nope"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/"group:nope" matched no asset .*\nKnown assets: raw_orders, clean_orders, orders_summary, daily_report\nGroups: none/);
  });

  it("shows each asset's partitions (kind, count, first..last), group and tags, in text and --json", async () => {
    const file = join(FIXTURES, "partitions/defs.ts");
    const text = await runPipes(["list", "-f", file, "group:ingest", "tag:layer=raw"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/events +→ record +nodejs24\.x · daily × 10 \(2024-01-01\.\.2024-01-10\) · group ingest · tags layer=raw/);
    expect(text.stdout).toMatch(/regions +→ record +nodejs24\.x · static × 3 \(eu\.\.apac\)/);
    const doc = JSON.parse((await runPipes(["list", "-f", file, "--json"])).stdout);
    const shards = doc.assets.find((a: { key: string }) => a.key === "shards");
    expect(shards.partitions).toEqual({ kind: "static", count: 8, first: "s1", last: "s8" });
    expect(doc.assets.find((a: { key: string }) => a.key === "daily_totals")).toMatchObject({ group: "reporting", partitions: { kind: "daily", count: 10 } });
  });

  it("--json prints one parseable document, with the profile's function names", async () => {
    const r = await runPipes(["list", "-f", ORDERS, "--profile", "prod", "--json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.profile).toBe("prod");
    expect(doc.target).toEqual({ kind: "aws", region: "eu-west-1", endpoint: null });
    expect(doc.assets.map((a: { key: string; invokes: string }) => `${a.key}=${a.invokes}`)).toEqual([
      "raw_orders=prod-orders_ingest",
      "clean_orders=prod-orders_clean",
      "orders_summary=prod-summarize",
      "daily_report=prod-report",
    ]);
    expect(doc.assets[1].deps).toEqual(["raw_orders"]);
  });

  it("finds defs.ts in the working directory and takes the profile from PIPES_PROFILE", async () => {
    const r = await runPipes(["list", "--json"], { cwd: join(FIXTURES, "orders"), env: { PIPES_PROFILE: "prod" } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ profile: "prod", profileSource: "PIPES_PROFILE" });
  });

  it("loads a defs file outside the repository that imports pipes, its own helpers and an npm package", async () => {
    const dir = tempProject({
      "pipes.defs.ts": `
        import { defineDefinitions } from "pipes";
        import { prefix } from "./helpers/names.ts";
        import { kebab } from "kebab-lib";
        export default defineDefinitions({
          assets: { [kebab("Daily Report")]: { function: prefix("report"), description: "from outside" } },
          profiles: { aws: { lambda: { region: "us-east-1" } } },
          defaultProfile: "aws",
        });`,
      "helpers/names.ts": `export const prefix = (n: string): string => \`team-\${n}\`;`,
      "node_modules/kebab-lib/package.json": JSON.stringify({ name: "kebab-lib", main: "index.js" }),
      "node_modules/kebab-lib/index.js": `exports.kebab = (s) => s.toLowerCase().replace(/ /g, "-");`,
    });
    const r = await runPipes(["list", "--json"], { cwd: dir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      profile: "aws",
      profileSource: "defaultProfile",
      assets: [{ key: "daily-report", invokes: "team-report", description: "from outside" }],
    });
  });

  it("lets other warnings through", async () => {
    const dir = tempProject({ "defs.ts": `process.emitWarning("the defs file warns");\nexport default { assets: { a: { function: "f" } }, functions: { f: { handler: "./h.handler" } } };`, "h.mjs": "" });
    const r = await runPipes(["list"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("Warning: the defs file warns");
  });

  it("prints help and version", async () => {
    const help = await runPipes(["list", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--profile <name>");
    const version = await runPipes(["--version"]);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("bad input: one clear message and exit code 2", () => {
  const project = (defs: string, extra: Record<string, string> = {}) => tempProject({ "defs.ts": defs, ...extra });
  const expectUsageError = async (args: string[], cwd: string, pattern: RegExp) => {
    const r = await runPipes(args, { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr).not.toMatch(/^\s+at .*(node_modules|dist\/)/m); // no stack trace of pipes' own
    expect(r.stdout).toBe("");
    return r.stderr;
  };

  it("missing defs file", async () => {
    const dir = tempProject({});
    await expectUsageError(["list"], dir, /No definitions file: looked for defs\.ts and pipes\.defs\.ts in .*-f FILE.*run `pipes init`/s);
    await expectUsageError(["list", "-f", "nope.ts"], dir, /Definitions file not found: nope\.ts/);
  });

  it("a TypeScript syntax error, with file, line and the line itself", async () => {
    const dir = project(`import { defineDefinitions } from "pipes";\nexport default defineDefinitions({\n  assets: { a: { function: "f" } \n});\n`);
    const err = await expectUsageError(["list"], dir, /defs\.ts:4:1: syntax error: Unexpected token/);
    expect(err).toContain("4 | });");
  });

  it("a defs file that throws on import, with the user's frame", async () => {
    const dir = project(`import { check } from "./check.ts";\ncheck();\nexport default {};\n`, {
      "check.ts": `export function check(): void {\n  throw new Error("SHOP_TOKEN is not set");\n}\n`,
    });
    const err = await expectUsageError(["list"], dir, /defs\.ts failed to load: SHOP_TOKEN is not set/);
    expect(err).toMatch(/check\.ts:2/);
  });

  it("no default export", async () => {
    const dir = project(`export const assets = {};\n`);
    await expectUsageError(["list"], dir, /defs\.ts has no default export\. End it with:\n\s+export default defineDefinitions/);
  });

  it("unknown profile lists the known ones", async () => {
    const r = await expectUsageError(["list", "-f", ORDERS, "--profile", "staging"], ROOT, /unknown profile "staging"/);
    expect(r).toContain('known profiles: "local" and "prod"');
    // The flag is at fault, not the file (before: "fixtures/orders/defs.ts has 1 problem").
    expect(r).toMatch(/^✖ --profile staging: unknown profile "staging"; known profiles: "local" and "prod" \(in fixtures\/orders\/defs\.ts\)/m);
    expect(r).not.toContain("has 1 problem");
  });

  it("unknown dep and a cycle, reported together with the file path", async () => {
    const dir = project(`
      export default {
        assets: {
          a: { function: "f", deps: ["c"] },
          b: { function: "f", deps: ["a"] },
          c: { function: "f", deps: ["b", "raw_ordrs"] },
          raw_orders: { function: "f" },
        },
        functions: { f: { handler: "./h.handler" } },
      };`, { "h.mjs": "export const handler = async () => null;" });
    const err = await expectUsageError(["list"], dir, /defs\.ts has 2 problems:/);
    expect(err).toContain('asset "c": depends on "raw_ordrs", which is not an asset (did you mean "raw_orders"?)');
    expect(err).toContain('asset "a": dependency cycle: a → c → b → a');
  });

  it("a handler that names no file, on the emulator", async () => {
    const dir = project(`export default { assets: { a: { function: "f" } }, functions: { f: { handler: "./src/app.handler" } } };`);
    await expectUsageError(["list"], dir, /function "f": handler "\.\/src\/app\.handler" names no file: tried src\/app\.js, src\/app\.mjs, src\/app\.cjs/);
  });

  it("unknown flag", async () => {
    await expectUsageError(["list", "--colour"], ROOT, /unknown option '--colour'/);
    await expectUsageError(["lst"], ROOT, /unknown command 'lst'/);
  });
});
