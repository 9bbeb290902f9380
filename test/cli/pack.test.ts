import { spawnSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, tempProject } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const npm = (args: string[], cwd: string) => {
  const result = spawnSync("npm", args, { cwd, encoding: "utf8", env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false", NO_COLOR: "1", PIPES_HISTORY: "0" } });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
};
const npx = (args: string[], cwd: string) => {
  const result = spawnSync("npx", ["--no-install", ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", PIPES_HISTORY: "0" } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe("lambda-pipes in a user's project", () => {
  it("npm pack makes a tarball that installs into a fresh project: npx pipes runs its defs.ts, and its own tsc type-checks it", () => {
    const packs = tempDir("pipes-pack-");
    // --ignore-scripts: `prepare` would rebuild dist/ under the tests running beside this one (npm test built it).
    const packed = npm(["pack", "--silent", "--ignore-scripts", "--pack-destination", packs], ROOT);
    expect(packed.code, packed.out).toBe(0);
    const [tarball] = readdirSync(packs).filter((f) => f.endsWith(".tgz"));
    expect(tarball).toMatch(/^lambda-pipes-\d+\.\d+\.\d+\.tgz$/);

    const project = tempProject({
      "package.json": JSON.stringify({ name: "my-pipeline", private: true, type: "module" }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true }, include: ["defs.ts"] }),
      "handlers/hello.mjs": "export const handler = async (event) => ({ greeting: \"hello \" + event.name });\n",
      "defs.ts": [
        'import { defineDefinitions } from "lambda-pipes";',
        "",
        "export default defineDefinitions({",
        '  assets: { hello: { function: "hello", event: { name: "world" } } },',
        '  functions: { hello: { handler: "./handlers/hello.handler", runtime: "nodejs24.x", memory: "256MB" } },',
        "});",
        "",
      ].join("\n"),
    });
    // Its dependencies come from npm's cache (this checkout's `npm ci` filled it), typescript too.
    const installed = npm(["install", "--prefer-offline", "--save-dev", join(packs, tarball!), "typescript@~5.9.3"], project);
    expect(installed.code, installed.out).toBe(0);

    const run = npx(["pipes", "materialize", "--all"], project);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✔ hello +→ hello/);
    expect(run.stdout).toMatch(/✔ 1 materialized/);

    const typed = npx(["tsc", "-p", "tsconfig.json"], project);
    expect(typed.code, typed.stdout + typed.stderr).toBe(0);
    // The types are the real ones: a wrong field type is an error in the user's editor and tsc.
    writeFileSync(join(project, "defs.ts"), 'import { defineDefinitions } from "lambda-pipes";\nexport default defineDefinitions({ assets: { a: { function: "f", deps: "b" } } });\n');
    const wrong = npx(["tsc", "-p", "tsconfig.json"], project);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/defs\.ts\(2,\d+\): error TS2322/);
  }, 240_000);
});
