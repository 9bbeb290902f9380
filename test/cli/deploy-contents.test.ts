// What `pipes deploy-handler` zips: what runs (a handler's dependencies, bundled or as a folder), and nothing it
// must not (secrets), with control through .pipesignore and include / exclude; --json for CI scripts.
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipes, startPipes, tempProject, type Running } from "../helpers/run-pipes.js";

const ROLE = "arn:aws:iam::123456789012:role/lambda-exec";
let emulator: Running;
let url: string;
let project: string;

const dep = (folder: string, name: string, value: string) => ({
  [`${folder}/node_modules/${name}/package.json`]: JSON.stringify({ name, version: "1.0.0", main: "index.js" }),
  [`${folder}/node_modules/${name}/index.js`]: `module.exports = { shout: (s) => s.toUpperCase() + ${JSON.stringify(value)} };`,
});

beforeAll(async () => {
  emulator = startPipes(["emulator", "--port", "0"], { cwd: tmpdir() });
  [, url] = (await emulator.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
  project = tempProject({
    "defs.ts": `
      import { defineDefinitions } from "pipes";
      export default defineDefinitions({
        assets: {},
        functions: {
          withdep: { handler: "./withdep/app.handler", runtime: "nodejs24.x" },
          missingdep: { handler: "./missingdep/app.handler", runtime: "nodejs24.x" },
          secrets: { handler: "./secrets/app.handler", runtime: "nodejs24.x" },
          first: { handler: "./shared/first.handler", runtime: "python3.12", include: ["first.py", "common/"] },
          second: { handler: "./shared/second.handler", runtime: "python3.12", include: ["second.py", "common/"], exclude: ["common/*.txt"] },
          needs: { handler: "./needs/main.handler", runtime: "python3.12" },
        },
        profiles: { emu: { lambda: { endpoint: process.env.PIPES_EMULATOR_URL, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } } } },
      });`,
    "withdep/package.json": JSON.stringify({ name: "withdep", type: "module", dependencies: { "shouty-lib": "1.0.0" } }),
    "withdep/app.js": `import lib from "shouty-lib";\nexport const handler = async (event) => lib.shout(event.word);\n`,
    ...dep("withdep", "shouty-lib", "!"),
    "missingdep/package.json": JSON.stringify({ name: "missingdep", dependencies: { "not-installed": "1.0.0" } }),
    "missingdep/app.js": `const lib = require("not-installed");\nexports.handler = async () => lib;\n`,
    "secrets/app.mjs": `export const handler = async () => "ok";\n`,
    "secrets/data.json": "{}",
    "secrets/.env": "TOKEN=abc\n",
    "secrets/.env.production": "TOKEN=def\n",
    "secrets/id_rsa": "-----BEGIN OPENSSH PRIVATE KEY-----\n",
    "secrets/.npmrc": "//registry.npmjs.org/:_authToken=npm_secret\n",
    "secrets/.aws/credentials": "[default]\naws_secret_access_key=x\n",
    "secrets/notes.md": "internal notes\n",
    "secrets/scratch/tmp.txt": "scratch\n",
    "secrets/.pipesignore": "notes.md\nscratch/\n",
    "shared/first.py": "def handler(event, context):\n    return 'first'\n",
    "shared/second.py": "def handler(event, context):\n    return 'second'\n",
    "shared/common/util.py": "X = 1\n",
    "shared/common/readme.txt": "docs\n",
    "needs/main.py": "import yaml\n\ndef handler(event, context):\n    return 1\n",
    "needs/requirements.txt": "# what it needs\nPyYAML>=6\nboto3 ; python_version > '3'\n",
    "needs/boto3-1.0.0.dist-info/METADATA": "Name: boto3\n",
  });
});

afterAll(async () => {
  emulator.child.kill("SIGINT");
  await emulator.exited;
});

const deploy = (args: string[]) => runPipes(["deploy-handler", "--profile", "emu", ...args], { cwd: project, env: { PIPES_EMULATOR_URL: url } });
const entriesOf = (zip: string) => Object.keys(unzipSync(readFileSync(join(project, zip))));

describe("pipes deploy-handler uploads what runs", () => {
  it("a Node.js handler whose package.json lists an installed dependency runs after deploy, bundled and as a folder", async () => {
    const bundled = await deploy(["--function", "withdep", "--create", "--role", ROLE, "--json"]);
    expect(bundled.code, bundled.stderr).toBe(0);
    const record = JSON.parse(bundled.stdout);
    expect(record).toMatchObject({ function: "withdep", bundled: true, uploaded: true, created: true, handler: "app.handler", runtime: "nodejs24.x" });
    expect(record.zip.entries).toEqual(["app.js", "package.json"]);
    expect(record.zip.bundleInputs).toEqual(["app.js", "node_modules/shouty-lib/index.js"]);
    expect(record.zip.codeSha256).toBe(record.codeSha256);
    const lambda = new LambdaClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
    const call = async () => {
      const r = await lambda.send(new InvokeCommand({ FunctionName: "withdep", Payload: Buffer.from('{"word":"hi"}') }));
      return { error: r.FunctionError, payload: JSON.parse(Buffer.from(r.Payload!).toString()) };
    };
    expect(await call()).toEqual({ error: undefined, payload: "HI!" });

    const folder = await deploy(["--function", "withdep", "--no-bundle", "--json"]);
    expect(folder.code, folder.stderr).toBe(0);
    expect(JSON.parse(folder.stdout).zip.entries).toEqual(["app.js", "node_modules/shouty-lib/index.js", "node_modules/shouty-lib/package.json", "package.json", "pipes-lambda.cjs"]);
    expect(await call()).toEqual({ error: undefined, payload: "HI!" });
    lambda.destroy();
  });

  it("a dependency that is not installed is said before anything is uploaded", async () => {
    const bundled = await deploy(["--function", "missingdep", "--dry-run", "--out", "m.zip"]);
    expect(bundled.code).toBe(2);
    expect(bundled.stderr).toMatch(/Could not bundle app\.js:[\s\S]*Could not resolve "not-installed"[\s\S]*npm install/);
    const folder = await deploy(["--function", "missingdep", "--dry-run", "--out", "m.zip", "--no-bundle"]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/missingdep\/package\.json lists not-installed, not installed in missingdep\/node_modules: run npm install in missingdep/);
  });

  it("--no-deps-build: a Python folder whose requirements.txt packages are not in it is refused, with the pip command", async () => {
    // (Without --no-deps-build, deploy-handler builds them with pip: test/cli/python-deps.test.ts.)
    const r = await deploy(["--function", "needs", "--dry-run", "--out", "n.zip", "--no-deps-build"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs/requirements.txt lists PyYAML, not in needs/: Lambda installs nothing");
    expect(r.stderr).toContain("pip install -r needs/requirements.txt -t needs");
  });
});

describe("pipes deploy-handler ships nothing it must not", () => {
  it("leaves secrets out by default and names them; .pipesignore leaves out more", async () => {
    const r = await deploy(["--function", "secrets", "--no-bundle", "--dry-run", "--out", "s.zip", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect(entriesOf("s.zip")).toEqual(["app.mjs", "data.json", "pipes-lambda.cjs"]);
    const record = JSON.parse(r.stdout);
    expect(record.leftOut.secrets).toEqual([".aws/", ".env", ".env.production", ".npmrc", "id_rsa"]);
    expect(r.stderr).toContain("⚠ left out .aws/, .env, .env.production, .npmrc, id_rsa: secrets are never zipped");
  });

  it("leaves out a link to a secret whatever its name, and .envrc, credentials.json, service-account keys, Terraform state and variables", async () => {
    const dir = tempProject({
      "defs.ts": `export default { assets: {}, functions: { f: { handler: "./f/app.handler", runtime: "nodejs20.x" } },
        profiles: { emu: { lambda: { endpoint: process.env.PIPES_EMULATOR_URL, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } } } } };\n`,
      "f/app.mjs": `export const handler = async () => "ok";\n`,
      "f/.env": "TOKEN=abc\n",
      "f/.envrc": "export TOKEN=abc\n",
      "f/credentials.json": "{}",
      "f/serviceAccountKey.json": "{}",
      "f/infra/terraform.tfstate": "{}",
      "f/infra/prod.tfvars": "key = 1\n",
      "f/.aws/config": "[default]\n",
      "f/data.json": "{}",
    });
    symlinkSync(".env", join(dir, "f", "readme.txt"));
    symlinkSync(".aws", join(dir, "f", "settings"));
    for (const bundle of [[], ["--no-bundle"]]) {
      const r = await runPipes(["deploy-handler", "--profile", "emu", "--function", "f", ...bundle, "--dry-run", "--out", "f.zip", "--json"], { cwd: dir, env: { PIPES_EMULATOR_URL: url } });
      expect(r.code, r.stderr).toBe(0);
      const shipped = Object.entries(unzipSync(readFileSync(join(dir, "f.zip"))));
      expect(shipped.map(([name]) => name).filter((n) => !n.startsWith("pipes-lambda"))).toEqual(expect.arrayContaining(["app.mjs"]));
      for (const [name, bytes] of shipped) {
        expect(name).not.toMatch(/readme|settings|env|credentials|serviceAccount|tfstate|tfvars|\.aws/);
        expect(Buffer.from(bytes).toString()).not.toContain("TOKEN=abc");
      }
      // Bundled, only the bundle ships; as a folder, the folder's files less the secrets, named.
      if (bundle.length) expect(JSON.parse(r.stdout).leftOut.secrets).toEqual([".aws/", ".env", ".envrc", "credentials.json", "infra/prod.tfvars", "infra/terraform.tfstate", "readme.txt → .env", "serviceAccountKey.json", "settings/ → .aws/"]);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("never zips the zips it writes by default, when a function's folder is the project's", async () => {
    const root = tempProject({
      "defs.ts": `export default { assets: {}, functions: { rootfn: { handler: "./rootfn.handler", runtime: "python3.12" }, other: { handler: "./other.handler", runtime: "python3.12" } } };\n`,
      "rootfn.py": "def handler(event, context):\n    return 1\n",
      "other.py": "def handler(event, context):\n    return 2\n",
    });
    const dryRun = (fn: string) => runPipes(["deploy-handler", "--function", fn, "--dry-run"], { cwd: root });
    for (const fn of ["other", "rootfn", "rootfn"]) expect((await dryRun(fn)).code).toBe(0);
    // Before: rootfn.zip held other.zip and its own earlier rootfn.zip, and grew with each run.
    const entries = Object.keys(unzipSync(readFileSync(join(root, "rootfn.zip"))));
    expect(entries).toContain("rootfn.py");
    expect(entries.filter((e) => e.endsWith(".zip"))).toEqual([]);
  });

  it("functions that share a folder each ship only their own files (include / exclude)", async () => {
    expect((await deploy(["--function", "first", "--dry-run", "--out", "f.zip"])).code).toBe(0);
    expect(entriesOf("f.zip")).toEqual(["common/readme.txt", "common/util.py", "first.py", "pipes_lambda.py"]);
    expect((await deploy(["--function", "second", "--dry-run", "--out", "g.zip"])).code).toBe(0);
    expect(entriesOf("g.zip")).toEqual(["common/util.py", "pipes_lambda.py", "second.py"]);
  });
});
