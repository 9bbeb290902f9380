import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyFixture, type Running, runPipes, startPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

let project: string;
let emulator: Running;
let env: Record<string, string>;
const ROLE = "arn:aws:iam::123456789012:role/lambda-exec";

const pipes = (args: string[]) => runPipes(args, { cwd: project, env });
const deploy = (args: string[]) => pipes(["deploy-handler", "--profile", "emu", ...args]);

beforeAll(async () => {
  project = tempDir("pipes-deploy-");
  copyFixture("deploy", project, { dereference: false });
  // A standalone emulator with no functions: deploy-handler creates them through the SDK.
  emulator = startPipes(["emulator", "--port", "0"], { cwd: tmpdir() });
  const [, url] = await emulator.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
  env = { PIPES_EMULATOR_URL: url! };
});

afterAll(async () => {
  emulator.child.kill("SIGINT");
  await emulator.exited;
});

describe("pipes deploy-handler against a running pipes emulator", () => {
  it("creates, updates, and the next materialize runs the new code", async () => {
    const created = await deploy(["--function", "greet", "--create", "--role", ROLE]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("created greet → dev-greet");
    expect(created.stdout).toContain("ARN         arn:aws:lambda:us-east-1:123456789012:function:dev-greet");
    expect(created.stdout).toMatch(/CodeSha256 {2}[A-Za-z0-9+/]{43}=/);

    const v1 = await pipes(["materialize", "greeting", "--profile", "emu"]);
    expect(v1.code, v1.stdout + v1.stderr).toBe(0);
    expect(v1.stdout).toContain("INFO     hello pipes (v1)");

    const app = join(project, "greet/app.mjs");
    writeFileSync(app, readFileSync(app, "utf8").replace('"v1"', '"v2"'));
    const updated = await deploy(["--function", "greet"]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toContain("deployed greet → dev-greet");
    const v2 = await pipes(["materialize", "greeting", "--profile", "emu"]);
    expect(v2.stdout).toContain("INFO     hello pipes (v2)");
  });

  it("applies the defs file's settings when they differ", async () => {
    const defs = join(project, "defs.ts");
    writeFileSync(defs, readFileSync(defs, "utf8").replace("memory: 256", "memory: 512"));
    const r = await deploy(["--asset", "greeting"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Settings    memory 256 → 512 MB");
    const again = await deploy(["--asset", "greeting"]);
    expect(again.stdout).not.toContain("Settings");
  });

  it("sets the defs file's logging controls as LoggingConfig, and the library's messages survive its level", async () => {
    const defs = join(project, "defs.ts");
    const original = readFileSync(defs, "utf8");
    writeFileSync(defs, original.replace('environment: { GREETING: "hello" } }', 'environment: { GREETING: "hello" }, logging: { format: "JSON", applicationLevel: "ERROR" } }'));
    try {
      const r = await deploy(["--function", "greet"]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("Settings    logging Text → JSON (application ERROR, system INFO)");
      const run = await pipes(["materialize", "greeting", "--profile", "emu"]);
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/INFO {5}hello pipes \(v\d\)/);
      expect(run.stdout).not.toContain("sent no pipes messages");
    } finally {
      writeFileSync(defs, original);
    }
  });

  it("a Python function with the shipped library materializes", async () => {
    const r = await deploy(["--function", "report", "--create", "--role", ROLE]);
    expect(r.code, r.stderr).toBe(0);
    const run = await pipes(["materialize", "report", "--profile", "emu"]);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/INFO {5}report for run [0-9a-f-]{36}/);
    expect(run.stdout).toMatch(/language {2}python +\(text, inferred\)/);
  });

  it("surfaces AWS's conflicts plainly: create on an existing name, update of a missing one", async () => {
    const exists = await deploy(["--function", "greet", "--create", "--role", ROLE]);
    expect(exists.code).toBe(3);
    expect(exists.stderr).toContain("Function dev-greet already exists on");
    expect(exists.stderr).toContain("deploy without --create");
    const missing = await deploy(["--function", "never_created", "--handler-file", "greet/app.mjs"]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("Function dev-never_created does not exist on");
    expect(missing.stderr).toContain("Create it with --create --role");
  });
});

describe("the zip", () => {
  it("--dry-run writes the zip, uploads nothing, and is deterministic", async () => {
    const a = await deploy(["--function", "greet", "--dry-run", "--out", "a.zip"]);
    await deploy(["--function", "greet", "--dry-run", "--out", "b.zip"]);
    expect(a.code, a.stderr).toBe(0);
    const bytesA = readFileSync(join(project, "a.zip"));
    const bytesB = readFileSync(join(project, "b.zip"));
    expect(createHash("sha256").update(bytesA).digest("hex")).toBe(createHash("sha256").update(bytesB).digest("hex"));
    expect(a.stdout).toContain(`CodeSha256  ${createHash("sha256").update(bytesA).digest("base64")}`);
    // Bundled (the default for Node.js): one file, the vendored library inside it.
    expect(Object.keys(unzipSync(bytesA))).toEqual(["app.mjs"]);
    const bundle = Buffer.from(unzipSync(bytesA)["app.mjs"]!).toString("utf8");
    expect(bundle.split("\n")[0]).toMatch(/^\/\/ app\.mjs bundled by pipes \d+\.\d+\.\d+ with esbuild: the handler, what it imports, and pipes-lambda\.cjs\./);
    expect(bundle).toContain("var PipesError = class extends Error");
    expect(bundle).not.toContain("./pipes-lambda.cjs");
    // The folder as it is: the handler and the vendored library beside it.
    const folder = await deploy(["--function", "greet", "--dry-run", "--out", "folder.zip", "--no-bundle"]);
    expect(folder.code, folder.stderr).toBe(0);
    const bytesF = readFileSync(join(project, "folder.zip"));
    expect(Object.keys(unzipSync(bytesF))).toEqual(["app.mjs", "pipes-lambda.cjs"]);
    const vendored = Buffer.from(unzipSync(bytesF)["pipes-lambda.cjs"]!).toString("utf8");
    expect(vendored.split("\n")[0]).toMatch(/^\/\/ pipes-lambda\.cjs — vendored by pipes \d+\.\d+\.\d+/);
  });

  it("--no-bundle leaves out node_modules unless asked, and never reaches outside the folder", async () => {
    mkdirSync(join(project, "greet/node_modules/dep"), { recursive: true });
    writeFileSync(join(project, "greet/node_modules/dep/index.js"), "module.exports = 1;");
    writeFileSync(join(project, "greet/data.json"), "{}");
    const without = await deploy(["--function", "greet", "--dry-run", "--out", "c.zip", "--no-bundle"]);
    expect(without.code).toBe(0);
    expect(Object.keys(unzipSync(readFileSync(join(project, "c.zip"))))).toEqual(["app.mjs", "data.json", "pipes-lambda.cjs"]);
    await deploy(["--function", "greet", "--dry-run", "--out", "d.zip", "--no-bundle", "--include-node-modules"]);
    expect(Object.keys(unzipSync(readFileSync(join(project, "d.zip"))))).toEqual([
      "app.mjs",
      "data.json",
      "node_modules/dep/index.js",
      "pipes-lambda.cjs",
    ]);
  });
});

describe("bad input: a clear message and exit code 2", () => {
  const expectUsage = async (args: string[], pattern: RegExp) => {
    const r = await deploy(args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
  };

  it("unknown function, missing handler file, unknown runtime, --create without --role", async () => {
    await expectUsage(["--function", "gret"], /Unknown function "gret" \(did you mean "greet"\?\)\. Functions: greet, report/);
    await expectUsage(["--function", "greet", "--handler-file", "greet/nope.mjs"], /--handler-file greet\/nope\.mjs: no such file/);
    await expectUsage(["--function", "greet", "--runtime", "ruby3.2"], /Unknown runtime "ruby3\.2"/);
    await expectUsage(["--function", "greet", "--create"], /--create needs --role <ARN>/);
  });

  it("a function folder that does not contain the handler named by handler", async () => {
    const defs = join(project, "defs.ts");
    const original = readFileSync(defs, "utf8");
    writeFileSync(defs, original.replace("./greet/app.handler", "./greet/missing.handler"));
    try {
      await expectUsage(["--function", "greet"], /Function "greet": its folder has no handler file for "\.\/greet\/missing\.handler" \(tried greet\/missing\.js, greet\/missing\.mjs, greet\/missing\.cjs, greet\/missing\.ts, greet\/missing\.mts, greet\/missing\.cts\)/);
    } finally {
      writeFileSync(defs, original);
    }
  });

  it("a zip over Lambda's 50 MB direct-upload limit", async () => {
    mkdirSync(join(project, "big"), { recursive: true });
    writeFileSync(join(project, "big/app.mjs"), "export const handler = async () => null;");
    writeFileSync(join(project, "big/blob.bin"), randomBytes(51 * 1024 * 1024));
    await expectUsage(["--function", "big", "--handler-file", "big/app.mjs", "--dry-run", "--no-bundle"], /The zip for big is 51\.\d MB, above Lambda's 50\.0 MB limit/);
  });
});

describe("pipes vendor", () => {
  it("writes the library for each runtime with a header naming the version, and protects user files", async () => {
    const node = await pipes(["vendor", "--runtime", "node", "--out", "greet"]);
    expect(node.code).toBe(0);
    expect(readFileSync(join(project, "greet/pipes-lambda.cjs"), "utf8")).toMatch(/^\/\/ pipes-lambda\.cjs — vendored by pipes \d/);
    // It says every file it wrote: the types too (before, only the .cjs).
    expect(node.stdout).toMatch(/wrote greet\/pipes-lambda\.cjs .* and its types greet\/pipes-lambda\.d\.cts/);
    expect(readFileSync(join(project, "greet/pipes-lambda.d.cts"), "utf8")).toContain("withPipes");
    const python = await pipes(["vendor", "--runtime", "python3.12", "--out", "report"]);
    expect(python.code).toBe(0);
    expect(readFileSync(join(project, "report/pipes_lambda.py"), "utf8")).toMatch(/^# pipes_lambda\.py — vendored by pipes \d/);
    expect((await pipes(["vendor", "--runtime", "python", "--out", "report"])).stdout).toContain("is up to date");
    mkdirSync(join(project, "own"), { recursive: true });
    writeFileSync(join(project, "own/pipes-lambda.cjs"), "// my own file\n");
    const refused = await pipes(["vendor", "--out", "own"]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("own/pipes-lambda.cjs exists and was not written by pipes vendor");
    expect((await pipes(["vendor", "--out", "own", "--force"])).code).toBe(0);
    const bad = await pipes(["vendor", "--runtime", "ruby"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Unknown runtime "ruby"');
  });
});
