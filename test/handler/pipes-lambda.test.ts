import Ajv from "ajv";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { pipesEvent } from "../../src/lambda/invoke.js";
import { buildContext, decodeLine } from "../../src/protocol/index.js";

const require = createRequire(import.meta.url);
const lib = require("../../src/handler/pipes-lambda.cjs");
const ajv = new Ajv({ strict: false });
const validateMessage = ajv.compile(JSON.parse(readFileSync(new URL("../schema/PipesMessage.schema.json", import.meta.url), "utf8")));
const validateValue = ajv.compile(JSON.parse(readFileSync(new URL("../schema/PipesMetadataValue.schema.json", import.meta.url), "utf8")));

const event = (extra: Record<string, unknown> = {}, messages: "stdio" | "buffered_stdio" = "buffered_stdio") =>
  pipesEvent({ day: "2024-01-01" }, buildContext({ runId: "run-1", assetKeys: [["orders", "raw"]], partitionKey: "p1", extras: { k: "v", ...extra } }), messages);

/** Runs a handler wrapped with withPipes and returns the lines it wrote to stderr. */
async function run(handler: (event: unknown, pipes: any) => unknown, ev: unknown = event()) {
  const writes: string[] = [];
  const original = process.stderr.write;
  process.stderr.write = ((text: string) => {
    writes.push(text);
    return true;
  }) as typeof process.stderr.write;
  let error: unknown;
  try {
    await lib.withPipes(handler)(ev, {});
  } catch (e) {
    error = e;
  } finally {
    process.stderr.write = original;
  }
  return { lines: writes.join("").split("\n").filter(Boolean), error, writes };
}

