// Acceptance for LoggingConfig against a real `pipes emulator` process, through boto3 (Dagster's client) and the
// AWS SDK for JavaScript: a JSON/WARN function reads its LoggingConfig back; its tail and its CloudWatch Logs hold
// JSON records only; console.info / logging.info are dropped; the warning is a WARN record with the request id;
// platform.report is there. Node.js and Python both.
import { CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateFunctionCommand, GetFunctionConfigurationCommand, InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { execFile, spawnSync } from "node:child_process";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { onCi, requiredOnCi } from "../helpers/ci.js";
import { startPipes, type Running } from "../helpers/run-pipes.js";

const has = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;
const boto3Python = ["python3", "/usr/bin/python3"].find((python) => has(python, ["-c", "import boto3"]));

const NODE = `export const handler = async () => { console.info("quiet info"); console.warn("careful"); return "ok"; };\n`;
const PYTHON = `import logging\nlog = logging.getLogger()\ndef handler(event, context):\n    log.info("quiet info")\n    log.warning("careful")\n    return "ok"\n`;
const ZIPS = {
  node: Buffer.from(zipSync({ "app.mjs": strToU8(NODE) })).toString("base64"),
  python: Buffer.from(zipSync({ "app.py": strToU8(PYTHON) })).toString("base64"),
};
const RUNTIMES = { node: "nodejs22.x", python: "python3.12" };
const WARN_LEVEL = { node: "WARN", python: "WARNING" };

let running: Running;
let url: string;
beforeAll(async () => {
  running = startPipes(["emulator", "--port", "0"]);
  [, url] = (await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
});
afterAll(async () => {
  running.child.kill("SIGINT");
  await running.exited;
});

/** What a client read: the LoggingConfig, the request id, the tail's lines and the CloudWatch Logs messages. */
interface Read {
  config: Record<string, string>;
  requestId: string;
  tail: string[];
  logs: string[];
}

function check(read: Read, runtime: "node" | "python"): void {
  expect(read.config).toMatchObject({ LogFormat: "JSON", ApplicationLogLevel: "WARN", SystemLogLevel: "INFO" });
  for (const lines of [read.tail, read.logs]) {
    const records = lines.map((l) => JSON.parse(l) as Record<string, any>); // JSON records only: a text line throws
    expect(lines.join("\n")).not.toContain("quiet info");
    expect(records).toContainEqual(expect.objectContaining({ level: WARN_LEVEL[runtime], message: "careful", requestId: read.requestId }));
    expect(records.find((r) => r.type === "platform.report")?.record.requestId).toBe(read.requestId);
  }
}

describe("a JSON/WARN function on `pipes emulator`", () => {
  it.each(["node", "python"] as const)("through the AWS SDK for JavaScript (%s)", async (runtime) => {
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const logs = new CloudWatchLogsClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    try {
      const name = `sdk-${runtime}`;
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: "arn:aws:iam::123456789012:role/x",
          Runtime: RUNTIMES[runtime],
          Handler: "app.handler",
          Code: { ZipFile: Buffer.from(ZIPS[runtime], "base64") },
          LoggingConfig: { LogFormat: "JSON", ApplicationLogLevel: "WARN" },
        }),
      );
      const config = (await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: name }))).LoggingConfig as Record<string, string>;
      const r = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: "Tail" }));
      const tail = Buffer.from(r.LogResult!, "base64").toString("utf8").split("\n").filter(Boolean);
      const events = (await logs.send(new FilterLogEventsCommand({ logGroupName: `/aws/lambda/${name}` }))).events!;
      check({ config, requestId: r.$metadata.requestId!, tail, logs: events.map((e) => e.message!.replace(/\n$/, "")) }, runtime);
    } finally {
      lambda.destroy();
      logs.destroy();
    }
  });

  it.skipIf(!boto3Python && !onCi).each(["node", "python"] as const)("through boto3 (%s)", async (runtime) => {
    requiredOnCi(boto3Python !== undefined, "no Python with boto3 (apt-get install python3-boto3)");
    const script = `
import base64, boto3, json, sys
url, runtime, name, zipped = sys.argv[1:5]
kw = dict(endpoint_url=url, region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
lam, logs = boto3.client("lambda", **kw), boto3.client("logs", **kw)
lam.create_function(FunctionName=name, Role="arn:aws:iam::123456789012:role/x", Runtime=runtime, Handler="app.handler",
                    Code={"ZipFile": base64.b64decode(zipped)}, LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"})
config = lam.get_function_configuration(FunctionName=name)["LoggingConfig"]
r = lam.invoke(FunctionName=name, LogType="Tail", Payload=b"{}")
tail = [l for l in base64.b64decode(r["LogResult"]).decode().split("\\n") if l]
events = logs.filter_log_events(logGroupName="/aws/lambda/" + name)["events"]
print(json.dumps({"config": config, "requestId": r["ResponseMetadata"]["RequestId"], "tail": tail, "logs": [e["message"].rstrip("\\n") for e in events]}))
`;
    const out = await new Promise<{ stdout: string; stderr: string }>((resolve) =>
      execFile(boto3Python!, ["-c", script, url, RUNTIMES[runtime], `boto-${runtime}`, ZIPS[runtime]], { encoding: "utf8", timeout: 60_000 }, (_e, stdout, stderr) => resolve({ stdout, stderr })),
    );
    expect(out.stderr).toBe("");
    check(JSON.parse(out.stdout) as Read, runtime);
  });
});
