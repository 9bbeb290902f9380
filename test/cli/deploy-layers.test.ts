// deploy-handler against a running `pipes emulator`: local layer folders are published and attached, and the
// deployed functions import from them (a Node.js package by import and by require, a Python module).
import { CreateFunctionCommand, InvokeCommand, LambdaClient, PublishLayerVersionCommand } from "@aws-sdk/client-lambda";
import { strToU8, zipSync } from "fflate";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Running, runPipes, startPipes, tempProject } from "../helpers/run-pipes.js";

let emulator: Running;
let env: Record<string, string>;
const ROLE = "arn:aws:iam::123456789012:role/lambda-exec";

beforeAll(async () => {
  emulator = startPipes(["emulator", "--port", "0"], { cwd: tmpdir() });
  const [, url] = await emulator.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/);
  env = { PIPES_EMULATOR_URL: url! };
});

afterAll(async () => {
  emulator.child.kill("SIGINT");
  await emulator.exited;
});

const DEFS = `export default {
  assets: { a: { function: "esm" }, b: { function: "cjs" }, c: { function: "py" } },
  functions: {
    esm: { handler: "./esm/app.handler", layers: ["./shared"] },
    cjs: { handler: "./cjs/app.handler", layers: ["./shared"] },
    py: { handler: "./py/app.handler", runtime: "python3.12", layers: ["./shared"] },
  },
  profiles: { emu: { lambda: { endpoint: process.env.PIPES_EMULATOR_URL, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" }, functionName: (n) => "lay-" + n } } },
};
`;

describe("deploy-handler and layers", () => {
  it("publishes a layer folder once, attaches it, and the functions import from it", async () => {
    const dir = tempProject({
      "defs.ts": DEFS,
      "esm/app.mjs": 'import { greet } from "greet";\nexport const handler = async () => { console.log("ESM " + greet()); return 1; };\n',
      "cjs/app.js": 'const { greet } = require("greet");\nexports.handler = async () => { console.log("CJS " + greet()); return 1; };\n',
      "py/app.py": 'import shout\n\ndef handler(event, context):\n    print("PY " + shout.shout())\n    return 1\n',
      "shared/nodejs/node_modules/greet/package.json": '{ "name": "greet", "main": "index.js" }\n',
      "shared/nodejs/node_modules/greet/index.js": 'exports.greet = () => "from the layer";\n',
      "shared/python/shout.py": 'def shout():\n    return "python layer"\n',
    });
    const deploy = (fn: string, ...extra: string[]) => runPipes(["deploy-handler", "--profile", "emu", "--function", fn, ...extra], { cwd: dir, env });
    const esm = await deploy("esm", "--create", "--role", ROLE);
    expect(esm.code, esm.stdout + esm.stderr).toBe(0);
    expect(esm.stdout).toMatch(/Layer {7}arn:aws:lambda:us-east-1:123456789012:layer:lay-esm-shared:1 \(published from \.\/shared\)/);
    const again = await deploy("esm");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/Layer {7}arn:aws:lambda:us-east-1:123456789012:layer:lay-esm-shared:1 \(\.\/shared, unchanged\)/);
    for (const fn of ["cjs", "py"]) {
      const r = await deploy(fn, "--create", "--role", ROLE);
      expect(r.code, r.stdout + r.stderr).toBe(0);
    }
    const run = await runPipes(["materialize", "--all", "--profile", "emu", "--no-history"], { cwd: dir, env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ESM from the layer/);
    expect(run.stdout).toMatch(/CJS from the layer/);
    expect(run.stdout).toMatch(/PY python layer/);
  });

  it("by API against pipes emulator: a published Node.js and Python layer are importable from created functions", async () => {
    const lambda = new LambdaClient({ endpoint: env.PIPES_EMULATOR_URL, region: "us-east-1", credentials: { accessKeyId: "local", secretAccessKey: "local" } });
    const zip = (files: Record<string, string>) => zipSync(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, strToU8(v)])));
    const layer = await lambda.send(
      new PublishLayerVersionCommand({
        LayerName: "api-shared",
        Content: {
          ZipFile: zip({
            "nodejs/node_modules/greet/package.json": '{ "name": "greet", "main": "index.js" }',
            "nodejs/node_modules/greet/index.js": 'exports.greet = () => "api layer";',
            "python/shout.py": 'def shout():\n    return "api python layer"\n',
          }),
        },
      }),
    );
    const functions = {
      "api-esm": ["nodejs24.x", { "app.mjs": 'import { greet } from "greet";\nexport const handler = async () => greet();\n' }],
      "api-cjs": ["nodejs24.x", { "app.js": 'exports.handler = async () => require("greet").greet();\n' }],
      "api-py": ["python3.12", { "app.py": "import shout\n\ndef handler(event, context):\n    return shout.shout()\n" }],
    } as const;
    for (const [name, [runtime, code]] of Object.entries(functions)) {
      await lambda.send(new CreateFunctionCommand({ FunctionName: name, Role: ROLE, Runtime: runtime, Handler: "app.handler", Code: { ZipFile: zip(code) }, Layers: [layer.LayerVersionArn!] }));
      const out = await lambda.send(new InvokeCommand({ FunctionName: name }));
      expect(out.FunctionError, name).toBeUndefined();
      expect(JSON.parse(Buffer.from(out.Payload!).toString()), name).toBe(name === "api-py" ? "api python layer" : "api layer");
    }
    lambda.destroy();
  });
});
