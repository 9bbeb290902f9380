import { CreateFunctionCommand, InvokeCommand, LambdaClient, UpdateFunctionCodeCommand } from "@aws-sdk/client-lambda";
import { readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { afterEach, describe, expect, it } from "vitest";
import { waitUntil } from "../helpers/emulator.js";
import { type Running, runPipes, startPipes, tempProject } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const DEFS = `import { defineDefinitions } from "lambda-pipes";
export default defineDefinitions({
  assets: { greeting: { function: "greet", event: { name: "ts" } } },
  functions: { greet: { handler: "./fn/index.handler", runtime: "nodejs24.x" } },
  profiles: { local: { lambda: { emulator: true } } },
});
`;

/** A TypeScript handler with an `import type` and a local `.ts` import, as a user writes one. */
const FILES = {
  "defs.ts": DEFS,
  "fn/types.ts": "export interface Greeting { text: string; length: number }\n",
  "fn/lib.ts": 'import type { Greeting } from "./types";\nexport function greet(name: string): Greeting {\n  const text: string = "hello " + name;\n  return { text, length: text.length };\n}\n',
  "fn/index.ts":
    'import { LambdaClient } from "@aws-sdk/client-lambda";\nimport type { Greeting } from "./types";\nimport { greet } from "./lib";\nimport { withPipes } from "./pipes-lambda.cjs";\n\n' +
    "export const handler = withPipes(async (event: { name?: string }, pipes) => {\n" +
    '  const g: Greeting = greet(event.name ?? "world");\n  pipes.log.info(g.text);\n' +
    "  pipes.reportAssetMaterialization({ metadata: { length: g.length } });\n  return { ...g, sdk: typeof LambdaClient };\n});\n",
};

let running: Running | undefined;
afterEach(async () => {
  running?.child.kill("SIGINT");
  await running?.exited;
  running = undefined;
});

async function project(): Promise<string> {
  const dir = tempProject(FILES);
  const vendored = await runPipes(["vendor", "--out", "fn"], { cwd: dir });
  expect(vendored.code, vendored.stderr).toBe(0);
  return dir;
}

describe("TypeScript handlers", () => {
  it("a .ts handler with an import type and a local .ts import materializes on the emulator", async () => {
    const dir = await project();
    const r = await runPipes(["materialize", "greeting", "--json"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === "log")).toMatchObject({ level: "INFO", message: "hello ts" });
    expect(events.find((e) => e.type === "materialization")).toMatchObject({ asset: "greeting", metadata: { length: { value: 8 } } });
  });

  it("pipes vendor writes the library's types beside it, so withPipes is typed", async () => {
    const dir = await project();
    const types = readFileSync(join(dir, "fn/pipes-lambda.d.cts"), "utf8");
    expect(types.split("\n")[0]).toMatch(/^\/\/ pipes-lambda\.d\.cts — vendored by pipes \S+ \(`pipes vendor`\)\./);
    expect(types).toContain("export declare function withPipes<");
    // Written again on a second vendor (ours to replace), refused when it is the user's own file.
    expect((await runPipes(["vendor", "--out", "fn"], { cwd: dir })).code).toBe(0);
    writeFileSync(join(dir, "fn/pipes-lambda.d.cts"), "// mine\n");
    const refused = await runPipes(["vendor", "--out", "fn"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("fn/pipes-lambda.d.cts exists and was not written by pipes vendor");
  });

  it("the zip deploy-handler builds, created on pipes emulator with the SDK, returns what the local run returns", async () => {
    const dir = await project();
    const zipped = await runPipes(["deploy-handler", "--function", "greet", "--dry-run", "--out", "greet.zip"], { cwd: dir });
    expect(zipped.code, zipped.stderr).toBe(0);
    const zip = readFileSync(join(dir, "greet.zip"));
    // Lambda loads index.js for the handler string index.handler: the bundle, no TypeScript left in it.
    expect(Object.keys(unzipSync(zip))).toContain("index.js");
    expect(zipped.stdout).toContain("index.handler");

    running = startPipes(["emulator", "--port", "0", "-f", "defs.ts"], { cwd: dir });
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    await lambda.send(
      new CreateFunctionCommand({ FunctionName: "greet-zip", Runtime: "nodejs24.x", Handler: "index.handler", Role: "arn:aws:iam::123456789012:role/x", Code: { ZipFile: zip } }),
    );
    let warm = false;
    const call = async (name: string) => {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, LogType: "Tail", Payload: Buffer.from(JSON.stringify({ name: "zip" })) }));
      warm = !Buffer.from(out.LogResult ?? "", "base64").toString("utf8").includes("Init Duration");
      expect(out.FunctionError, Buffer.from(out.Payload ?? []).toString()).toBeUndefined();
      return JSON.parse(Buffer.from(out.Payload!).toString("utf8"));
    };
    const local = await call("greet");
    // @aws-sdk/* is left out of the bundle and provided by the runtime, here as on Lambda.
    expect(local).toEqual({ text: "hello zip", length: 9, sdk: "function" });
    expect(await call("greet-zip")).toEqual(local);

    // Touched, not changed: the same bundle (cached by content), so the warm worker stays.
    utimesSync(join(dir, "fn/lib.ts"), new Date(), new Date(Date.now() + 5000));
    await call("greet");
    expect(warm).toBe(true);

    // An edit is built at the next invocation (a warm worker of the old bundle is replaced); a broken one fails
    // that invocation with the file and line, as the runtime names a syntax error.
    writeFileSync(join(dir, "fn/lib.ts"), readFileSync(join(dir, "fn/lib.ts"), "utf8").replace('"hello "', '"hi "'));
    expect(await call("greet")).toEqual({ text: "hi zip", length: 6, sdk: "function" });
    expect(warm).toBe(false);
    writeFileSync(join(dir, "fn/lib.ts"), "export function greet(name: string) {\n  return name +;\n}\n");
    const broken = await lambda.send(new InvokeCommand({ FunctionName: "greet", Payload: Buffer.from("{}") }));
    const error = JSON.parse(Buffer.from(broken.Payload!).toString("utf8"));
    expect(error.errorType).toBe("Runtime.UserCodeSyntaxError");
    expect(error.errorMessage).toContain(`${join(dir, "fn/lib.ts")}:2:`);
  });

  it("a definitions-file TypeScript function updated with a zip runs the zip, not its sources", async () => {
    const dir = await project();
    running = startPipes(["emulator", "--port", "0", "-f", "defs.ts"], { cwd: dir });
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const call = async () => JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: "greet", Payload: Buffer.from("{}") }))).Payload!).toString("utf8"));
    expect(await call()).toMatchObject({ text: "hello world" });
    const zip = zipSync({ "index.js": strToU8('exports.handler = async () => "from the zip";\n') });
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: "greet", ZipFile: zip }));
    expect(await call()).toBe("from the zip");
  });

  it("a deployed bundle's error is shown at the .ts line: deploy-handler keeps the bundle's map under .pipes/", async () => {
    const dir = tempProject({
      "defs.ts": `import { defineDefinitions } from "lambda-pipes";
export default defineDefinitions({
  assets: { boom: { function: "boom" } },
  functions: { boom: { handler: "./fn/boom.handler", runtime: "nodejs24.x" } },
  profiles: {
    local: { lambda: { emulator: true } },
    remote: { lambda: { endpoint: process.env.PIPES_TEST_ENDPOINT, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } } },
  },
});
`,
      "fn/boom.ts": 'import { withPipes } from "./pipes-lambda.cjs";\n\nfunction fail(n: number): never {\n  throw new Error(\x27boom \x27 + n);\n}\n\nexport const handler = withPipes(async () => fail(1));\n',
    });
    expect((await runPipes(["vendor", "--out", "fn"], { cwd: dir })).code).toBe(0);
    // An emulator of its own, without this definitions file: the function exists there only as the uploaded zip.
    running = startPipes(["emulator", "--port", "0"], { cwd: tempDir("pipes-remote-") });
    const [, url] = await running.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
    const env = { PIPES_TEST_ENDPOINT: url!, PIPES_HISTORY: "0" };
    const deployed = await runPipes(["deploy-handler", "--function", "boom", "--profile", "remote", "--create", "--role", "arn:aws:iam::123456789012:role/x"], { cwd: dir, env });
    expect(deployed.code, deployed.stderr).toBe(0);
    expect(readFileSync(join(dir, ".pipes/sourcemaps/boom/boom.js.map"), "utf8")).toContain("boom.ts");

    const r = await runPipes(["materialize", "boom", "--profile", "remote", "--json"], { cwd: dir, env });
    expect(r.code).toBe(1);
    const error = r.stdout.trim().split("\n").map((l) => JSON.parse(l)).find((e) => e.type === "error");
    expect(error.message).toContain("boom 1");
    // Not the uploaded bundle's boom.js:LINE, but the line of fn/boom.ts that threw
    expect(error.trace.join("\n")).toMatch(/fn\/boom\.ts:4:\d+/);
    expect(error.trace.join("\n")).not.toMatch(/boom\.js:/);
  });

  it("pipes dev builds an edited .ts file again: the next run shows the new code", async () => {
    const dir = await project();
    running = startPipes(["dev"], { cwd: dir });
    await running.waitFor(/watching \. for changes/);
    const printed = async (mark: number, pattern: RegExp) => {
      await waitUntil(() => pattern.test(running!.output().slice(mark)), 30_000).catch(() => {
        throw new Error(`no ${pattern} in:\n${running!.output().slice(mark)}`);
      });
      return running!.output().slice(mark);
    };
    let mark = running.output().length;
    running.child.stdin.write("greeting\n");
    expect(await printed(mark, /✔ 1 materialized/)).toContain("INFO     hello ts");
    mark = running.output().length;
    writeFileSync(join(dir, "fn/lib.ts"), readFileSync(join(dir, "fn/lib.ts"), "utf8").replace('"hello "', '"hi "'));
    await printed(mark, /fn\/lib\.ts changed: restarted greet/);
    mark = running.output().length;
    running.child.stdin.write("r\n");
    expect(await printed(mark, /✔ 1 materialized/)).toContain("INFO     hi ts");
  });
});
