// LoggingConfig (advanced logging controls) and reserved variables, through the real SDK clients against the
// emulator: what the API keeps and refuses, and what a JSON-format function's tail and CloudWatch Logs hold.
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateFunctionCommand, GetFunctionCommand, GetFunctionConfigurationCommand, UpdateFunctionConfigurationCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { Emulator } from "../../src/emulator/index.js";
import { invoke, withEmulator } from "../helpers/emulator.js";

const NODE_APP = `
export const handler = async () => {
  console.info("quiet info");
  console.log({ also: "info" });
  console.warn("careful", 42);
  console.error(new TypeError("boom"));
  console.error({ kept: true });
  process.stdout.write("a plain line\\n");
  process.stdout.write(JSON.stringify({ level: "ERROR", note: "raw json at ERROR" }) + "\\n");
  process.stderr.write(JSON.stringify({ note: "raw json without level" }) + "\\n");
  return { env: { format: process.env.AWS_LAMBDA_LOG_FORMAT, level: process.env.AWS_LAMBDA_LOG_LEVEL } };
};
`;
const PYTHON_APP = `
import json, logging, os, sys
logger = logging.getLogger()
def handler(event, context):
    logger.info("quiet info")
    logger.warning("careful %s", 42)
    try:
        1 / 0
    except ZeroDivisionError:
        logger.exception("it failed")
    print("a plain line")
    print(json.dumps({"level": "ERROR", "note": "raw json at ERROR"}))
    return {"env": {"format": os.environ.get("AWS_LAMBDA_LOG_FORMAT"), "level": os.environ.get("AWS_LAMBDA_LOG_LEVEL")}}
`;
const ROLE = "arn:aws:iam::123456789012:role/x";
const nodeZip = zipSync({ "app.mjs": strToU8(NODE_APP) });
const pythonZip = zipSync({ "app.py": strToU8(PYTHON_APP) });
const create = (FunctionName: string, extra: Record<string, unknown> = {}) =>
  new CreateFunctionCommand({ FunctionName, Role: ROLE, Runtime: "nodejs22.x", Handler: "app.handler", Code: { ZipFile: nodeZip }, ...extra });
const fail = (p: Promise<unknown>) => p.then(() => null, (e: { name: string; message: string; $metadata: { httpStatusCode: number } }) => e);
const logsClient = (emulator: Emulator) =>
  new CloudWatchLogsClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "t", secretAccessKey: "t" }, maxAttempts: 1 });

describe("LoggingConfig through the API", () => {
  it("is kept and read back with AWS's defaults, and bad values get AWS's errors", () =>
    withEmulator([], async (_emulator, lambda) => {
      await lambda.send(create("warn", { LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "WARN" } }));
      const warn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "warn" }));
      expect(warn.LoggingConfig).toEqual({ LogFormat: "JSON", ApplicationLogLevel: "WARN", SystemLogLevel: "INFO", LogGroup: "/aws/lambda/warn" });
      await lambda.send(create("plain"));
      const plain = await lambda.send(new GetFunctionCommand({ FunctionName: "plain" }));
      expect(plain.Configuration!.LoggingConfig).toEqual({ LogFormat: "Text", LogGroup: "/aws/lambda/plain" });

      const updated = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "plain", LoggingConfig: { LogFormat: "JSON", SystemLogLevel: "WARN", LogGroup: "/custom/group" } }));
      expect(updated.LoggingConfig).toEqual({ LogFormat: "JSON", ApplicationLogLevel: "INFO", SystemLogLevel: "WARN", LogGroup: "/custom/group" });
      const back = await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "plain", LoggingConfig: { LogFormat: "Text" } }));
      expect(back.LoggingConfig).toEqual({ LogFormat: "Text", LogGroup: "/custom/group" });

      const textWithLevel = await fail(lambda.send(create("t", { LoggingConfig: { LogFormat: "Text", ApplicationLogLevel: "ERROR" } })));
      expect(textWithLevel).toMatchObject({ name: "InvalidParameterValueException", $metadata: { httpStatusCode: 400 } });
      expect(textWithLevel!.message).toMatch(/LogLevel is not supported when LogFormat is set to "Text"/);
      const badFormat = await fail(lambda.send(create("f", { LoggingConfig: { LogFormat: "XML" } })));
      expect(badFormat).toMatchObject({ name: "ValidationException", message: "1 validation error detected: Value 'XML' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [Text, JSON]" });
      const badLevel = await fail(lambda.send(create("l", { LoggingConfig: { LogFormat: "JSON", SystemLogLevel: "ERROR" } })));
      expect(badLevel).toMatchObject({ name: "ValidationException", message: expect.stringContaining("at 'loggingConfig.systemLogLevel'") });
    }));
});

describe("reserved variables and the 4 KB limit", () => {
  const reserved = (names: string) =>
    `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${names}`;
  it("are refused by CreateFunction and UpdateFunctionConfiguration with AWS's words", () =>
    withEmulator([], async (_emulator, lambda) => {
      const created = await fail(lambda.send(create("r", { Environment: { Variables: { AWS_REGION: "eu-west-1", MINE: "1" } } })));
      expect(created).toMatchObject({ name: "InvalidParameterValueException", message: reserved("AWS_REGION"), $metadata: { httpStatusCode: 400 } });
      await lambda.send(create("ok", { Environment: { Variables: { MINE: "1" } } }));
      const updated = await fail(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "ok", Environment: { Variables: { AWS_LAMBDA_FUNCTION_NAME: "x", _HANDLER: "y" } } })));
      expect(updated).toMatchObject({ name: "InvalidParameterValueException", message: reserved("AWS_LAMBDA_FUNCTION_NAME, _HANDLER") });
      const big = await fail(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: "ok", Environment: { Variables: { BIG: "x".repeat(4094) } } })));
      expect(big).toMatchObject({ name: "InvalidParameterValueException", message: expect.stringContaining("exceeded the 4KB limit") });
      const kept = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: "ok" }));
      expect(kept.Environment!.Variables).toEqual({ MINE: "1" });
    }));
});

