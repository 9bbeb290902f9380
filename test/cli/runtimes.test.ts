// Each Node.js runtime runs on a Node of its own major (fetched once into the user's cache), and the deprecation
// calendar is heard everywhere: list, materialize, the emulator's API, deploy-handler.
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { startEmulator } from "../../src/emulator/index.js";
import { invoke } from "../helpers/emulator.js";
import { runPipes, tempProject } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const VERSION_HANDLER = `export const handler = async () => { console.log("node", process.version); return { version: process.version }; };\n`;

const versionsProject = (runtimes: Record<string, string>) =>
  tempProject({
    "defs.ts": `export default {
      assets: { ${Object.keys(runtimes).map((a) => `${a}: { function: "${a}_fn" }`).join(", ")} },
      functions: { ${Object.entries(runtimes).map(([a, r]) => `${a}_fn: { handler: "./fn/index.handler", runtime: "${r}" }`).join(", ")} },
    };`,
    "fn/index.mjs": VERSION_HANDLER,
  });

describe("a Node.js runtime's functions", () => {
  it("run on a Node of that major through pipes materialize: nodejs24.x on v24, nodejs22.x on v22", async () => {
    const dir = versionsProject({ on24: "nodejs24.x", on22: "nodejs22.x" });
    const r = await runPipes(["materialize", "--all"], { cwd: dir });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/INFO node v24\.\d+\.\d+/);
    expect(r.stdout).toMatch(/INFO node v22\.\d+\.\d+/);
  });

  it("run on a Node of that major when created through the AWS SDK on the emulator", async () => {
    const emulator = await startEmulator();
    try {
      const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
      const zip = zipSync({ "index.mjs": strToU8(VERSION_HANDLER) });
      await lambda.send(new CreateFunctionCommand({ FunctionName: "v24", Role: "arn:aws:iam::123456789012:role/x", Runtime: "nodejs24.x", Handler: "index.handler", Code: { ZipFile: zip } }));
      const r = await invoke(lambda, "v24");
      expect(r.payload.version).toMatch(/^v24\./);
    } finally {
      await emulator.close();
    }
  });

  it("fetch Node once into the user's cache with a progress note; the second run needs no npm and no network", { timeout: 240_000 }, async () => {
    // A major other than the one running the tests (CI runs them on Node.js 20, 22 and 24): it must be fetched.
    const major = Number(process.versions.node.split(".")[0]) === 22 ? 24 : 22;
    const dir = versionsProject({ other: `nodejs${major}.x` });
    const cache = tempDir("pipes-cache-");
    const first = await runPipes(["materialize", "other"], { cwd: dir, env: { XDG_CACHE_HOME: cache } });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`nodejs${major}\\.x: fetching Node\\.js ${major} from the npm registry \\(node-linux-(x64|arm64)@${major}`));
    expect(first.stdout).toMatch(new RegExp(`INFO node v${major}\\.`));
    expect(readdirSync(join(cache, "pipes", "node"))).toEqual([expect.stringMatching(new RegExp(`^v${major}\\.\\d+\\.\\d+-linux-(x64|arm64)$`))]);
    expect(readdirSync(dir)).not.toContain("node_modules"); // nothing written into the project

    // No npm on PATH now: only the cache can answer.
    const second = await runPipes(["materialize", "other"], { cwd: dir, env: { XDG_CACHE_HOME: cache, PATH: "/nonexistent" } });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).not.toContain("fetching");
    expect(second.stdout).toMatch(new RegExp(`INFO node v${major}\\.`));
  });

  it("offline and not cached: a clear message naming the runtime and the ways out; --allow-host-runtime runs on the host's Node with one warning", async () => {
    const hostMajor = Number(process.versions.node.split(".")[0]);
    const runtime = hostMajor === 22 ? "nodejs24.x" : "nodejs22.x";
    const project = versionsProject({ other: runtime });
    const offline = { XDG_CACHE_HOME: tempDir("pipes-empty-cache-"), PATH: "/nonexistent" };
    const r = await runPipes(["materialize", "other"], { cwd: project, env: offline });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(3);
    expect(out).toContain(`${runtime} functions need Node.js ${runtime.slice(6, 8)}, which could not be fetched (npm is not on your PATH)`);
    expect(out).toContain(`pipes runtimes --fetch ${runtime}`);
    expect(out).toContain("PIPES_NODE");
    expect(out).toContain("--allow-host-runtime");
    expect(out).not.toMatch(/\n\s+at /); // no stack trace

    const allowed = await runPipes(["materialize", "other", "--allow-host-runtime"], { cwd: project, env: offline });
    const said = allowed.stdout + allowed.stderr;
    expect(allowed.code, said).toBe(0);
    expect(said.match(/functions run on this machine's Node\.js/g)).toHaveLength(1);
    expect(said).toContain(`${runtime} functions run on this machine's Node.js ${process.version}, not Node.js ${runtime.slice(6, 8)} as on Lambda`);
    expect(said).toContain(`INFO node ${process.version}`);
  });

  it("PIPES_NODE names the binary outright, with a warning when its major is not the runtime's", async () => {
    const project = versionsProject({ other: "nodejs22.x" });
    const r = await runPipes(["materialize", "other"], { cwd: project, env: { PIPES_NODE: process.execPath } });
    const out = r.stdout + r.stderr;
    expect(r.code, out).toBe(0);
    expect(out).toContain(`INFO node ${process.version}`);
    if (!process.version.startsWith("v22.")) expect(out).toContain(`nodejs22.x functions run on Node.js ${process.version} (PIPES_NODE=${process.execPath}), not Node.js 22 as on Lambda`);
  });
});

