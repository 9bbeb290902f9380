// What a function can import locally is what it can import on Lambda: its own folder and the runtime's AWS SDK v3,
// never a package that only a folder above it (the user's project) has installed.
import { describe, expect, it } from "vitest";
import { runPipes, tempProject } from "../helpers/run-pipes.js";

const pkg = (name: string, value: string) => ({
  [`node_modules/${name}/package.json`]: JSON.stringify({ name, version: "1.0.0", main: "index.js" }),
  [`node_modules/${name}/index.js`]: `exports.value = ${JSON.stringify(value)};`,
});
const prefixed = (prefix: string, files: Record<string, string>) => Object.fromEntries(Object.entries(files).map(([p, t]) => [`${prefix}/${p}`, t]));

const project = () =>
  tempProject({
    "defs.ts": `
      import { defineDefinitions } from "pipes";
      export default defineDefinitions({
        assets: {
          above: { function: "above" },
          own: { function: "own" },
          cjs_above: { function: "cjs_above" },
          sdk: { function: "sdk" },
          sdk_missing: { function: "sdk_missing" },
          sdk_v2: { function: "sdk_v2" },
        },
        functions: {
          above: { handler: "./above/handler.handler", runtime: "nodejs24.x" },
          own: { handler: "./own/handler.handler", runtime: "nodejs24.x" },
          cjs_above: { handler: "./cjs/handler.handler", runtime: "nodejs24.x" },
          sdk: { handler: "./sdk/handler.handler", runtime: "nodejs24.x" },
          sdk_missing: { handler: "./sdk-missing/handler.handler", runtime: "nodejs24.x" },
          sdk_v2: { handler: "./sdk-v2/handler.handler", runtime: "nodejs24.x" },
        },
      });`,
    ...pkg("only-above", "from the project"),
    "above/handler.mjs": `import { value } from "only-above";\nexport const handler = async () => value;\n`,
    ...prefixed("own", pkg("only-above", "from its own folder")),
    "own/package.json": JSON.stringify({ name: "own", dependencies: { "only-above": "1.0.0" } }),
    "own/handler.mjs": `import { value } from "only-above";\nexport const handler = async () => console.log("value:", value);\n`,
    "cjs/handler.js": `const { value } = require("only-above");\nexports.handler = async () => value;\n`,
    "sdk/handler.mjs": `import { LambdaClient } from "@aws-sdk/client-lambda";\nexport const handler = async () => console.log("client:", typeof LambdaClient);\n`,
    "sdk-missing/handler.mjs": `import { S3Client } from "@aws-sdk/client-s3";\nexport const handler = async () => typeof S3Client;\n`,
    "sdk-v2/handler.js": `const AWS = require("aws-sdk");\nexports.handler = async () => typeof AWS;\n`,
  });

describe("a Node.js function's imports", () => {
  it("a package only in the project's node_modules fails with Runtime.ImportModuleError and a hint; in its own folder it works", async () => {
    const dir = project();
    const above = await runPipes(["materialize", "above"], { cwd: dir });
    expect(above.code).toBe(1);
    const out = above.stdout + above.stderr;
    expect(out).toContain("Runtime.ImportModuleError");
    expect(out).toContain("Cannot find package 'only-above'");
    expect(out).toMatch(/only-above is installed in (\S+\/)?node_modules, outside the function's folder (\S+\/)?above\./);
    expect(out).not.toMatch(/at .*node-bootstrap/);

    const own = await runPipes(["materialize", "own"], { cwd: dir });
    expect(own.code, own.stdout + own.stderr).toBe(0);
    expect(own.stdout).toContain("value: from its own folder");

    const cjs = await runPipes(["materialize", "cjs_above"], { cwd: dir });
    expect(cjs.code).toBe(1);
    expect(cjs.stdout + cjs.stderr).toMatch(/Cannot find module 'only-above'[\s\S]*Hint: only-above is installed in/);
  });

  it("the AWS SDK v3 comes from beside pipes, as Lambda's runtime provides it; a client not installed, or v2, fails with a hint", async () => {
    const dir = project();
    const sdk = await runPipes(["materialize", "sdk"], { cwd: dir });
    expect(sdk.code, sdk.stdout + sdk.stderr).toBe(0);
    expect(sdk.stdout).toContain("client: function");

    const missing = await runPipes(["materialize", "sdk_missing"], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stdout + missing.stderr).toMatch(/Cannot find package '@aws-sdk\/client-s3'[\s\S]*npm install --save-dev @aws-sdk\/client-s3/);

    const v2 = await runPipes(["materialize", "sdk_v2"], { cwd: dir });
    expect(v2.code).toBe(1);
    expect(v2.stdout + v2.stderr).toMatch(/Cannot find module 'aws-sdk'[\s\S]*not v2 \(aws-sdk\)/);
  });
});
