// The Python library, run by the machine's python3: messages validate against the schemas and decode with the CLI.
import Ajv from "ajv";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pipesEvent } from "../../src/lambda/invoke.js";
import { buildContext, decodeLine } from "../../src/protocol/index.js";

const HANDLER_DIR = fileURLToPath(new URL("../../src/handler/", import.meta.url));
const ajv = new Ajv({ strict: false });
const schema = (name: string) => JSON.parse(readFileSync(new URL(`../schema/${name}.schema.json`, import.meta.url), "utf8"));
const validateMessage = ajv.compile(schema("PipesMessage"));
const exceptionSchema = schema("PipesException");
delete exceptionSchema.properties.context.$ref; // the stray $ref beside oneOf: see test/protocol/schema.test.ts
const validateException = ajv.compile(exceptionSchema);

/** Runs a Python snippet with pipes_lambda importable and the event in EVENT; returns its stderr lines. */
function python(code: string, event: unknown): { lines: string[]; stdout: string; stderr: string; status: number | null } {
  const r = spawnSync("python3", ["-c", `import json, sys\nsys.path.insert(0, ${JSON.stringify(HANDLER_DIR)})\nEVENT = json.loads(sys.stdin.read())\n${code}`], {
    input: JSON.stringify(event),
    encoding: "utf8",
  });
  return { lines: r.stderr.split("\n").filter((l) => l.startsWith("{")), stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const event = pipesEvent({ day: "2024-01-01" }, buildContext({ runId: "run-9", assetKeys: ["orders"], partitionKey: "2024-01-01", extras: { k: 1 } }));

describe("pipes_lambda.py, the Python handler library", () => {
  it("writes Dagster's lines byte for byte, valid against the schemas, decodable by the CLI", () => {
    const { lines, stdout, status } = python(
      `
from pipes_lambda import metadata, with_pipes

@with_pipes
def handler(event, pipes, context):
    pipes.log.info("Using some_parameter value: 1")
    for level in ("debug", "warning", "error", "critical"):
        getattr(pipes.log, level)(level)
    pipes.report_asset_materialization(data_version="alpha", metadata={"some_metric": {"raw_value": 2, "type": "int"}, "n": 1.5, "url": metadata.url("https://x"), "t": metadata.table({"records": [{"a": 1}], "schema": [{"name": "a", "type": "int"}]})})
    pipes.report_asset_check("positive", passed=False, severity="WARN", metadata={"bad": 3})
    pipes.report_custom_message({"x": [1, 2]})
    print(json.dumps([pipes.asset_key, pipes.partition_key, pipes.get_extra("k"), pipes.run_id]))
    return 1

handler(EVENT, None)
`,
      event,
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toEqual(["orders", "2024-01-01", 1, "run-9"]);
    expect(lines[0]).toBe('{"__dagster_pipes_version": "0.1", "method": "opened", "params": {"extras": {}}}');
    expect(lines[1]).toBe('{"__dagster_pipes_version": "0.1", "method": "log", "params": {"message": "Using some_parameter value: 1", "level": "INFO"}}');
    expect(lines).toHaveLength(10);
    for (const line of lines) {
      expect(validateMessage(JSON.parse(line)), line).toBe(true);
      expect(decodeLine(line).kind, line).toBe("message");
    }
    const decoded = lines.map(decodeLine).map((d) => (d.kind === "message" ? d.message.method : d.kind));
    expect(decoded).toEqual(["opened", "log", "log", "log", "log", "log", "report_asset_materialization", "report_asset_check", "report_custom_message", "closed"]);
  });

  it("reports an exception in closed, raises it, and works on every warm invocation", () => {
    const { lines, stdout } = python(
      `
from pipes_lambda import with_pipes

@with_pipes
def handler(event, pipes, context):
    pipes.log.info("before")
    if event.get("fail"):
        try:
            {}["missing"]
        except KeyError as error:
            raise ValueError("bad value") from error
    return "ok"

results = []
for fail in (False, True, False):
    try:
        results.append(handler({**EVENT, "fail": fail}, None))
    except ValueError as error:
        results.append(f"raised {error}")
print(json.dumps(results))
`,
      event,
    );
    expect(JSON.parse(stdout)).toEqual(["ok", "raised bad value", "ok"]);
    const methods = lines.map((l) => JSON.parse(l).method);
    expect(methods).toEqual(["opened", "log", "closed", "opened", "log", "closed", "opened", "log", "closed"]);
    const exception = JSON.parse(lines[5]!).params.exception;
    expect(exception).toMatchObject({ message: "ValueError: bad value\n", name: "ValueError", cause: { name: "KeyError", message: "KeyError: 'missing'\n" } });
    expect(exception.stack.join("")).toContain("in handler");
    expect(validateException(exception), ajv.errorsText(validateException.errors)).toBe(true);
    const d = decodeLine(lines[5]!);
    expect(d.kind === "message" && d.message.method === "closed" && d.message.exception?.name).toBe("ValueError");
  });

  it("outside a pipes invocation it runs the handler, writes no message and warns once, as dagster_pipes does", () => {
    const { lines, stdout, stderr } = python(
      `
from pipes_lambda import with_pipes

@with_pipes
def handler(event, pipes, context):
    pipes.log.info("hi")
    pipes.report_asset_materialization(metadata={"n": 1})
    return 5

print(handler({"plain": True}, None))
print(handler({"plain": True}, None))
`,
      {},
    );
    expect(stdout.trim()).toBe("5\n5");
    expect(lines).toEqual([]);
    expect(stderr.match(/PipesWarning: This invocation was not started by a pipes orchestrator/g)).toHaveLength(1);
  });
});