async function cloudWatchMessages(emulator: Emulator, group: string): Promise<string[]> {
  const logs = logsClient(emulator);
  try {
    const out = await logs.send(new FilterLogEventsCommand({ logGroupName: group }));
    return out.events!.map((e) => e.message!.replace(/\n$/, ""));
  } finally {
    logs.destroy();
  }
}

function records(lines: string[]): Record<string, any>[] {
  return lines.map((line) => {
    expect(() => JSON.parse(line), `not a JSON record: ${line}`).not.toThrow();
    return JSON.parse(line) as Record<string, any>;
  });
}

async function runJsonWarn(lambda: LambdaClient, name: string) {
  const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
  expect(config.LoggingConfig).toMatchObject({ LogFormat: "JSON", ApplicationLogLevel: "WARN" });
  const result = await invoke(lambda, name);
  expect(result.functionError).toBeUndefined();
  expect(result.payload).toEqual({ env: { format: "JSON", level: "WARN" } });
  return result;
}

describe("a JSON-format function at ApplicationLogLevel WARN", () => {
  it("Node.js: tail and CloudWatch Logs hold JSON records only, INFO dropped, WARN and ERROR kept with the request id, platform.report present", () =>
    withEmulator([], async (emulator, lambda) => {
      await lambda.send(create("node-json", { LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "WARN" } }));
      const result = await runJsonWarn(lambda, "node-json");
      for (const lines of [result.log, await cloudWatchMessages(emulator, "/aws/lambda/node-json")]) {
        const all = records(lines);
        const text = lines.join("\n");
        expect(text).not.toContain("quiet info");
        expect(text).not.toContain("also");
        expect(text).not.toContain("a plain line");
        expect(text).not.toContain("raw json without level");
        const warn = all.find((r) => r.level === "WARN")!;
        expect(warn).toMatchObject({ message: "careful 42", requestId: result.requestId });
        expect(warn.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const error = all.find((r) => r.level === "ERROR" && typeof r.message === "object" && r.message.errorType)!;
        expect(error.message).toMatchObject({ errorType: "TypeError", errorMessage: "boom" });
        expect(error.message.stackTrace[0]).toBe("TypeError: boom");
        expect(all).toContainEqual(expect.objectContaining({ level: "ERROR", message: { kept: true } }));
        expect(all).toContainEqual({ level: "ERROR", note: "raw json at ERROR" });
        const types = all.map((r) => r.type).filter(Boolean);
        expect(types).toEqual(["platform.initStart", "platform.start", "platform.runtimeDone", "platform.report"]);
        const report = all.find((r) => r.type === "platform.report")!;
        expect(report.record).toMatchObject({ requestId: result.requestId, status: "success", metrics: { memorySizeMB: 128 } });
        expect(report.record.metrics.durationMs).toBeGreaterThan(0);
      }
    }));

  it("Python: logging records as JSON, INFO and plain print lines dropped, platform.report present", () =>
    withEmulator([], async (emulator, lambda) => {
      await lambda.send(create("py-json", { Runtime: "python3.12", Code: { ZipFile: pythonZip }, LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "WARN" } }));
      const result = await runJsonWarn(lambda, "py-json");
      for (const lines of [result.log, await cloudWatchMessages(emulator, "/aws/lambda/py-json")]) {
        const all = records(lines);
        const text = lines.join("\n");
        expect(text).not.toContain("quiet info");
        expect(text).not.toContain("a plain line");
        expect(all).toContainEqual(expect.objectContaining({ level: "WARNING", message: "careful 42", logger: "root", requestId: result.requestId }));
        const failed = all.find((r) => r.message === "it failed")!;
        expect(failed).toMatchObject({ level: "ERROR", errorType: "ZeroDivisionError", errorMessage: "division by zero" });
        expect(failed.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(all).toContainEqual({ level: "ERROR", note: "raw json at ERROR" });
        expect(all.find((r) => r.type === "platform.report")!.record.requestId).toBe(result.requestId);
      }
    }));

  it("SystemLogLevel WARN drops the platform records; Text format keeps START/END/REPORT text lines", () =>
    withEmulator([], async (_emulator, lambda) => {
      await lambda.send(create("sys-warn", { LoggingConfig: { LogFormat: "JSON", SystemLogLevel: "WARN" } }));
      const quiet = await invoke(lambda, "sys-warn");
      // At application level INFO a plain line is kept, as it is (Lambda files it as INFO).
      expect(quiet.log).toContain("a plain line");
      const json = records(quiet.log.filter((l) => l.startsWith("{")));
      expect(json.filter((r) => r.type)).toEqual([]);
      expect(json).toContainEqual(expect.objectContaining({ level: "INFO", message: "quiet info" }));
      await lambda.send(create("text"));
      const text = await invoke(lambda, "text");
      expect(text.log[0]).toMatch(/^START RequestId: /);
      expect(text.log.at(-1)).toMatch(/^REPORT RequestId: /);
      expect(text.log).toContain("a plain line");
    }));
});