describe("pipes-lambda.cjs, the Node.js handler library", () => {
  it("with stdio (pipes' default) writes each message as it happens, so those before a crash survive", async () => {
    const { writes, error } = await run((_e, pipes) => {
      pipes.log.info("before");
      throw new Error("boom");
    }, event({}, "stdio"));
    expect(String(error)).toMatch(/boom/);
    expect(writes.map((w) => JSON.parse(w).method)).toEqual(["opened", "log", "closed"]);
  });

  it("writes Dagster's envelope byte for byte, in one buffered stderr write at close", async () => {
    const { lines, writes } = await run((_e, pipes) => {
      pipes.log.info("Using some_parameter value: 1");
      pipes.reportAssetMaterialization({ dataVersion: "alpha", metadata: { some_metric: { raw_value: 2, type: "int" } } });
    });
    expect(writes).toHaveLength(1);
    expect(lines).toEqual([
      '{"__dagster_pipes_version": "0.1", "method": "opened", "params": {"extras": {}}}',
      '{"__dagster_pipes_version": "0.1", "method": "log", "params": {"message": "Using some_parameter value: 1", "level": "INFO"}}',
      '{"__dagster_pipes_version": "0.1", "method": "report_asset_materialization", "params": {"asset_key": "orders/raw", "data_version": "alpha", "metadata": {"some_metric": {"raw_value": 2, "type": "int"}}}}',
      '{"__dagster_pipes_version": "0.1", "method": "closed", "params": {}}',
    ]);
  });

  it("every message validates against the schemas and decodes with the CLI", async () => {
    const { lines } = await run((_e, pipes) => {
      for (const level of ["debug", "info", "warning", "error", "critical"]) pipes.log[level](`${level} line`);
      pipes.reportAssetMaterialization({
        metadata: {
          n: 1, f: 1.5, s: "text", b: true, nothing: null, list: [1, 2],
          url: lib.metadata.url("https://x"), md: lib.metadata.md("# hi"), ts: lib.metadata.timestamp(1700000000),
          table: lib.metadata.table({ records: [{ a: 1 }], schema: [{ name: "a", type: "int" }] }),
          schema: lib.metadata.tableSchema({ columns: [{ name: "a", type: "int" }] }),
          lineage: lib.metadata.tableColumnLineage({ deps_by_column: { a: [{ asset_key: "up", column_name: "b" }] } }),
          run: lib.metadata.dagsterRun("r"), asset: lib.metadata.asset("a/b"), path: lib.metadata.path("/p"),
        },
      });
      pipes.reportAssetCheck({ checkName: "c", passed: false, severity: "WARN", metadata: { bad_rows: 3 } });
      pipes.reportCustomMessage({ any: ["thing"] });
    });
    expect(lines).toHaveLength(10);
    for (const line of lines) {
      const value = JSON.parse(line);
      expect(validateMessage(value), `${line}\n${ajv.errorsText(validateMessage.errors)}`).toBe(true);
      expect(decodeLine(line).kind, line).toBe("message");
    }
    const mat = JSON.parse(lines[6]!);
    for (const [name, entry] of Object.entries(mat.params.metadata)) {
      if (["table", "schema", "lineage"].includes(name)) continue; // the schema's enum predates these three
      expect(validateValue(entry), name).toBe(true);
    }
    const decoded = decodeLine(lines[6]!);
    expect(decoded.kind === "message" && decoded.message.method === "report_asset_materialization" && decoded.message.metadata.length).toBe(15);
  });

  it("reports a thrown error in closed and rethrows it", async () => {
    const { lines, error } = await run(() => {
      throw new TypeError("boom", { cause: new Error("root cause") });
    });
    expect(error).toBeInstanceOf(TypeError);
    const closed = JSON.parse(lines.at(-1)!);
    expect(closed.method).toBe("closed");
    expect(closed.params.exception).toMatchObject({ message: "TypeError: boom", name: "TypeError", cause: { message: "Error: root cause", name: "Error" }, context: null });
    expect(closed.params.exception.stack[0]).toMatch(/^at /);
  });

  it("works on every warm invocation: a fresh session each time", async () => {
    const handler = async (_e: unknown, pipes: any) => pipes.reportAssetMaterialization({ metadata: { n: 1 } });
    for (let i = 0; i < 3; i++) {
      const { lines, error } = await run(handler);
      expect(error).toBeUndefined();
      expect(lines.map((l) => JSON.parse(l).method)).toEqual(["opened", "report_asset_materialization", "closed"]);
    }
  });

  it("exposes the context: asset key, partition, extras, run id", async () => {
    let seen: Record<string, unknown> = {};
    await run((_e, pipes) => {
      seen = { key: pipes.assetKey, partition: pipes.partitionKey, range: pipes.partitionKeyRange, k: pipes.getExtra("k"), run: pipes.runId, isAsset: pipes.isAssetStep };
    });
    expect(seen).toEqual({ key: "orders/raw", partition: "p1", range: { start: "p1", end: "p1" }, k: "v", run: "run-1", isAsset: true });
    const { error } = await run((_e, pipes) => pipes.getExtra("missing"));
    expect(String(error)).toMatch(/no extra "missing"; extras are: k/);
  });

  it("refuses what Dagster refuses: a second materialization, a key out of scope, a bad wrapped value", async () => {
    const twice = await run((_e, pipes) => {
      pipes.reportAssetMaterialization({});
      pipes.reportAssetMaterialization({});
    });
    expect(String(twice.error)).toMatch(/already materialized/);
    const outOfScope = await run((_e, pipes) => pipes.reportAssetMaterialization({ assetKey: "other" }));
    expect(String(outOfScope.error)).toMatch(/asset other is not in scope/);
    const badValue = await run((_e, pipes) => pipes.reportAssetMaterialization({ metadata: { x: { raw_value: 1, type: "sparkline" } } }));
    expect(String(badValue.error)).toMatch(/metadata "x"/);
  });

  it("outside a pipes invocation it runs the handler and writes nothing", async () => {
    const { lines, error } = await run((_e, pipes) => {
      pipes.log.info("hello");
      pipes.reportAssetMaterialization({ metadata: { n: 1 } });
      pipes.reportAssetCheck({ checkName: "c", passed: true });
      return 1;
    }, { plain: "event" });
    expect(error).toBeUndefined();
    expect(lines).toEqual([]);
  });
});