describe("the deprecation calendar", () => {
  const LATER = { PIPES_TODAY: "2027-04-01" }; // past nodejs20.x's block-update date (2027-03-03)

  it("warns once per function on a deprecated runtime in list, --plan and materialize, with one CI annotation per function", async () => {
    const dir = versionsProject({ old_a: "nodejs20.x", new_b: "nodejs24.x" });
    const list = await runPipes(["list"], { cwd: dir, env: LATER });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(
      "⚠ function old_a_fn (asset old_a): nodejs20.x is deprecated on AWS Lambda (deprecated 2026-04-30, creating functions blocked from 2027-02-01, updating them from 2027-03-03): AWS no longer allows creating or updating its functions; move to nodejs24.x",
    );
    expect(list.stdout.match(/⚠/g)).toHaveLength(1); // nothing of nodejs24.x
    const json = JSON.parse((await runPipes(["list", "--json"], { cwd: dir, env: LATER })).stdout);
    expect(json.warnings).toHaveLength(1);

    const plan = await runPipes(["materialize", "--all", "--plan"], { cwd: dir, env: LATER });
    expect(plan.stdout.match(/nodejs20\.x is deprecated/g)).toHaveLength(1);

    const run = await runPipes(["materialize", "--all"], { cwd: dir, env: { ...LATER, GITHUB_ACTIONS: "true" } });
    const out = run.stdout + run.stderr;
    expect(run.code, out).toBe(0); // existing functions still run, as on AWS
    expect(out.match(/::warning[^\n]*nodejs20\.x is deprecated/g)).toHaveLength(1);

    // Today, a supported runtime gets no word.
    const today = await runPipes(["list"], { cwd: versionsProject({ fresh: "nodejs24.x" }) });
    expect(today.stdout).not.toContain("deprecated");
  });

  it("the emulator's CreateFunction refuses a blocked runtime in AWS's words, and a retired one today", async () => {
    for (const [runtime, hostEnv] of [
      ["nodejs20.x", { ...process.env, ...LATER }],
      ["nodejs12.x", process.env],
    ] as const) {
      const emulator = await startEmulator({ hostEnv });
      try {
        const lambda = new LambdaClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } });
        const zip = zipSync({ "index.mjs": strToU8(VERSION_HANDLER) });
        const error = await lambda
          .send(new CreateFunctionCommand({ FunctionName: "old", Role: "arn:aws:iam::123456789012:role/x", Runtime: runtime, Handler: "index.handler", Code: { ZipFile: zip } }))
          .then(() => null, (e: Error) => e);
        expect(error?.name).toBe("InvalidParameterValueException");
        expect(error?.message).toBe(
          `The runtime parameter of ${runtime} is no longer supported for creating or updating AWS Lambda functions. We recommend you use a supported runtime (nodejs24.x) while creating or updating functions.`,
        );
      } finally {
        await emulator.close();
      }
    }
  });

  it("deploy-handler refuses before building or uploading what AWS would refuse; --dry-run says the same", async () => {
    let requests = 0;
    const server: Server = createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = tempProject({
        "defs.ts": `export default {
          assets: { a: { function: "f" } },
          functions: { f: { handler: "./fn/index.handler", runtime: "nodejs24.x" } },
          profiles: { aws: { lambda: { endpoint: "${endpoint}", region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } } } },
        };`,
        "fn/index.mjs": VERSION_HANDLER,
      });
      const create = await runPipes(["deploy-handler", "--profile", "aws", "--create", "--role", "arn:aws:iam::123456789012:role/x", "--runtime", "nodejs20.x", "-y"], { cwd: dir, env: LATER });
      expect(create.code).toBe(2);
      expect(create.stderr).toContain('Function "f": AWS Lambda refuses creating nodejs20.x functions since 2027-02-01: move to nodejs24.x. Set runtime: "nodejs24.x" on the function in defs.ts, or pass --runtime nodejs24.x.');
      const dry = await runPipes(["deploy-handler", "--dry-run", "--out", "x.zip", "--runtime", "nodejs20.x"], { cwd: dir, env: LATER });
      expect(dry.code).toBe(2);
      expect(dry.stderr).toContain("refuses updating nodejs20.x functions since 2027-03-03");
      expect(readdirSync(dir)).not.toContain("x.zip");
      const retired = await runPipes(["deploy-handler", "--profile", "aws", "--runtime", "nodejs12.x", "-y"], { cwd: dir });
      expect(retired.code).toBe(2);
      expect(retired.stderr).toContain("AWS Lambda refuses updating nodejs12.x functions: move to nodejs24.x");
      expect(requests).toBe(0);
      // Deprecated but not blocked yet: a warning, and the zip is made.
      const warned = await runPipes(["deploy-handler", "--dry-run", "--out", "x.zip", "--runtime", "nodejs20.x"], { cwd: dir, env: { PIPES_TODAY: "2026-12-04" } });
      expect(warned.code, warned.stderr).toBe(0);
      expect(warned.stderr).toContain("⚠ function f: nodejs20.x is deprecated on AWS Lambda");
    } finally {
      server.close();
    }
  });

  it("pipes runtimes lists every runtime with its dates, the defaults and what runs it here", async () => {
    const r = await runPipes(["runtimes", "--json"], { env: LATER });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.today).toBe("2027-04-01");
    const by = Object.fromEntries(doc.runtimes.map((x: { id: string }) => [x.id, x]));
    expect(by["nodejs24.x"]).toMatchObject({ default: true, standing: "supported", deprecation: "2028-04-30", blockCreate: "2028-06-01", blockUpdate: "2028-07-01" });
    expect(by["nodejs20.x"]).toMatchObject({ standing: "update-blocked" });
    expect(by["python3.13"]).toMatchObject({ default: true });
    expect(by[`nodejs${process.versions.node.split(".")[0]}.x`]?.runsOn).toMatchObject({ command: process.execPath, version: process.version });
    expect(doc.retired).toContain("nodejs16.x");
    const bad = await runPipes(["runtimes", "--fetch", "python3.12"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--fetch python3.12: not a Node.js runtime");
  });
});
