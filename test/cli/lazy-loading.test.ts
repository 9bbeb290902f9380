/**
 * A command loads what it needs, not every command's modules: `pipes list` starts as fast as it can only if the
 * AWS SDK, the emulator and materialize's reporters stay unloaded (issue 29 §1).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const HOOK = join(ROOT, "test/helpers/module-log.mjs");

async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(tempDir("pipes-modules-"), "modules.txt");
  const result = await runPipes(args, { env: { NODE_OPTIONS: `--import=${HOOK}`, PIPES_TEST_MODULE_LOG: log } });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}

/** Modules of other commands, of the Lambda clients and of the emulator. */
const NOT_FOR_LIST = [
  /[/\\]@aws-sdk[/\\]/,
  /[/\\]@smithy[/\\]/,
  /[/\\]dist[/\\]emulator[/\\]/,
  /[/\\]dist[/\\]target[/\\]/,
  /[/\\]dist[/\\]lambda[/\\](clients|invoke|sdk|target)\.js$/,
  /[/\\]dist[/\\]report[/\\]ci[/\\]/,
  /[/\\]dist[/\\]cli[/\\](materialize|dev|deploy-handler|emulator|history|init|ui|vendor|runtimes|ci-reports|run-request)\.js$/,
];

describe("lazy loading", () => {
  it("pipes list loads neither the AWS SDK, nor the emulator, nor the other commands' modules", async () => {
    const modules = await modulesLoadedBy(["list", "-f", "fixtures/orders/defs.ts"]);
    expect(modules.some((m) => /[/\\]dist[/\\]cli[/\\]list\.js$/.test(m))).toBe(true);
    expect(modules.filter((m) => NOT_FOR_LIST.some((pattern) => pattern.test(m)))).toEqual([]);
  });

  it("pipes --help still lists every command", async () => {
    const result = await runPipes(["--help"]);
    for (const name of ["materialize", "list", "dev", "runs", "logs", "status", "deploy-handler", "vendor", "init", "ui", "emulator", "runtimes"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    }
  });
});
