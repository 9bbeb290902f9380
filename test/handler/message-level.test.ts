// Under Lambda's JSON log format a JSON line without a "level" is filed as INFO and dropped at ApplicationLogLevel
// WARN or above. Both handler libraries then tag their message lines with the function's level: the emulator's
// filter keeps them, pipes decodes them, and Dagster's reader (PROTOCOL.md §6, run here in Python as written there:
// json.loads, the presence of "__dagster_pipes_version", then handle_message reading only "method" and "params")
// still dispatches every one. Under the Text format the lines stay byte for byte Dagster's.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { pipesEvent } from "../../src/lambda/invoke.js";
import { applicationLevelOf } from "../../src/emulator/logs/json-format.js";
import { buildContext, decodeLine } from "../../src/protocol/index.js";

const HANDLER_DIR = fileURLToPath(new URL("../../src/handler/", import.meta.url));
const event = pipesEvent({}, buildContext({ runId: "run-1", assetKeys: ["orders"], extras: {} }));

const PYTHON_HANDLER = `
from pipes_lambda import with_pipes
@with_pipes
def handler(event, pipes, context):
    pipes.log.info("hello")
    pipes.report_asset_materialization(metadata={"n": 1})
    pipes.report_custom_message({"x": 1})
handler(EVENT, None)
`;
const NODE_HANDLER = `
const { withPipes } = require(${JSON.stringify(`${HANDLER_DIR}pipes-lambda.cjs`)});
const handler = withPipes(async (event, pipes) => {
  pipes.log.info("hello");
  pipes.reportAssetMaterialization({ metadata: { n: 1 } });
  pipes.reportCustomMessage({ x: 1 });
});
handler(JSON.parse(require("fs").readFileSync(0, "utf8")), {});
`;

/** Dagster's reading rules (PROTOCOL.md §6 and handle_message): the methods a line reaches, or "forwarded". */
const DAGSTER_READER = `
import json, sys
class Handler:
    def __init__(self): self.seen = []
    def handle_message(self, message):
        method = message["method"]
        params = message["params"]
        dispatch = {"opened": lambda p: None, "closed": lambda p: None}
        if method in dispatch: dispatch[method](params)
        elif method == "log": (lambda message, level: None)(**params)
        elif method == "report_asset_materialization": (lambda asset_key, metadata, data_version: None)(**params)
        elif method == "report_custom_message": (lambda payload: None)(**params)
        else: raise Exception("Unknown message method: " + method)
        self.seen.append(method)
def extract_message_or_forward_to_stdout(handler, line):
    try:
        msg = json.loads(line)
        if "__dagster_pipes_version" in msg.keys():
            handler.handle_message(msg)
        else:
            handler.seen.append("forwarded")
    except Exception:
        handler.seen.append("forwarded")
h = Handler()
for line in sys.stdin.read().splitlines():
    extract_message_or_forward_to_stdout(h, line)
print(json.dumps(h.seen))
`;

function runHandler(runtime: "python" | "node", env: Record<string, string>): string[] {
  const r =
    runtime === "python"
      ? spawnSync("python3", ["-c", `import json, sys\nsys.path.insert(0, ${JSON.stringify(HANDLER_DIR)})\nEVENT = json.loads(sys.stdin.read())\n${PYTHON_HANDLER}`], { input: JSON.stringify(event), encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } })
      : spawnSync(process.execPath, ["-e", NODE_HANDLER], { input: JSON.stringify(event), encoding: "utf8", env: { PATH: process.env.PATH ?? "", ...env } });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr.split("\n").filter((l) => l.startsWith("{"));
}

const dagsterReads = (lines: string[]): string[] => {
  const r = spawnSync("python3", ["-c", DAGSTER_READER], { input: lines.join("\n"), encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as string[];
};

const METHODS = ["opened", "log", "report_asset_materialization", "report_custom_message", "closed"];

describe.each(["python", "node"] as const)("the %s handler library's message lines", (runtime) => {
  it("under the JSON format at ERROR: carry level ERROR, pass the level filter, and decode for pipes and for Dagster", () => {
    const lines = runHandler(runtime, { AWS_LAMBDA_LOG_FORMAT: "JSON", AWS_LAMBDA_LOG_LEVEL: "ERROR" });
    expect(lines).toHaveLength(METHODS.length);
    for (const line of lines) {
      expect(JSON.parse(line).level).toBe("ERROR");
      expect(applicationLevelOf(line)).toBe("ERROR"); // kept by a filter at ERROR (and below)
    }
    expect(lines.map((l) => decodeLine(l)).map((d) => (d.kind === "message" ? d.message.method : d.kind))).toEqual(METHODS);
    expect(dagsterReads(lines)).toEqual(METHODS);
  });

  it("under the Text format: no level key, Dagster's lines unchanged", () => {
    const lines = runHandler(runtime, {});
    for (const line of lines) expect(Object.keys(JSON.parse(line))).toEqual(["__dagster_pipes_version", "method", "params"]);
    expect(dagsterReads(lines)).toEqual(METHODS);
  });
});
