import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runPipes, tempProject } from "../helpers/run-pipes.js";

/** Two layers holding the package `greet` (the later one wins, as on Lambda's merged /opt) and a Python module. */
const layered = (functions: string) =>
  tempProject({
    "defs.ts": `export default { assets: { a: { function: "esm" }, b: { function: "cjs" }, c: { function: "py" }, d: { function: "ts" } }, functions: { ${functions} } };\n`,
    "fn/typed.ts": 'import { greet } from "greet";\nexport const handler = async (): Promise<number> => { console.log("TS " + greet()); return 1; };\n',
    "fn/esm.mjs": 'import { greet } from "greet";\nexport const handler = async () => { console.log("ESM " + greet()); return 1; };\n',
    "fn/cjs.js": 'const { greet } = require("greet");\nexports.handler = async () => { console.log("CJS " + greet()); return 1; };\n',
    "fn/py.py": 'import shout\n\ndef handler(event, context):\n    print("PY " + shout.shout())\n    return 1\n',
    "l1/nodejs/node_modules/greet/package.json": '{ "name": "greet", "main": "index.js" }\n',
    "l1/nodejs/node_modules/greet/index.js": 'exports.greet = () => "from l1";\n',
    "l2/nodejs/node24/node_modules/greet/package.json": '{ "name": "greet", "main": "index.js" }\n',
    "l2/nodejs/node24/node_modules/greet/index.js": 'exports.greet = () => "from l2";\n',
    "l1/python/shout.py": 'def shout():\n    return "layer python"\n',
  });

describe("layers in the definitions", () => {
  it("a Node.js layer's package loads by import and by require, the later layer winning; a Python layer's module imports", async () => {
    const dir = layered(
      `esm: { handler: "./fn/esm.handler", layers: ["./l1", "./l2"] }, cjs: { handler: "./fn/cjs.handler", layers: ["./l1"] }, ` +
        `py: { handler: "./fn/py.handler", runtime: "python3.12", layers: ["./l1"] }, ts: { handler: "./fn/typed.handler", layers: ["./l1"] }`,
    );
    const listed = await runPipes(["list", "-f", join(dir, "defs.ts")]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/esm\s+nodejs24\.x · layers \.\/l1, \.\/l2/);
    const run = await runPipes(["materialize", "-f", join(dir, "defs.ts"), "--all", "--no-history"], { cwd: dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ESM from l2/);
    expect(run.stdout).toMatch(/CJS from l1/);
    expect(run.stdout).toMatch(/PY layer python/);
    expect(run.stdout).toMatch(/TS from l1/); // a TypeScript handler's bundle leaves the layer's package to the layer
  });

  it("a missing layer folder, a file, more than 5 layers, an ARN on the embedded emulator: exit 2 naming each", async () => {
    const dir = layered(
      `esm: { handler: "./fn/esm.handler", layers: ["./nope", "./fn/esm.mjs"] }, cjs: { handler: "./fn/cjs.handler", layers: ["./l1", "./l1", "./l1", "./l1", "./l1", "./l1"] }, ` +
        `py: { handler: "./fn/py.handler", runtime: "python3.12", layers: ["arn:aws:lambda:us-east-1:123456789012:layer:shared:3"] }, ts: { handler: "./fn/typed.handler" }`,
    );
    const r = await runPipes(["list", "-f", join(dir, "defs.ts")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/function "esm"[^\n]*layer "\.\/nope" does not exist/);
    expect(r.stderr).toMatch(/function "esm"[^\n]*layer "\.\/fn\/esm\.mjs" is not a folder/);
    expect(r.stderr).toMatch(/function "cjs"[^\n]*layers: 6 given, Lambda allows at most 5 per function/);
    expect(r.stderr).toMatch(/function "py"[^\n]*layer arn:aws:lambda:us-east-1:123456789012:layer:shared:3 is an ARN, which the embedded emulator cannot resolve/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
