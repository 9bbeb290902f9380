/**
 * A command loads what it needs, not every command's modules: `pipes list` starts as fast as it can only if the
 * AWS SDK, the emulator and materialize's reporters stay unloaded (issue 29 §1).
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { ROOT, runPipes } from "../helpers/run-pipes.js";
import { tempDir } from "../helpers/temp.js";

const HOOK = join(ROOT, "test/helpers/module-log.mjs");
const BUNDLE = join(ROOT, "dist/cli-bundle");

/**
 * Every module a run loads: a file of dist/cli-bundle stands for the source modules esbuild put in it (its
 * sources.json), e.g. the AWS SDK's for aws-sdk.cjs; anything else (npm packages, dist/index.js that a defs file
 * imports) as the path or URL Node loaded. The CLI is one file, main.cjs (scripts/build-cli.mjs), holding every
 * command: of its modules, those it runs at once, and of those kept in a function of their own until first imported
 * (esbuild's `__esm`, named after the module), the ones whose function ran, as V8's coverage of the run says.
 */
async function modulesLoadedBy(args: string[]): Promise<string[]> {
  const log = join(tempDir("pipes-modules-"), "modules.txt");
  const coverage = tempDir("pipes-coverage-");
  const env = { NODE_OPTIONS: `--import=${HOOK}`, PIPES_TEST_MODULE_LOG: log, NODE_V8_COVERAGE: coverage };
  const result = await runPipes(args, { env });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const sources = JSON.parse(readFileSync(join(BUNDLE, "sources.json"), "utf8")) as Record<string, string[]>;
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .flatMap((loaded) => {
      const path = loaded.startsWith("file:") ? fileURLToPath(loaded) : loaded;
      if (path === join(BUNDLE, "main.cjs")) return modulesRunFromCli(sources["main.cjs"]!, coverage);
      return dirname(path) === BUNDLE ? (sources[basename(path)] ?? [path]) : [path];
    });
}

function modulesRunFromCli(modules: string[], coverage: string): string[] {
  const bundle = join(BUNDLE, "main.cjs");
  const deferred = new Set([...readFileSync(bundle, "utf8").matchAll(/__esm\(\{\n\s*"([^"]+)"\(\)/g)].map((m) => m[1]!));
  expect(deferred).toContain("src/emulator/index.ts"); // the form of esbuild's output this reads
  const ran = new Set<string>();
  for (const file of readdirSync(coverage)) {
    const { result } = JSON.parse(readFileSync(join(coverage, file), "utf8")) as V8Coverage;
    for (const script of result.filter((s) => s.url === pathToFileURL(bundle).href || s.url === bundle)) {
      for (const fn of script.functions) if (deferred.has(fn.functionName) && fn.ranges[0]!.count > 0) ran.add(fn.functionName);
    }
  }
  return modules.filter((module) => !deferred.has(module) || ran.has(module));
}

interface V8Coverage {
  result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }>;
}

/** Modules of other commands, of the Lambda clients and of the emulator (as sources, or as tsc's dist files). */
const NOT_FOR_LIST = [
  /[/\\]@aws-sdk[/\\]/,
  /[/\\]@smithy[/\\]/,
  /(^|[/\\])(src|dist)[/\\]emulator[/\\]/,
  /(^|[/\\])(src|dist)[/\\]target[/\\]/,
  /(^|[/\\])(src|dist)[/\\]lambda[/\\](clients|invoke|sdk|target)\.[jt]s$/,
  /(^|[/\\])(src|dist)[/\\]report[/\\]ci[/\\]/,
  /(^|[/\\])(src|dist)[/\\]cli[/\\](materialize|dev|deploy-handler|emulator|history|init|ui|vendor|runtimes|ci-reports|run-request)\.[jt]s$/,
  // The orders example has no time partitions: luxon's calendar arithmetic (260 KB) is not needed.
  /[/\\]luxon[/\\]/,
];

describe("lazy loading", () => {
  it("pipes list loads neither the AWS SDK, nor the emulator, nor the other commands' modules", async () => {
    const modules = await modulesLoadedBy(["list", "-f", "fixtures/orders/defs.ts"]);
    expect(modules).toContain("src/cli/list.ts");
    expect(modules.filter((m) => NOT_FOR_LIST.some((pattern) => pattern.test(m)))).toEqual([]);
  });

  it("sees what a command does load, through the bundle's map (the check above is not vacuous)", async () => {
    const modules = await modulesLoadedBy(["materialize", "-f", "fixtures/noop/node-only.ts", "noop"]);
    expect(modules).toContain("src/cli/materialize.ts");
    expect(modules).toContain("src/emulator/index.ts");
    expect(modules.some((m) => /[/\\]@aws-sdk[/\\]client-lambda[/\\]/.test(m))).toBe(true);
  });

  it("loads luxon once a definition has time partitions", async () => {
    const modules = await modulesLoadedBy(["list", "-f", "fixtures/noop/daily-2021.ts"]);
    expect(modules.some((m) => /[/\\]luxon[/\\]/.test(m))).toBe(true);
  });

  it("pipes --help still lists every command", async () => {
    const result = await runPipes(["--help"]);
    for (const name of ["materialize", "list", "dev", "runs", "logs", "status", "deploy-handler", "vendor", "init", "ui", "emulator", "runtimes"]) {
      expect(result.stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
    }
  });
});
