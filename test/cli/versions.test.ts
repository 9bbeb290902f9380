// Versions and aliases end to end through bin/pipes.js: deploy-handler --publish --alias live to a running
// `pipes emulator`, then a profile with `qualifier: "live"` lists, plans and materializes the published version.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPipes, startPipes, tempProject, type Running } from "../helpers/run-pipes.js";

const ROLE = "arn:aws:iam::123456789012:role/lambda-exec";
let emulator: Running;
let url: string;
let project: string;

const handler = (release: string) =>
  `import { withPipes } from "./pipes-lambda.cjs";\n` +
  `export const handler = withPipes(async (_event, pipes, context) => {\n` +
  `  pipes.reportAssetMaterialization({ metadata: { release: ${JSON.stringify(release)}, version: process.env.AWS_LAMBDA_FUNCTION_VERSION, arn: context.invokedFunctionArn } });\n` +
  `  return {};\n});\n`;

beforeAll(async () => {
  emulator = startPipes(["emulator", "--port", "0"], { cwd: tmpdir() });
  [, url] = (await emulator.waitFor(/Ready on (http:\/\/127\.0\.0\.1:\d+)/)) as unknown as [string, string];
  project = tempProject({
    "defs.ts": `
      import { defineDefinitions } from "pipes";
      export default defineDefinitions({
        assets: { greeting: { function: "greet" } },
        functions: { greet: { handler: "./greet/app.handler", runtime: "nodejs24.x" } },
        profiles: {
          emu: { qualifier: "live", lambda: { endpoint: process.env.PIPES_EMULATOR_URL, region: "us-east-1", credentials: { accessKeyId: "a", secretAccessKey: "b" } } },
        },
      });`,
    "greet/app.mjs": handler("one"),
  });
});

afterAll(async () => {
  emulator.child.kill("SIGINT");
  await emulator.exited;
});

const pipes = (args: string[]) => runPipes(args, { cwd: project, env: { PIPES_EMULATOR_URL: url } });

describe("versions and aliases from the CLI", () => {
  it("deploy-handler --publish --alias live, then materialize with qualifier live runs the published version", async () => {
    const first = await pipes(["deploy-handler", "--profile", "emu", "--function", "greet", "--create", "--role", ROLE, "--publish", "--alias", "live"]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout + first.stderr).toMatch(/Version\s+1 \(arn:aws:lambda:us-east-1:123456789012:function:greet:1\)/);
    expect(first.stdout + first.stderr).toMatch(/Alias\s+live → version 1 \(created\)/);

    // New code on $LATEST, not published: `live` still runs version 1.
    writeFileSync(join(project, "greet/app.mjs"), handler("two"));
    const second = await pipes(["deploy-handler", "--profile", "emu", "--function", "greet"]);
    expect(second.code, second.stderr).toBe(0);

    const list = await pipes(["list", "--profile", "emu"]);
    expect(list.stdout).toContain("→ greet:live");
    const plan = await pipes(["materialize", "greeting", "--profile", "emu", "--plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("greet:live");

    const run = await pipes(["materialize", "greeting", "--profile", "emu", "--json"]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const events = run.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === "materialization")).toMatchObject({
      metadata: { release: { value: "one" }, version: { value: "1" }, arn: { value: "arn:aws:lambda:us-east-1:123456789012:function:greet:live" } },
    });

    // Publish the new code and move the alias: `live` runs it.
    const third = await pipes(["deploy-handler", "--profile", "emu", "--function", "greet", "--publish", "--alias", "live"]);
    expect(third.stdout + third.stderr).toMatch(/Alias\s+live → version 2 \(moved from version 1\)/);
    const again = await pipes(["materialize", "greeting", "--profile", "emu", "--json"]);
    const after = again.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(after.find((e) => e.type === "materialization")).toMatchObject({ metadata: { release: { value: "two" }, version: { value: "2" } } });
  });

  it("a qualifier that is not one is refused at load, naming the profile", async () => {
    const dir = tempProject({
      "defs.ts": `export default { assets: {}, functions: {}, profiles: { bad: { qualifier: "no way", lambda: { emulator: true } } } };`,
    });
    const r = await runPipes(["list", "--profile", "bad"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('profile "bad"');
    expect(r.stderr).toContain('qualifier must be "$LATEST", a version number');
  });

  it("--alias without --publish is refused", async () => {
    const r = await pipes(["deploy-handler", "--profile", "emu", "--function", "greet", "--alias", "live"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--alias points an alias at the version --publish makes");
  });
});
