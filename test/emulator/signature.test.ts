// With credentials, the emulator verifies SigV4 as AWS does: the real SDKs, the AWS CLI and boto3 signing with the
// right secret get in; other credentials, tampered requests and replays of an old signature do not.
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateFunctionCommand, GetFunctionConfigurationCommand, LambdaClient, ListFunctionsCommand } from "@aws-sdk/client-lambda";
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type Emulator } from "../../src/emulator/index.js";
import { onCi, requiredOnCi } from "../helpers/ci.js";
import { fn, invoke } from "../helpers/emulator.js";

const credentials = { accessKeyId: "AKIAPIPESTEST", secretAccessKey: "the-right-secret/with+odd=chars" };
const has = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;
const hasAwsCli = has("aws", ["--version"]);
/** The Python with boto3: the PATH's, or the system's (Debian's python3-boto3, which .ci/run installs). */
const boto3Python = ["python3", "/usr/bin/python3"].find((python) => has(python, ["-c", "import boto3"]));

/** Runs a client process without blocking this one (the emulator answers from here). */
function run(command: string, args: string[], env = process.env): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { env, encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let emulator: Emulator;
let dir: string;
const lambdaWith = (creds: typeof credentials) => new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials: creds, maxAttempts: 1 });

beforeAll(async () => {
  emulator = await startEmulator({ functions: [fn("esm", "node/esm.handler")], credentials });
  dir = mkdtempSync(join(tmpdir(), "pipes-sig-"));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends raw bytes to the emulator and returns the status and the error type. */
function raw(method: string, path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: emulator.port, method, path, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, type: String(res.headers["x-amzn-errortype"] ?? "") }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("SigV4 verification", () => {
  it("lets the real SDK in with the right credentials: create, invoke with a qualifier, list with a query, logs", async () => {
    const lambda = lambdaWith(credentials);
    const zip = zipSync({ "app.mjs": strToU8("export const handler = async (e) => ({ got: e });\n") });
    await lambda.send(new CreateFunctionCommand({ FunctionName: "deployed", Role: "r", Runtime: "nodejs24.x", Handler: "app.handler", Code: { ZipFile: zip } }));
    expect((await invoke(lambda, "deployed", { a: "ü ✓" })).payload).toEqual({ got: { a: "ü ✓" } });
    expect((await invoke(lambda, "esm:$LATEST")).status).toBe(200);
    const listed = await lambda.send(new ListFunctionsCommand({ MaxItems: 10, FunctionVersion: "ALL" }));
    expect(listed.Functions?.map((f) => f.FunctionName).sort()).toEqual(["deployed", "esm"]);
    const logs = new CloudWatchLogsClient({ endpoint: emulator.url, region: "us-east-1", credentials, maxAttempts: 1 });
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: "/aws/lambda/" }));
    expect(groups.logGroups?.length).toBeGreaterThan(0);
    logs.destroy();
    lambda.destroy();
  });

  it("refuses another secret, another access key, and any request not signed", async () => {
    const wrongSecret = lambdaWith({ ...credentials, secretAccessKey: "guess" });
    await expect(wrongSecret.send(new GetFunctionConfigurationCommand({ FunctionName: "esm" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(invoke(wrongSecret, "esm")).rejects.toMatchObject({ name: "InvalidSignatureException" });
    const wrongKey = lambdaWith({ ...credentials, accessKeyId: "AKIAOTHER" });
    await expect(wrongKey.send(new ListFunctionsCommand({}))).rejects.toMatchObject({ name: "UnrecognizedClientException" });
    wrongSecret.destroy();
    wrongKey.destroy();
    const host = `127.0.0.1:${emulator.port}`;
    expect(await raw("GET", "/2015-03-31/functions/", { host })).toMatchObject({ status: 403, type: "MissingAuthenticationTokenException" });
  });

  it("refuses a correct signature replayed on another body or path, and an old one", async () => {
    // Capture what the SDK sends for one invocation, then send it again with one thing changed.
    const sent: Record<string, string>[] = [];
    const lambda = lambdaWith(credentials);
    lambda.middlewareStack.add(
      (next) => async (args) => {
        const r = args.request as { headers: Record<string, string>; path: string; body: unknown };
        sent.push({ ...r.headers, ":path": r.path, ":body": String(r.body) });
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "capture" },
    );
    const body = JSON.stringify({ n: 1 });
    await lambda.send(new (await import("@aws-sdk/client-lambda")).InvokeCommand({ FunctionName: "esm", Payload: Buffer.from(body) }));
    lambda.destroy();
    const { ":path": path, ":body": _b, ...headers } = sent[0]!;
    const signed = Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "content-length"));
    expect(signed.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAPIPESTEST\//);
    expect((await raw("POST", path!, signed, body)).status).toBe(200); // the same request again is let in (as AWS does within 5 minutes)
    expect(await raw("POST", path!, signed, JSON.stringify({ n: 2 }))).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    expect(await raw("POST", path!.replace("esm", "deployed"), signed, body)).toMatchObject({ status: 403, type: "InvalidSignatureException" });
    const old = new Date(Date.now() - 10 * 60 * 1000).toISOString().replace(/[-:]|\.\d+/g, "");
    expect(await raw("POST", path!, { ...signed, "x-amz-date": old }, body)).toMatchObject({ status: 403, type: "InvalidSignatureException" });
  });

  // Skipped on a machine without them; on CI they must run (and fail if the tool is missing).
  it.skipIf(!hasAwsCli && !onCi)("lets the AWS CLI in with a profile holding the credentials, and refuses it with others", async () => {
    requiredOnCi(hasAwsCli, "no AWS CLI (`aws`; apt-get install awscli)");
    const file = join(dir, "credentials");
    writeFileSync(file, `[emu]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n[other]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = nope\n`);
    const env = { ...process.env, AWS_SHARED_CREDENTIALS_FILE: file, AWS_CONFIG_FILE: join(dir, "none"), AWS_DEFAULT_REGION: "us-east-1" };
    const aws = (profile: string, ...args: string[]) =>
      run("aws", ["--endpoint-url", emulator.url, "--profile", profile, ...args], env);
    const listed = await aws("emu", "lambda", "list-functions");
    expect(listed.stderr).toBe("");
    expect(JSON.parse(listed.stdout).Functions.length).toBeGreaterThan(0);
    const out = join(dir, "out.json");
    const invoked = await aws("emu", "lambda", "invoke", "--function-name", "esm:$LATEST", "--payload", "{}", out);
    expect(invoked.status, invoked.stderr).toBe(0);
    const refused = await aws("other", "lambda", "list-functions");
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/InvalidSignatureException/);
  });

  it.skipIf(!boto3Python && !onCi)("lets boto3 in with the right credentials, and refuses it with others", async () => {
    requiredOnCi(boto3Python !== undefined, "no Python with boto3 (apt-get install python3-boto3)");
    const script = `
import boto3, json, sys
def client(secret):
    return boto3.client("lambda", endpoint_url=sys.argv[1], region_name="us-east-1", aws_access_key_id="${credentials.accessKeyId}", aws_secret_access_key=secret)
r = client(sys.argv[2]).invoke(FunctionName="esm", Payload=json.dumps({"from": "boto3"}))
print(json.loads(r["Payload"].read())["event"]["from"])
try:
    client("nope").list_functions()
    print("let in")
except Exception as e:
    print(e.response["Error"]["Code"])
`;
    const boto = await run(boto3Python!, ["-c", script, emulator.url, credentials.secretAccessKey]);
    expect(boto.stderr).toBe("");
    expect(boto.stdout.trim().split("\n")).toEqual(["boto3", "InvalidSignatureException"]);
  });
});
